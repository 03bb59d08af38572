//! `summary.json`: a run's outcome (see docs/results.md).
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Ran all its steps.
    Completed,
    /// Met `stop.solved` and stopped early.
    Solved,
    /// Hit a NaN or infinite loss or gradient.
    Diverged,
    /// An error or panic; see `error`.
    Failed,
    /// Stopped by the user; runs again next time.
    Interrupted,
}

impl Status {
    /// Final statuses are not run again unless asked.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Interrupted)
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::Solved => "solved",
            Status::Diverged => "diverged",
            Status::Failed => "failed",
            Status::Interrupted => "interrupted",
        }
    }
}

/// A no-learning reference score stored beside the model's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineScore {
    pub metric: String,
    pub value: f64,
}

/// The contents of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub id: String,
    pub status: Status,
    pub steps: usize,
    #[serde(rename = "final")]
    pub final_: BTreeMap<String, f64>,
    pub best: BTreeMap<String, f64>,
    pub steps_to_solve: Option<usize>,
    pub params: usize,
    pub wall_s: f64,
    pub steps_per_s: f64,
    pub baselines: BTreeMap<String, BaselineScore>,
    pub error: Option<String>,
    pub device: String,
    pub rnnlab: String,
    pub libtorch: String,
    /// The processor the run trained on (`model name` of /proc/cpuinfo), for the report's
    /// environment section: speeds are only comparable on the same CPU.
    #[serde(default)]
    pub cpu: String,
}

/// The CPU's model name, or "unknown" where /proc/cpuinfo does not say.
pub fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
            })
        })
        .unwrap_or_else(|| "unknown".into())
}
