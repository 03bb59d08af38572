use serde::{Deserialize, Serialize};

/// When a run stops early. YAML:
/// `stop: { solved: { metric: recall_accuracy, at_least: 0.99 }, diverged: { loss_above_baseline: 10, evaluations: 2 } }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StopConfig {
    /// The run is `solved` (and stops) at the first evaluation that meets this. Default: never.
    pub solved: Option<Criterion>,
    /// When the run counts as `diverged` (and stops) besides a non-finite loss or gradient,
    /// which always does. Default: a validation loss above 10 times the task's no-learning
    /// loss at 2 consecutive evaluations.
    ///
    /// Left out of the canonical JSON while it is the default, so adding it kept every
    /// existing run id.
    #[serde(skip_serializing_if = "Diverged::is_default")]
    pub diverged: Diverged,
}

/// The loss rule of divergence. YAML: `diverged: { loss_above_baseline: 10, evaluations: 2 }`;
/// `diverged: { loss_above_baseline: null }` turns the rule off (non-finite values still
/// count as diverged).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Diverged {
    /// The run diverges when its validation loss is above this many times the task's
    /// no-learning loss (its `loss` baseline; the adding task's `predict 1` MSE) at
    /// `evaluations` consecutive evaluations. Greater than 1; `null` turns the rule off. Tasks
    /// without a loss baseline (agreement) are never judged by it. Default 10.
    pub loss_above_baseline: Option<f64>,
    /// How many consecutive evaluations the loss must stay above. At least 1. Default 2.
    pub evaluations: usize,
}

impl Diverged {
    /// The default factor of [`Diverged::loss_above_baseline`].
    pub const LOSS_ABOVE_BASELINE: f64 = 10.0;
    /// The default of [`Diverged::evaluations`].
    pub const EVALUATIONS: usize = 2;

    /// The rule off: only non-finite values diverge.
    pub fn off() -> Self {
        Self {
            loss_above_baseline: None,
            ..Self::default()
        }
    }

    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The loss above which an evaluation counts towards divergence, given the task's
    /// no-learning loss; `None` when the rule is off or the task has no loss baseline.
    pub fn threshold(&self, no_learning_loss: Option<f64>) -> Option<f64> {
        Some(self.loss_above_baseline? * no_learning_loss?)
    }
}

impl Default for Diverged {
    fn default() -> Self {
        Self {
            loss_above_baseline: Some(Self::LOSS_ABOVE_BASELINE),
            evaluations: Self::EVALUATIONS,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loss_rule_applies_by_default() {
        let s: StopConfig = serde_yaml::from_str("{}").unwrap();
        assert_eq!(s.diverged.loss_above_baseline, Some(10.0));
        assert_eq!(s.diverged.evaluations, 2);
        let s: StopConfig = serde_yaml::from_str("diverged: { evaluations: 3 }").unwrap();
        assert_eq!(s.diverged.loss_above_baseline, Some(10.0));
        assert_eq!(s.diverged.evaluations, 3);
        assert_eq!(s.diverged.threshold(Some(0.5)), Some(5.0));
        assert_eq!(s.diverged.threshold(None), None);
    }

    #[test]
    fn null_turns_the_loss_rule_off_and_survives_a_round_trip() {
        let s: StopConfig =
            serde_yaml::from_str("diverged: { loss_above_baseline: null }").unwrap();
        assert_eq!(s.diverged, Diverged::off());
        assert_eq!(s.diverged.threshold(Some(0.5)), None);
        let back: StopConfig = serde_yaml::from_str(&serde_yaml::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn the_default_is_not_serialised_so_run_ids_stay() {
        let json = serde_json::to_string(&StopConfig::default()).unwrap();
        assert_eq!(json, r#"{"solved":null}"#);
        let mut s = StopConfig::default();
        s.diverged.evaluations = 3;
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.contains(r#""diverged":{"loss_above_baseline":10.0,"evaluations":3}"#),
            "{json}"
        );
    }
}
