use rnnlab_spec::AddingConfig;

use serde_json::json;

use crate::{
    split_key, Baseline, Batch, Example, Inputs, Readout, Rng, Shape, Split, Targets, Task,
};

/// The adding problem (Hochreiter & Schmidhuber 1997, Exp. 4; the variant of Le et al. 2015
/// and Arjovsky et al. 2016): channel 0 holds values ~ U[0,1], channel 1 marks exactly two of
/// them, one at a uniform position in the first half `[0, T/2)` and one in the second half
/// `[T/2, T)`. The target is the sum of the two marked values, read at the last step.
///
/// Predicting 1 always gives MSE = Var(U1 + U2) = 2/12 = 1/6; "solved" is MSE < 0.01 by the
/// common convention.
#[derive(Debug, Clone)]
pub struct Adding {
    config: AddingConfig,
    seed: u64,
}

impl Adding {
    pub fn new(config: AddingConfig, seed: u64) -> Self {
        assert!(config.length >= 2, "adding needs length >= 2");
        Self { config, seed }
    }
}

impl Task for Adding {
    fn shape(&self) -> Shape {
        Shape {
            inputs: 2,
            tokens: false,
            outputs: 1,
            readout: Readout::LastValue,
        }
    }

    fn batch(&self, split: Split, index: u64, size: usize) -> Batch {
        let t = self.config.length;
        let half = t / 2;
        let mut rng = Rng::stream(self.seed, &[split_key(split), index]);
        let mut values = vec![0f32; size * t * 2];
        let mut targets = Vec::with_capacity(size);
        let mut meta = Vec::with_capacity(size);
        for b in 0..size {
            let row = &mut values[b * t * 2..(b + 1) * t * 2];
            for step in 0..t {
                row[step * 2] = rng.uniform() as f32;
            }
            let first = rng.index(0, half);
            let second = rng.index(half, t);
            row[first * 2 + 1] = 1.0;
            row[second * 2 + 1] = 1.0;
            targets.push(row[first * 2] + row[second * 2]);
            meta.push(
                [("first", first.to_string()), ("second", second.to_string())]
                    .into_iter()
                    .collect(),
            );
        }
        Batch {
            size,
            steps: t,
            inputs: Inputs::Dense {
                values,
                channels: 2,
            },
            targets: Targets::LastValue { values: targets },
            lengths: None,
            meta,
        }
    }

    fn baselines(&self) -> Vec<Baseline> {
        vec![Baseline {
            name: "predict 1",
            metric: "mse",
            value: 1.0 / 6.0,
        }]
    }

    /// The loss is the squared error, so `predict 1`'s MSE is the no-learning loss.
    fn no_learning_loss(&self) -> Option<f64> {
        self.baselines()
            .into_iter()
            .find(|b| b.name == "predict 1")
            .map(|b| b.value)
    }

    fn kind(&self) -> &'static str {
        "adding"
    }

    /// The two marked steps with their values, and the target.
    fn describe(&self, batch: &Batch, i: usize) -> Example {
        let (Inputs::Dense { values, .. }, Targets::LastValue { values: targets }) =
            (&batch.inputs, &batch.targets)
        else {
            panic!("not an adding batch")
        };
        let t = batch.steps;
        let row = &values[i * t * 2..(i + 1) * t * 2];
        let marked: Vec<(usize, f32)> = (0..t)
            .filter(|&s| row[s * 2 + 1] == 1.0)
            .map(|s| (s, row[s * 2]))
            .collect();
        let text = marked
            .iter()
            .map(|(s, v)| format!("x[{s}] = {v:.4}"))
            .collect::<Vec<_>>()
            .join(" + ");
        Example {
            text: format!("{text} = {:.4}  (length {t})", targets[i]),
            json: json!({
                "length": t,
                "marked": marked.iter().map(|(s, v)| json!({"step": s, "value": v})).collect::<Vec<_>>(),
                "target": targets[i],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_sit_one_in_each_half_and_the_target_is_their_sum() {
        for seed in 0..20 {
            let task = Adding::new(AddingConfig { length: 31 }, seed);
            let batch = task.batch(Split::Train, seed, 16);
            let (Inputs::Dense { values, .. }, Targets::LastValue { values: targets }) =
                (&batch.inputs, &batch.targets)
            else {
                panic!("adding gives dense inputs and value targets")
            };
            for b in 0..16 {
                let row = &values[b * 31 * 2..(b + 1) * 31 * 2];
                let marked: Vec<usize> = (0..31).filter(|&s| row[s * 2 + 1] == 1.0).collect();
                assert_eq!(marked.len(), 2);
                assert!(marked[0] < 15 && marked[1] >= 15, "{marked:?}");
                let sum = row[marked[0] * 2] + row[marked[1] * 2];
                assert_eq!(sum, targets[b]);
            }
        }
    }

    #[test]
    fn golden_fingerprints() {
        let task = Adding::new(AddingConfig { length: 100 }, 1);
        let got =
            [Split::Train, Split::Valid, Split::Test].map(|s| task.batch(s, 0, 4).fingerprint());
        assert_eq!(got, GOLDEN, "adding data changed: {got:#x?}");
    }
    /// Fingerprints of the first batches (4 examples, seed 1), computed once; a change means
    /// the generator's output changed and every stored result drawn from it is stale.
    const GOLDEN: [u64; 3] = [
        0x857d_3fe1_9ff9_edfd,
        0x04da_f911_5551_0c61,
        0x5d6d_f942_9763_b2eb,
    ];

    #[test]
    fn description_names_the_marked_values() {
        let task = Adding::new(AddingConfig { length: 8 }, 2);
        let batch = task.batch(Split::Train, 0, 1);
        let ex = task.describe(&batch, 0);
        let marked = ex.json["marked"].as_array().unwrap();
        assert_eq!(marked.len(), 2);
        let sum = marked
            .iter()
            .map(|m| m["value"].as_f64().unwrap())
            .sum::<f64>();
        assert!((sum - ex.json["target"].as_f64().unwrap()).abs() < 1e-6);
        assert!(
            ex.text.contains(" + ") && ex.text.contains("(length 8)"),
            "{}",
            ex.text
        );
    }

    #[test]
    fn predicting_one_scores_the_analytic_baseline() {
        let task = Adding::new(AddingConfig { length: 10 }, 5);
        let batch = task.batch(Split::Valid, 0, 20_000);
        let Targets::LastValue { values } = batch.targets else {
            unreachable!()
        };
        let mse = values
            .iter()
            .map(|v| (*v as f64 - 1.0).powi(2))
            .sum::<f64>()
            / values.len() as f64;
        assert!((mse - task.baselines()[0].value).abs() < 0.005, "{mse}");
    }
}
