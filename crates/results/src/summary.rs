//! `summary.json`: a run's outcome, and the mark that it is finished (docs/results.md).
//!
//! Written by the runner, read by the report, `rnnlab eval` and the resume logic. Readers are
//! tolerant: every field but `id` and `status` may be missing (older files, other writers),
//! non-finite numbers are stored as `null` and read back as NaN, and baselines are read from
//! both the current list and the format-1 map keyed by name.
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{write_atomic, ResultsError};

/// The version of the summary format this build writes. 1: no `format` field, baselines a
/// map keyed by name (names could collide, so one baseline per name survived). 2: `format`,
/// baselines a list.
pub const FORMAT_VERSION: u32 = 2;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Ran all its steps.
    Completed,
    /// Met `stop.solved` and stopped early.
    Solved,
    /// Blew up: a non-finite loss or gradient, or a validation loss far above the task's
    /// no-learning loss (`stop.diverged`); see `divergence`.
    Diverged,
    /// An error or panic; see `error`.
    Failed,
    /// Stopped by the user; runs again next time.
    Interrupted,
    /// A search trial trained to a successive-halving rung (`steps` is the rung) and waiting
    /// for the rung to be decided; it keeps its checkpoint and continues if it is kept.
    Paused,
    /// A search trial that was not among the best at a rung (`pruned_at`): stopped there,
    /// its files kept.
    Pruned,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Completed,
        Status::Solved,
        Status::Diverged,
        Status::Failed,
        Status::Interrupted,
        Status::Paused,
        Status::Pruned,
    ];

    /// Final statuses are not run again unless asked.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Interrupted | Status::Paused)
    }

    /// The name written in summary.json and shown in tables.
    pub fn name(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::Solved => "solved",
            Status::Diverged => "diverged",
            Status::Failed => "failed",
            Status::Interrupted => "interrupted",
            Status::Paused => "paused",
            Status::Pruned => "pruned",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A no-learning reference score stored beside the model's (the memoryless strategy's loss,
/// chance accuracy, the last-noun heuristic): what "learned nothing" scores on the same split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Unique within a run: `memoryless loss`, `chance accuracy`.
    pub name: String,
    /// The metric it is a value of (`loss`, `recall_accuracy`).
    pub metric: String,
    #[serde(with = "nullable")]
    pub value: f64,
}

/// Which rule made a run `diverged`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivergenceRule {
    /// A NaN or infinite loss or gradient.
    NonFinite,
    /// The validation loss above `stop.diverged.loss_above_baseline` times the task's
    /// no-learning loss at `stop.diverged.evaluations` consecutive evaluations.
    Loss,
}

/// Why a run is `diverged`: the rule that fired and, for a person, what it saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    pub rule: DivergenceRule,
    /// E.g. `non-finite training loss (NaN) at step 37`, `valid loss above 10 x the
    /// no-learning loss 0.1667 (= 1.667) at 2 consecutive evaluations: 52.1 at step 400, 60.3
    /// at step 500`.
    pub reason: String,
}

/// The contents of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// [`FORMAT_VERSION`] of the writer; 1 when missing.
    #[serde(default = "format_1")]
    pub format: u32,
    pub id: String,
    pub status: Status,
    /// Updates done.
    #[serde(default)]
    pub steps: usize,
    /// The final test evaluation's metrics (empty unless completed or solved).
    #[serde(rename = "final", default, with = "nullable_map")]
    pub final_: BTreeMap<String, f64>,
    /// The best validation value of each metric over the run.
    #[serde(default, with = "nullable_map")]
    pub best: BTreeMap<String, f64>,
    /// The step of the first evaluation meeting `stop.solved`.
    #[serde(default)]
    pub steps_to_solve: Option<usize>,
    /// Why the run diverged; null unless `status` is `diverged` (and in files written before
    /// the reason was recorded).
    #[serde(default)]
    pub divergence: Option<Divergence>,
    /// Trainable parameters.
    #[serde(default)]
    pub params: usize,
    /// Training wall time.
    #[serde(default, with = "nullable")]
    pub wall_s: f64,
    /// Updates per second.
    #[serde(default, with = "nullable")]
    pub steps_per_s: f64,
    #[serde(default, deserialize_with = "baselines")]
    pub baselines: Vec<Baseline>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub device: String,
    #[serde(default)]
    pub rnnlab: String,
    #[serde(default)]
    pub libtorch: String,
    /// The processor's model name: speeds compare only on the same CPU.
    #[serde(default)]
    pub cpu: String,
    /// The git commit (short hash) of the build that made the run, when it was built from a
    /// git checkout; null otherwise and in files written before it was recorded.
    #[serde(default)]
    pub commit: Option<String>,
    /// libtorch's intra-op threads when the run started (`tch::get_num_threads`); null in
    /// files written before it was recorded.
    #[serde(default)]
    pub threads: Option<usize>,
    /// The steps this run resumed from a checkpoint at, in order; empty when it ran in one go.
    #[serde(default)]
    pub resumed_from: Vec<usize>,
    /// The successive-halving rung (a step) at which a search trial was pruned; null
    /// otherwise.
    #[serde(default)]
    pub pruned_at: Option<usize>,
    /// Values of metric references read from the run's other files (`grad.50` from
    /// gradflow.csv, `eval.SET` from its eval tables), keyed by the reference as written:
    /// filled by the report when it loads a results folder for the references the sweep
    /// uses, never written to summary.json.
    #[serde(skip)]
    pub derived: BTreeMap<String, f64>,
}

/// The build that made a run: what must match for two runs' numbers to come from the same
/// code. Empty fields (older files) show as `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Build {
    pub rnnlab: String,
    pub commit: Option<String>,
    pub libtorch: String,
}

impl std::fmt::Display for Build {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known = |s: &str| {
            if s.is_empty() {
                "unknown".to_string()
            } else {
                s.to_string()
            }
        };
        write!(
            f,
            "rnnlab {} commit {} libtorch {}",
            known(&self.rnnlab),
            self.commit
                .as_deref()
                .map(known)
                .unwrap_or_else(|| "unknown".into()),
            known(&self.libtorch)
        )
    }
}

fn format_1() -> u32 {
    1
}

impl Summary {
    /// A summary of `id` with `status` and nothing measured yet, in the current format.
    pub fn new(id: impl Into<String>, status: Status) -> Self {
        Self {
            format: FORMAT_VERSION,
            id: id.into(),
            status,
            steps: 0,
            final_: BTreeMap::new(),
            best: BTreeMap::new(),
            steps_to_solve: None,
            divergence: None,
            params: 0,
            wall_s: 0.0,
            steps_per_s: 0.0,
            baselines: Vec::new(),
            error: None,
            device: String::new(),
            rnnlab: String::new(),
            libtorch: String::new(),
            cpu: String::new(),
            commit: None,
            threads: None,
            resumed_from: Vec::new(),
            pruned_at: None,
            derived: BTreeMap::new(),
        }
    }

    /// The build that made the run (rnnlab version, commit, libtorch).
    pub fn build(&self) -> Build {
        Build {
            rnnlab: self.rnnlab.clone(),
            commit: self.commit.clone(),
            libtorch: self.libtorch.clone(),
        }
    }

    /// A final metric, when measured and finite.
    pub fn final_value(&self, metric: &str) -> Option<f64> {
        self.final_.get(metric).copied().filter(|v| v.is_finite())
    }

    /// A best validation metric, when measured and finite.
    pub fn best_value(&self, metric: &str) -> Option<f64> {
        self.best.get(metric).copied().filter(|v| v.is_finite())
    }

    /// Whether the run met its stop criterion.
    pub fn solved(&self) -> bool {
        self.status == Status::Solved || self.steps_to_solve.is_some()
    }

    pub fn diverged(&self) -> bool {
        self.status == Status::Diverged
    }

    /// The baseline called `name`.
    pub fn baseline(&self, name: &str) -> Option<&Baseline> {
        self.baselines.iter().find(|b| b.name == name)
    }
}

/// Reads a `summary.json`.
pub fn read_summary(path: &Path) -> Result<Summary, ResultsError> {
    let text = std::fs::read_to_string(path).map_err(ResultsError::io(path))?;
    serde_json::from_str(&text).map_err(|source| ResultsError::Parse {
        path: path.to_owned(),
        what: "summary.json",
        source,
    })
}

/// Writes a `summary.json` atomically.
pub fn write_summary(path: &Path, summary: &Summary) -> Result<(), ResultsError> {
    let text = serde_json::to_string_pretty(summary).expect("a summary serialises");
    write_atomic(path, text.as_bytes())
}

/// Baselines as written now (a list) or by format 1 (a map from name to metric and value).
fn baselines<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Baseline>, D::Error> {
    #[derive(Deserialize)]
    struct Unnamed {
        metric: String,
        #[serde(with = "nullable")]
        value: f64,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<Baseline>),
        Map(BTreeMap<String, Unnamed>),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(list) => list,
        Either::Map(map) => map
            .into_iter()
            .map(|(name, u)| Baseline {
                name,
                metric: u.metric,
                value: u.value,
            })
            .collect(),
    })
}

/// An f64 that JSON stores as `null` when it is not finite (JSON has no NaN).
pub(crate) mod nullable {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// A map of [`nullable`] values.
mod nullable_map {
    use std::collections::BTreeMap;

    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(m: &BTreeMap<String, f64>, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(m.len()))?;
        for (k, v) in m {
            map.serialize_entry(k, &Some(*v).filter(|v| v.is_finite()))?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, f64>, D::Error> {
        let m = BTreeMap::<String, Option<f64>>::deserialize(d)?;
        Ok(m.into_iter()
            .map(|(k, v)| (k, v.unwrap_or(f64::NAN)))
            .collect())
    }
}

#[cfg(test)]
mod tests;
