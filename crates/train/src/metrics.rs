//! Losses and metrics of a batch, and their accumulation over an evaluation set.
use std::collections::BTreeMap;

use tch::{Kind, Reduction, Tensor};

use crate::data::{DeviceBatch, DeviceTargets};

/// The training loss of a model output on a batch: masked mean cross-entropy per step, mean
/// cross-entropy of the last step, or mean squared error of the last step.
pub fn loss(y: &Tensor, batch: &DeviceBatch) -> Tensor {
    match &batch.target {
        DeviceTargets::PerStep {
            classes,
            mask,
            num_classes,
            ..
        } => {
            let ce = y.view([-1, *num_classes]).cross_entropy_loss::<Tensor>(
                &classes.view([-1]),
                None,
                Reduction::None,
                -100,
                0.0,
            );
            let mask = mask.view([-1]);
            (ce * &mask).sum(Kind::Float) / mask.sum(Kind::Float).clamp_min(1.0)
        }
        DeviceTargets::LastClass(classes) => y.cross_entropy_for_logits(classes),
        DeviceTargets::LastValue(values) => y.mse_loss(values, Reduction::Mean),
    }
}

/// The metric columns a target kind reports, beside `loss`.
pub fn metric_names(target: &DeviceTargets) -> &'static [&'static str] {
    match target {
        DeviceTargets::PerStep { .. } => &["accuracy", "recall_accuracy"],
        DeviceTargets::LastClass(_) => &["accuracy"],
        DeviceTargets::LastValue(_) => &["mse"],
    }
}

/// Sums over an evaluation set: each metric as (sum, count), so batches of any size combine.
#[derive(Debug, Default, Clone)]
pub struct Evaluation {
    sums: BTreeMap<&'static str, (f64, f64)>,
}

impl Evaluation {
    /// Adds one batch's loss and metrics.
    pub fn add(&mut self, y: &Tensor, batch: &DeviceBatch) {
        let n = batch.size as f64;
        let l = loss(y, batch).double_value(&[]);
        self.push("loss", l * n, n);
        match &batch.target {
            DeviceTargets::PerStep {
                classes,
                mask,
                recall,
                ..
            } => {
                let hit = y.argmax(-1, false).eq_tensor(classes).to_kind(Kind::Float);
                let count = |m: &Tensor| {
                    (
                        (&hit * m).sum(Kind::Float).double_value(&[]),
                        m.sum(Kind::Float).double_value(&[]),
                    )
                };
                let (h, c) = count(mask);
                self.push("accuracy", h, c);
                let (h, c) = count(recall);
                self.push("recall_accuracy", h, c);
            }
            DeviceTargets::LastClass(classes) => {
                let hits = y.argmax(-1, false).eq_tensor(classes).to_kind(Kind::Float);
                self.push("accuracy", hits.sum(Kind::Float).double_value(&[]), n);
            }
            DeviceTargets::LastValue(_) => self.push("mse", l * n, n),
        }
    }

    fn push(&mut self, name: &'static str, sum: f64, count: f64) {
        let e = self.sums.entry(name).or_default();
        e.0 += sum;
        e.1 += count;
    }

    /// The means, by metric name.
    pub fn means(&self) -> BTreeMap<String, f64> {
        self.sums
            .iter()
            .filter(|(_, (_, c))| *c > 0.0)
            .map(|(k, (s, c))| (k.to_string(), s / c))
            .collect()
    }
}

/// One row of `metrics.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsRow {
    pub step: usize,
    pub split: &'static str,
    pub loss: f64,
    /// Task metrics, in the task's column order; None where not measured.
    pub metrics: Vec<Option<f64>>,
    pub grad_norm: Option<f64>,
    pub clip_rate: Option<f64>,
    pub elapsed_s: f64,
}

/// Whether higher is better for a metric (accuracies), else lower (losses, errors).
pub fn higher_is_better(metric: &str) -> bool {
    metric.contains("accuracy")
}
