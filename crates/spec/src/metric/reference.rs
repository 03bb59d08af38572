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
    /// `grad.D`: the gradient norm ‖∂L/∂h_t‖ D steps before the loss at the run's last
    /// gradient probe (gradflow.csv, which runs write with `train.probe_every`), on the bottom
    /// layer's forward direction: how much of the loss's gradient reaches D steps back
    /// (Bengio, Simard & Frasconi 1994; Pascanu et al. 2013).
    Gradient(usize),
    /// `eval.SET` or `eval.SET.BY.BUCKET`: a run's accuracy on the sweep's eval set SET
    /// (`eval:`, scored into `eval/SET/<run-id>.csv`), overall or in one bucket of its
    /// breakdown (`eval.handcrafted.attractors.1`).
    Eval(EvalRef),
}

/// What an `eval.` reference reads: the set, and the bucket (`by`, `bucket`) or the overall
/// row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EvalRef {
    pub set: String,
    pub bucket: Option<(String, String)>,
}

/// The scopes of per-evaluation references.
pub(super) const SCOPES: [&str; 2] = ["final", "best"];
/// Every scope a reference can have, for suggestions.
const ALL_SCOPES: [&str; 4] = ["final", "best", "grad", "eval"];

/// Whether `text` can name an eval set: the name of its folder under `eval/`.
pub fn is_eval_set_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl MetricRef {
    /// Parses a reference's form: `final.NAME` or `best.NAME` with NAME in lowercase letters,
    /// digits and `_`, or a [`Scalar`]'s name. Whether a task reports NAME is
    /// [`MetricRef::check_tasks`]'s question. `Err` says what to write instead.
    pub fn parse(text: &str) -> Result<MetricRef, String> {
        if let Some(s) = Scalar::from_name(text) {
            return Ok(MetricRef::Scalar(s));
        }
        match text.split_once('.') {
            Some(("grad", distance)) => match distance.parse::<usize>() {
                // One spelling per distance (`grad.50`, not `grad.050`): values are found by it.
                Ok(d) if d.to_string() == distance => Ok(MetricRef::Gradient(d)),
                _ => Err(format!(
                    "`grad.{distance}`: write `grad.D` with D the distance from the loss in steps, e.g. `grad.50`"
                )),
            },
            Some(("eval", rest)) => parse_eval(rest).map(MetricRef::Eval),
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
                "unknown metric scope `{scope}`{}; write `final.{name}` (value at the last evaluation), `best.{name}` (best evaluation), `grad.D` (gradient norm D steps back) or `eval.SET` (accuracy on an eval set)",
                did_you_mean(scope, ALL_SCOPES)
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
            MetricRef::Scalar(_) | MetricRef::Gradient(_) | MetricRef::Eval(_) => None,
        }
    }

    /// Which way the referenced metric is better; `None` for a name no task reports.
    pub fn direction(&self) -> Option<Direction> {
        match self {
            MetricRef::Final(m) | MetricRef::Best(m) => evaluation_direction(m),
            MetricRef::Scalar(s) => Some(s.direction()),
            // More of the gradient reaching back; more sentences right.
            MetricRef::Gradient(_) | MetricRef::Eval(_) => Some(Direction::HigherIsBetter),
        }
    }

    /// Whether larger values are better; false for a name no task reports.
    pub fn higher_is_better(&self) -> bool {
        self.direction().is_some_and(Direction::higher_is_better)
    }

    /// Checks that every task kind in `kinds` reports the referenced metric (scalars exist for
    /// every run; gradient and eval references depend on the runs' settings, not their task:
    /// validation checks those where it sees the sweep). `Err` names the kinds that do not,
    /// with the closest reference they do.
    pub fn check_tasks(&self, kinds: &[&str]) -> Result<(), String> {
        match self {
            MetricRef::Final(m) => check_in(m, kinds, "final."),
            MetricRef::Best(m) => check_in(m, kinds, "best."),
            MetricRef::Scalar(_) | MetricRef::Gradient(_) | MetricRef::Eval(_) => Ok(()),
        }
    }
}

impl fmt::Display for MetricRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricRef::Final(m) => write!(f, "final.{m}"),
            MetricRef::Best(m) => write!(f, "best.{m}"),
            MetricRef::Scalar(s) => write!(f, "{s}"),
            MetricRef::Gradient(d) => write!(f, "grad.{d}"),
            MetricRef::Eval(EvalRef { set, bucket: None }) => write!(f, "eval.{set}"),
            MetricRef::Eval(EvalRef {
                set,
                bucket: Some((by, bucket)),
            }) => write!(f, "eval.{set}.{by}.{bucket}"),
        }
    }
}

impl FromStr for MetricRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        MetricRef::parse(s)
    }
}

/// `SET` or `SET.BY.BUCKET`, after `eval.`.
fn parse_eval(rest: &str) -> Result<EvalRef, String> {
    let example = "write `eval.SET` (overall accuracy on eval set SET) or `eval.SET.BY.BUCKET` \
                   (one bucket of its breakdown), e.g. `eval.handcrafted.attractors.1`";
    // A bucket may hold dots (a construction's name): everything after BY is the bucket.
    let parts: Vec<&str> = rest.splitn(3, '.').collect();
    let bucket_ok = |b: &str| {
        !b.is_empty()
            && b.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+'))
    };
    match parts[..] {
        [set] if is_eval_set_name(set) => Ok(EvalRef {
            set: set.to_owned(),
            bucket: None,
        }),
        [set, by, bucket] if is_eval_set_name(set) && is_eval_set_name(by) && bucket_ok(bucket) => {
            Ok(EvalRef {
                set: set.to_owned(),
                bucket: Some((by.to_owned(), bucket.to_owned())),
            })
        }
        _ => Err(format!("`eval.{rest}`: {example}")),
    }
}
