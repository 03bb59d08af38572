//! Metric references as sweeps write them: `final.NAME`, `best.NAME` or a summary scalar.
use std::fmt;
use std::str::FromStr;

use super::*;

/// A metric reference, as claims and report hints write it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MetricRef {
    /// `final.NAME`: the metric on the final test evaluation (summary.json `final`).
    Final(String),
    /// `best.NAME`: the best validation value over the run (summary.json `best`).
    Best(String),
    /// A summary scalar: `steps_to_solve`, `wall_s`, ...
    Scalar(Scalar),
}

/// The scopes of per-evaluation references.
pub(super) const SCOPES: [&str; 2] = ["final", "best"];

impl MetricRef {
    /// Parses a reference's form: `final.NAME` or `best.NAME` with NAME in lowercase letters,
    /// digits and `_`, or a [`Scalar`]'s name. Whether a task reports NAME is
    /// [`MetricRef::check_tasks`]'s question. `Err` says what to write instead.
    pub fn parse(text: &str) -> Result<MetricRef, String> {
        if let Some(s) = Scalar::from_name(text) {
            return Ok(MetricRef::Scalar(s));
        }
        match text.split_once('.') {
            Some((scope, name)) if SCOPES.contains(&scope) => {
                let ok = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    return Err(format!(
                        "`{name}` is not a metric name: use lowercase letters, digits and `_`, e.g. `{scope}.accuracy`"
                    ));
                }
                Ok(if scope == "final" {
                    MetricRef::Final(name.to_owned())
                } else {
                    MetricRef::Best(name.to_owned())
                })
            }
            Some((scope, name)) => Err(format!(
                "unknown metric scope `{scope}`{}; write `final.{name}` (value at the last evaluation) or `best.{name}` (best evaluation)",
                did_you_mean(scope, SCOPES)
            )),
            None => Err(format!(
                "unknown metric `{text}`{}; write `final.{text}` or `best.{text}`, or one of {}",
                did_you_mean(text, Scalar::names()),
                list(Scalar::names())
            )),
        }
    }

    /// The per-evaluation metric's name (`final.mse` → `mse`); `None` for a scalar.
    pub fn metric_name(&self) -> Option<&str> {
        match self {
            MetricRef::Final(m) | MetricRef::Best(m) => Some(m),
            MetricRef::Scalar(_) => None,
        }
    }

    /// Which way the referenced metric is better; `None` for a name no task reports.
    pub fn direction(&self) -> Option<Direction> {
        match self {
            MetricRef::Final(m) | MetricRef::Best(m) => evaluation_direction(m),
            MetricRef::Scalar(s) => Some(s.direction()),
        }
    }

    /// Whether larger values are better; false for a name no task reports.
    pub fn higher_is_better(&self) -> bool {
        self.direction().is_some_and(Direction::higher_is_better)
    }

    /// Checks that every task kind in `kinds` reports the referenced metric (scalars exist for
    /// every run). `Err` names the kinds that do not, with the closest reference they do.
    pub fn check_tasks(&self, kinds: &[&str]) -> Result<(), String> {
        match self {
            MetricRef::Final(m) => check_in(m, kinds, "final."),
            MetricRef::Best(m) => check_in(m, kinds, "best."),
            MetricRef::Scalar(_) => Ok(()),
        }
    }
}

impl fmt::Display for MetricRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricRef::Final(m) => write!(f, "final.{m}"),
            MetricRef::Best(m) => write!(f, "best.{m}"),
            MetricRef::Scalar(s) => write!(f, "{s}"),
        }
    }
}

impl FromStr for MetricRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        MetricRef::parse(s)
    }
}
