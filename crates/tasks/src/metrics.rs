//! Reference implementations of the task metrics on plain arrays. The trainer computes the
//! same quantities on tensors; these define them, score the no-learning baselines against
//! generated data in the tests, and serve tools that hold predictions as vectors.
use crate::{Batch, Choice, Targets};

/// Mean cross-entropy of a predictor given as `prob(example, step, class)`, the probability it
/// gives `class` at `step` (for last-step targets, each example's last real step): over masked
/// steps for [`Targets::PerStep`], over examples for [`Targets::LastClass`]. `None` for value
/// targets or an empty mask.
pub fn cross_entropy(batch: &Batch, prob: impl Fn(usize, usize, i64) -> f64) -> Option<f64> {
    let (mut sum, mut count) = (0.0, 0.0);
    match &batch.targets {
        Targets::PerStep { classes, mask, .. } => {
            for b in 0..batch.size {
                for t in 0..batch.steps {
                    let k = b * batch.steps + t;
                    if mask[k] != 0.0 {
                        sum -= mask[k] as f64 * prob(b, t, classes[k]).ln();
                        count += mask[k] as f64;
                    }
                }
            }
        }
        Targets::LastClass { classes, .. } => {
            for (b, &c) in classes.iter().enumerate() {
                sum -= prob(b, batch.length(b) - 1, c).ln();
                count += 1.0;
            }
        }
        Targets::LastValue { .. } => return None,
    }
    (count > 0.0).then(|| sum / count)
}

/// Fraction of predicted classes that are right: `predicted` is `[size, steps]` for
/// per-step targets (counted where the loss mask is on), `[size]` for last-step targets.
pub fn accuracy(batch: &Batch, predicted: &[i64]) -> Option<f64> {
    match &batch.targets {
        Targets::PerStep { classes, mask, .. } => masked_hits(classes, mask, predicted),
        Targets::LastClass { classes, .. } => {
            let hits = classes
                .iter()
                .zip(predicted)
                .filter(|(c, p)| c == p)
                .count();
            (!classes.is_empty()).then(|| hits as f64 / classes.len() as f64)
        }
        Targets::LastValue { .. } => None,
    }
}

/// Accuracy over the recall positions only (copy memory: the steps where the data symbols
/// are to be reproduced), `predicted` being `[size, steps]`. `None` when the batch has no
/// recall positions.
pub fn recall_accuracy(batch: &Batch, predicted: &[i64]) -> Option<f64> {
    match &batch.targets {
        Targets::PerStep {
            classes, recall, ..
        } => masked_hits(classes, recall, predicted),
        _ => None,
    }
}

/// Mean squared error of one predicted value per example against value targets.
pub fn mse(batch: &Batch, predicted: &[f32]) -> Option<f64> {
    match &batch.targets {
        Targets::LastValue { values } if !values.is_empty() => Some(
            values
                .iter()
                .zip(predicted)
                .map(|(v, p)| (*v as f64 - *p as f64).powi(2))
                .sum::<f64>()
                / values.len() as f64,
        ),
        _ => None,
    }
}

/// Forced-choice accuracy: the fraction of examples whose `score(example, step, class)` is
/// higher for the good class than for the bad one (ties count as wrong).
pub fn choice_accuracy(choices: &[Choice], score: impl Fn(usize, usize, i64) -> f64) -> f64 {
    let right = choices
        .iter()
        .enumerate()
        .filter(|(b, c)| score(*b, c.step, c.good) > score(*b, c.step, c.bad))
        .count();
    right as f64 / choices.len().max(1) as f64
}

fn masked_hits(classes: &[i64], mask: &[f32], predicted: &[i64]) -> Option<f64> {
    let (mut hits, mut count) = (0.0, 0.0);
    for ((c, m), p) in classes.iter().zip(mask).zip(predicted) {
        if *m != 0.0 {
            count += *m as f64;
            if c == p {
                hits += *m as f64;
            }
        }
    }
    (count > 0.0).then(|| hits / count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Inputs, Meta};

    fn per_step() -> Batch {
        Batch {
            size: 1,
            steps: 4,
            inputs: Inputs::Tokens {
                ids: vec![0, 3, 4, 5],
                vocab: 6,
            },
            targets: Targets::PerStep {
                classes: vec![0, 1, 2, 3],
                mask: vec![0.0, 1.0, 1.0, 1.0],
                recall: vec![0.0, 0.0, 1.0, 1.0],
                num_classes: 4,
            },
            lengths: None,
            meta: vec![Meta::new()],
        }
    }

    #[test]
    fn masks_select_the_counted_steps() {
        let b = per_step();
        // Wrong on the padded step (ignored), right on 1 and 2, wrong on 3.
        let predicted = [9, 1, 2, 0];
        assert_eq!(accuracy(&b, &predicted), Some(2.0 / 3.0));
        assert_eq!(recall_accuracy(&b, &predicted), Some(0.5));
        let uniform = cross_entropy(&b, |_, _, _| 0.25).unwrap();
        assert!((uniform - 4f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn forced_choice_needs_a_strictly_higher_score() {
        let choices = [
            Choice {
                step: 0,
                good: 1,
                bad: 2,
            },
            Choice {
                step: 0,
                good: 2,
                bad: 1,
            },
        ];
        assert_eq!(choice_accuracy(&choices, |_, _, c| c as f64), 0.5);
        assert_eq!(choice_accuracy(&choices, |_, _, _| 1.0), 0.0);
    }
}
