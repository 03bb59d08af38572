use serde::{Deserialize, Serialize};

/// When a run stops early. YAML: `stop: { solved: { metric: recall_accuracy, at_least: 0.99 } }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StopConfig {
    /// The run is `solved` (and stops) at the first evaluation that meets this. Default: never.
    pub solved: Option<Criterion>,
}

/// A threshold on a validation metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// A metric the task reports, e.g. `accuracy`, `recall_accuracy`, `mse`, `loss`.
    pub metric: String,
    /// Met when the metric is at least this (for accuracies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Met when the metric is at most this (for losses and errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

impl Criterion {
    /// Whether `value` meets the criterion.
    pub fn met(&self, value: f64) -> bool {
        self.at_least.is_none_or(|t| value >= t) && self.at_most.is_none_or(|t| value <= t)
    }
}
