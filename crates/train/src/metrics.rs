//! Losses and metrics of a batch, and their accumulation over an evaluation set.
use std::collections::BTreeMap;

use tch::{Kind, Reduction, Tensor};

use rnnlab_models::probe;
use rnnlab_results::files::{BreakdownRow, GradflowRow};

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

/// Adds the metrics that are functions of the mean loss, for the task kinds whose catalogue
/// lists them (`columns`): a language model's perplexity, exp(loss), and its bits per token,
/// loss / ln 2 (bits per character at character level; Graves 2013 reports text models so).
pub fn derive(columns: &[&str], means: &mut BTreeMap<String, f64>) {
    let Some(&loss) = means.get("loss") else {
        return;
    };
    if columns.contains(&"perplexity") {
        means.insert("perplexity".into(), loss.exp());
    }
    if columns.contains(&"bits_per_token") {
        means.insert("bits_per_token".into(), loss / std::f64::consts::LN_2);
    }
}

/// Sums over an evaluation set: each metric as (sum, count), so batches of any size combine.
/// With [`Evaluation::with_breakdown`], it also keeps per-bucket accuracy for `breakdown.csv`.
#[derive(Debug, Default, Clone)]
pub struct Evaluation {
    sums: BTreeMap<&'static str, (f64, f64)>,
    breakdown: Option<Breakdown>,
}

impl Evaluation {
    /// An evaluation that also breaks accuracy down by the examples' metadata.
    pub fn with_breakdown() -> Self {
        Self {
            breakdown: Some(Breakdown::default()),
            ..Self::default()
        }
    }

    /// Adds one batch's loss and metrics.
    pub fn add(&mut self, y: &Tensor, batch: &DeviceBatch) {
        let n = batch.size as f64;
        // The batch's loss is a mean over what it scores: masked steps for per-step targets,
        // examples otherwise. Weighting it by the same count makes the total a mean over the
        // whole set, whatever the grouping (sentences differ in length).
        let scored = match &batch.target {
            DeviceTargets::PerStep { mask, .. } => mask.sum(Kind::Float).double_value(&[]),
            _ => n,
        };
        let l = loss(y, batch).double_value(&[]);
        self.push("loss", l * scored, scored);
        if let Some(choices) = &batch.choices {
            // Forced choice: right when the good class outscores the bad one at the verb.
            let rows = Tensor::arange(batch.size as i64, (Kind::Int64, y.device()));
            let at = y.index(&[Some(rows), Some(choices.select(1, 0))]);
            let good = at.gather(1, &choices.narrow(1, 1, 1), false);
            let bad = at.gather(1, &choices.narrow(1, 2, 1), false);
            let hits = good.gt_tensor(&bad).view([-1]).to_kind(Kind::Float);
            self.examples(&hits, batch);
            self.push("accuracy", hits.sum(Kind::Float).double_value(&[]), n);
            return;
        }
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
                if let Some(b) = &mut self.breakdown {
                    b.add_positions(&hit, recall);
                }
            }
            DeviceTargets::LastClass(classes) => {
                let hits = y.argmax(-1, false).eq_tensor(classes).to_kind(Kind::Float);
                self.examples(&hits, batch);
                self.push("accuracy", hits.sum(Kind::Float).double_value(&[]), n);
            }
            DeviceTargets::LastValue(_) => self.push("mse", l * n, n),
        }
    }

    fn examples(&mut self, hits: &Tensor, batch: &DeviceBatch) {
        if let Some(b) = &mut self.breakdown {
            let hits: Vec<f32> =
                Vec::try_from(hits.to_device(tch::Device::Cpu)).expect("float hits");
            b.add_examples(&hits, &batch.meta);
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

    /// The rows of `breakdown.csv`, for callers that print or serialise them otherwise.
    pub fn breakdown_rows(&self) -> Vec<BreakdownRow> {
        self.breakdown
            .as_ref()
            .map_or_else(Vec::new, Breakdown::rows)
    }
}

/// Metadata keys that accuracy is broken down by (agreement: Linzen et al. 2016 report error
/// by attractors and by distance; constructions and whether the interveners agree are kept
/// apart as Marvin & Linzen 2018 do).
const BREAKDOWN_KEYS: [&str; 5] = [
    "attractors",
    "distance",
    "construction",
    "interveners",
    "label",
];

/// Per-bucket accuracy: `(key, bucket) -> (hits, n, last-noun hits, examples with a last
/// noun)`. The last-noun heuristic (predict the number of the nearest noun) is right exactly
/// when that noun's number is the subject's, so its accuracy is read from the metadata alone,
/// over the examples that have a last noun (a treebank prefix may have none).
#[derive(Debug, Default, Clone)]
struct Breakdown {
    buckets: BTreeMap<(&'static str, Bucket), (f64, f64, f64, f64)>,
}

/// A bucket label that sorts numbers numerically and text alphabetically.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Bucket {
    Number(i64),
    Text(String),
}

impl Breakdown {
    fn add_examples(&mut self, hits: &[f32], meta: &[rnnlab_tasks::Meta]) {
        for (hit, m) in hits.iter().zip(meta) {
            let last_noun = match (m.get("last_noun"), m.get("subject")) {
                (Some(l), Some(s)) => Some(f64::from(u8::from(l == s))),
                _ => None,
            };
            for key in BREAKDOWN_KEYS {
                let Some(v) = m.get(key) else { continue };
                let bucket = v
                    .parse()
                    .map_or_else(|_| Bucket::Text(v.clone()), Bucket::Number);
                let e = self
                    .buckets
                    .entry((key, bucket))
                    .or_insert((0.0, 0.0, 0.0, 0.0));
                e.0 += f64::from(*hit);
                e.1 += 1.0;
                if let Some(l) = last_noun {
                    (e.2, e.3) = (e.2 + l, e.3 + 1.0);
                }
            }
        }
    }

    /// Accuracy by recall position (copy: position 1 is the first symbol to recall).
    fn add_positions(&mut self, hit: &Tensor, recall: &Tensor) {
        let hits = (hit * recall).sum_dim_intlist(0, false, Kind::Float);
        let counts = recall.sum_dim_intlist(0, false, Kind::Float);
        let hits: Vec<f32> = Vec::try_from(hits.to_device(tch::Device::Cpu)).expect("floats");
        let counts: Vec<f32> = Vec::try_from(counts.to_device(tch::Device::Cpu)).expect("floats");
        let mut position = 0;
        for (h, c) in hits.iter().zip(&counts) {
            if *c > 0.0 {
                position += 1;
                let e = self
                    .buckets
                    .entry(("position", Bucket::Number(position)))
                    .or_insert((0.0, 0.0, 0.0, 0.0));
                e.0 += f64::from(*h);
                e.1 += f64::from(*c);
            }
        }
    }

    fn rows(&self) -> Vec<BreakdownRow> {
        self.buckets
            .iter()
            .map(|((key, bucket), (hits, n, last, known))| BreakdownRow {
                by: key.to_string(),
                bucket: match bucket {
                    Bucket::Number(v) => v.to_string(),
                    Bucket::Text(t) => t.clone(),
                },
                n: *n,
                accuracy: hits / n,
                last_noun: (*known > 0.0).then(|| last / known),
            })
            .collect()
    }
}

/// Whether higher is better for a metric: the metric catalogue's answer
/// ([`rnnlab_spec::higher_is_better`]), the same one the report and claims use.
pub fn higher_is_better(metric: &str) -> bool {
    rnnlab_spec::higher_is_better(metric)
}

/// Appends the gradient-flow probe's norms at `step` as gradflow.csv rows.
pub fn push_gradflow(out: &mut Vec<GradflowRow>, step: usize, flow: &probe::GradientFlow) {
    for (layer, directions) in flow.norms.iter().enumerate() {
        for (direction, norms) in directions.iter().enumerate() {
            // Distance: steps between h_t and the end of the sequence, where the loss is read
            // (for the backward direction, from the start).
            let last = norms.len().saturating_sub(1);
            for (t, norm) in norms.iter().enumerate() {
                let distance = if direction == 0 { last - t } else { t };
                out.push(GradflowRow {
                    step,
                    layer,
                    direction,
                    t,
                    distance,
                    norm: *norm,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bucket's last-noun accuracy is over its examples that have a last noun, not all.
    #[test]
    fn the_last_noun_rate_is_over_the_examples_that_have_one() {
        let meta = |last: Option<&str>| {
            let mut m = rnnlab_tasks::Meta::new();
            m.insert("attractors", "1".into());
            m.insert("subject", "singular".into());
            if let Some(l) = last {
                m.insert("last_noun", l.into());
            }
            m
        };
        let metas = [
            meta(Some("singular")),
            meta(Some("plural")),
            meta(None),
            meta(None),
        ];
        let mut b = Breakdown::default();
        b.add_examples(&[1.0, 1.0, 0.0, 1.0], &metas);
        let rows = b.rows();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].n, rows[0].accuracy), (4.0, 0.75));
        assert_eq!(rows[0].last_noun, Some(0.5));
        let mut none = Breakdown::default();
        none.add_examples(&[1.0], &[meta(None)]);
        assert_eq!(none.rows()[0].last_noun, None);
    }
}
