use rnnlab_spec::CopyConfig;
use serde_json::json;

use crate::describe::run_length;
use crate::{
    split_key, Baseline, Batch, Example, Inputs, Meta, Readout, Rng, Shape, Split, Targets, Task,
};

/// Copy memory (Hochreiter & Schmidhuber 1997), in the layout of Arjovsky, Shah & Bengio 2016
/// ("Unitary evolution recurrent neural networks", the uRNN paper), with gap T, K data symbols
/// and R symbols to recall (T, 8, 10 in the paper):
///
/// - alphabet: blank 0, data symbols `1..=K`, delimiter `K + 1`; inputs one-hot over K + 2
///   channels, targets over K + 1 classes (blank and data; the delimiter is never a target);
/// - input, T + 2R steps: R uniform data symbols, T - 1 blanks, the delimiter, R blanks;
/// - target: T + R blanks, then the R data symbols in order.
///
/// The loss is cross-entropy over every step; `recall_accuracy` counts the last R steps only.
/// A memoryless model can at best emit blanks where they are certain and a uniform guess at
/// the R recall steps: cross-entropy `R ln K / (T + 2R)` (`10 ln 8 / (T + 20)` at the
/// paper's settings), the line a model must go clearly below to have learned anything.
#[derive(Debug, Clone)]
pub struct Copy {
    config: CopyConfig,
    seed: u64,
}

impl Copy {
    /// # Panics
    /// When a parameter is 0 (see [`CopyConfig::check`]).
    pub fn new(config: CopyConfig, seed: u64) -> Self {
        if let Err(e) = config.check() {
            panic!("copy: {e}");
        }
        Self { config, seed }
    }

    fn steps(&self) -> usize {
        self.config.length + 2 * self.config.recall
    }

    fn delimiter(&self) -> usize {
        self.config.symbols + 1
    }
}

impl Task for Copy {
    fn shape(&self) -> Shape {
        Shape {
            inputs: self.config.symbols + 2,
            tokens: false,
            outputs: self.config.symbols + 1,
            readout: Readout::PerStep,
        }
    }

    fn batch(&self, split: Split, index: u64, size: usize) -> Batch {
        let CopyConfig {
            length: t,
            symbols: k,
            recall: r,
        } = self.config;
        let steps = self.steps();
        let channels = k + 2;
        let mut rng = Rng::stream(self.seed, &[split_key(split), index]);
        let mut values = vec![0f32; size * steps * channels];
        let mut classes = vec![0i64; size * steps];
        let mut recall = vec![0f32; size * steps];
        for b in 0..size {
            let x = &mut values[b * steps * channels..(b + 1) * steps * channels];
            let y = &mut classes[b * steps..(b + 1) * steps];
            for step in 0..steps {
                x[step * channels] = 1.0;
            }
            for j in 0..r {
                let symbol = 1 + rng.below(k as u64) as usize;
                x[j * channels] = 0.0;
                x[j * channels + symbol] = 1.0;
                y[t + r + j] = symbol as i64;
            }
            let delimiter = r + t - 1;
            x[delimiter * channels] = 0.0;
            x[delimiter * channels + self.delimiter()] = 1.0;
            recall[b * steps + t + r..(b + 1) * steps].fill(1.0);
        }
        Batch {
            size,
            steps,
            inputs: Inputs::Dense { values, channels },
            targets: Targets::PerStep {
                classes,
                mask: vec![1.0; size * steps],
                recall,
                num_classes: k + 1,
            },
            lengths: None,
            meta: vec![Meta::new(); size],
        }
    }

    fn baselines(&self) -> Vec<Baseline> {
        let (t, k, r) = (
            self.config.length as f64,
            self.config.symbols as f64,
            self.config.recall as f64,
        );
        // The memoryless strategy: blanks everywhere but the recall steps, where it guesses
        // uniformly among the symbols (chance).
        vec![
            Baseline {
                name: "memoryless loss",
                metric: "loss",
                value: r * k.ln() / (t + 2.0 * r),
            },
            Baseline {
                name: "chance accuracy",
                metric: "recall_accuracy",
                value: 1.0 / k,
            },
            Baseline {
                name: "memoryless accuracy",
                metric: "accuracy",
                value: (t + r + r / k) / (t + 2.0 * r),
            },
        ]
    }

    fn kind(&self) -> &'static str {
        "copy"
    }

    /// `in:` and `out:` lines of symbols: data symbols as numbers, blank `_`, delimiter `:`,
    /// long runs counted (`_×99`).
    fn describe(&self, batch: &Batch, i: usize) -> Example {
        let (Inputs::Dense { values, channels }, Targets::PerStep { classes, .. }) =
            (&batch.inputs, &batch.targets)
        else {
            panic!("not a copy batch")
        };
        let steps = batch.steps;
        let input: Vec<usize> = (0..steps)
            .map(|s| {
                let row = &values[(i * steps + s) * channels..(i * steps + s + 1) * channels];
                row.iter().position(|&v| v == 1.0).unwrap_or(0)
            })
            .collect();
        let target = &classes[i * steps..(i + 1) * steps];
        let show = |s: usize| match s {
            0 => "_".to_string(),
            s if s == self.delimiter() => ":".to_string(),
            s => s.to_string(),
        };
        let data: Vec<usize> = input[..self.config.recall].to_vec();
        let input_text = run_length(input.iter().map(|&s| show(s)));
        let target_text = run_length(target.iter().map(|&s| show(s as usize)));
        Example {
            text: format!("in:  {input_text}\nout: {target_text}"),
            // The arrays themselves come from `describe::data_json`; the text is in `text`.
            json: json!({ "data": data }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics;

    fn task(length: usize, symbols: usize, recall: usize, seed: u64) -> Copy {
        Copy::new(
            CopyConfig {
                length,
                symbols,
                recall,
            },
            seed,
        )
    }

    /// The symbol at each step of example `b`, read back from the one-hot inputs.
    fn symbols(batch: &Batch, b: usize) -> Vec<usize> {
        let Inputs::Dense { values, channels } = &batch.inputs else {
            unreachable!()
        };
        (0..batch.steps)
            .map(|s| {
                let row = &values[(b * batch.steps + s) * channels..][..*channels];
                assert_eq!(row.iter().filter(|&&v| v == 1.0).count(), 1, "one-hot");
                assert_eq!(row.iter().filter(|&&v| v == 0.0).count(), channels - 1);
                row.iter().position(|&v| v == 1.0).unwrap()
            })
            .collect()
    }

    #[test]
    fn layout_is_the_urnn_one_on_many_seeds() {
        for seed in 0..40u64 {
            let (t, k, r) = (
                1 + seed as usize % 13,
                1 + seed as usize % 9,
                1 + seed as usize % 11,
            );
            let copy = task(t, k, r, seed);
            let batch = copy.batch(Split::Train, seed * 7, 8);
            assert_eq!(batch.steps, t + 2 * r);
            let Targets::PerStep {
                classes,
                mask,
                recall,
                num_classes,
            } = &batch.targets
            else {
                panic!()
            };
            assert_eq!(*num_classes, k + 1);
            assert!(mask.iter().all(|&m| m == 1.0), "loss on every step");
            for b in 0..8 {
                let x = symbols(&batch, b);
                let data = &x[..r];
                assert!(data.iter().all(|&s| (1..=k).contains(&s)), "{data:?}");
                assert!(x[r..r + t - 1].iter().all(|&s| s == 0), "gap of T-1 blanks");
                assert_eq!(x[r + t - 1], k + 1, "delimiter");
                assert!(
                    x[r + t..].iter().all(|&s| s == 0),
                    "blanks after the delimiter"
                );
                // The target, rebuilt from the input alone.
                let expected: Vec<i64> = std::iter::repeat_n(0, t + r)
                    .chain(data.iter().map(|&s| s as i64))
                    .collect();
                assert_eq!(&classes[b * batch.steps..][..batch.steps], &expected[..]);
                let rec = &recall[b * batch.steps..][..batch.steps];
                assert_eq!(rec.iter().filter(|&&v| v == 1.0).count(), r);
                assert!(rec[t + r..].iter().all(|&v| v == 1.0));
            }
        }
    }

    #[test]
    fn data_symbols_are_uniform() {
        let batch = task(5, 8, 10, 3).batch(Split::Train, 0, 8_000);
        let mut counts = [0usize; 10];
        for b in 0..batch.size {
            for s in &symbols(&batch, b)[..10] {
                counts[*s] += 1;
            }
        }
        // 80 000 draws over 8 symbols: 10 000 expected, sd ~ 94.
        for c in &counts[1..9] {
            assert!((9_600..10_400).contains(c), "{counts:?}");
        }
    }

    #[test]
    fn batches_are_reproducible_and_streams_distinct() {
        let copy = task(30, 8, 10, 11);
        assert_eq!(
            copy.batch(Split::Valid, 4, 5),
            copy.batch(Split::Valid, 4, 5)
        );
        assert_ne!(
            copy.batch(Split::Valid, 4, 5),
            copy.batch(Split::Valid, 5, 5)
        );
        assert_ne!(
            copy.batch(Split::Valid, 4, 5),
            copy.batch(Split::Test, 4, 5)
        );
        assert_ne!(
            copy.batch(Split::Valid, 4, 5),
            task(30, 8, 10, 12).batch(Split::Valid, 4, 5)
        );
    }

    #[test]
    fn golden_fingerprints() {
        let copy = task(100, 8, 10, 1);
        let got =
            [Split::Train, Split::Valid, Split::Test].map(|s| copy.batch(s, 0, 4).fingerprint());
        assert_eq!(got, GOLDEN, "copy data changed: {got:#x?}");
    }
    /// Fingerprints of the first batches (4 examples, seed 1), computed once; a change means
    /// the generator's output changed and every stored result drawn from it is stale.
    const GOLDEN: [u64; 3] = [
        0xf140_242e_6680_e790,
        0xb591_eb6c_f566_1676,
        0x8bcc_3551_4581_8d58,
    ];

    /// The best memoryless predictor, estimated from data: per-step class frequencies of one
    /// batch (add-one smoothed), scored on another. It must land on the analytic baseline.
    #[test]
    fn memoryless_baseline_matches_a_monte_carlo_estimate() {
        for (t, k, r) in [(20, 8, 10), (7, 3, 4)] {
            let copy = task(t, k, r, 9);
            let fit = copy.batch(Split::Train, 0, 6_000);
            let eval = copy.batch(Split::Valid, 0, 6_000);
            let Targets::PerStep { classes, .. } = &fit.targets else {
                unreachable!()
            };
            let steps = fit.steps;
            let mut freq = vec![vec![1.0f64; k + 1]; steps];
            for b in 0..fit.size {
                for s in 0..steps {
                    freq[s][classes[b * steps + s] as usize] += 1.0;
                }
            }
            for row in &mut freq {
                let total: f64 = row.iter().sum();
                row.iter_mut().for_each(|v| *v /= total);
            }
            let ce = metrics::cross_entropy(&eval, |_, s, c| freq[s][c as usize]).unwrap();
            let majority: Vec<i64> = (0..eval.size * steps)
                .map(|i| {
                    let row = &freq[i % steps];
                    (0..=k).max_by(|&a, &b| row[a].total_cmp(&row[b])).unwrap() as i64
                })
                .collect();
            let base = copy.baselines();
            assert!(
                (ce - base[0].value).abs() < 0.01 * base[0].value,
                "{ce} vs {:?}",
                base[0]
            );
            let recall = metrics::recall_accuracy(&eval, &majority).unwrap();
            assert!(
                (recall - base[1].value).abs() < 0.015,
                "{recall} vs {:?}",
                base[1]
            );
            let acc = metrics::accuracy(&eval, &majority).unwrap();
            assert!((acc - base[2].value).abs() < 0.01, "{acc} vs {:?}", base[2]);
        }
        let paper = task(100, 8, 10, 0).baselines()[0].value;
        assert!((paper - 10.0 * 8f64.ln() / 120.0).abs() < 1e-15);
    }

    #[test]
    fn description_shows_data_gap_and_recall() {
        let copy = task(6, 8, 3, 2);
        let batch = copy.batch(Split::Train, 0, 1);
        let ex = copy.describe(&batch, 0);
        let data = symbols(&batch, 0)[..3]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(ex.text, format!("in:  {data} _×5 : _ _ _\nout: _×9 {data}"));
        assert_eq!(ex.json["data"].as_array().unwrap().len(), 3);
    }
}
