use rnnlab_spec::TemporalOrderConfig;
use serde_json::json;

use crate::describe::{meta_json, meta_text};
use crate::{
    split_key, Baseline, Batch, Example, Inputs, Meta, Readout, Rng, Shape, Split, Targets, Task,
};

/// The letters of the six input channels: the relevant symbols A and B, then the
/// distractors c, d, e, f.
const LETTERS: [char; 6] = ['A', 'B', 'c', 'd', 'e', 'f'];

/// The windows, in percent of the length, where the relevant symbols sit. Two symbols:
/// `[10%, 20%)` and `[50%, 60%)` (Pascanu, Mikolov & Bengio 2013, after Hochreiter &
/// Schmidhuber 1997, Exp. 6a). Three symbols: Exp. 6b's windows `[10, 20]`, `[33, 43]`,
/// `[66, 76]` for lengths 100-110, written as the same fractions of the length.
fn windows(positions: usize) -> &'static [(usize, usize)] {
    match positions {
        2 => &[(10, 20), (50, 60)],
        _ => &[(10, 20), (33, 43), (66, 76)],
    }
}

/// Temporal order (Hochreiter & Schmidhuber 1997, Exp. 6a/6b; layout of Pascanu et al. 2013):
/// L steps over six one-hot channels. Every step holds a uniform distractor from {c, d, e, f}
/// except the 2 (or 3) relevant steps, one uniform in each window of [`windows`] (step range
/// `[L·lo/100, L·hi/100)`, integer division; `L >= 10` keeps every window non-empty), which
/// hold A or B uniformly. The class, read at the last step, is the relevant symbols in order
/// as a binary number (A = 0, B = 1): AA, AB, BA, BB = 0..3, or AAA..BBB = 0..7. Chance is
/// 1/4 (1/8), cross-entropy ln 4 (ln 8).
#[derive(Debug, Clone)]
pub struct TemporalOrder {
    config: TemporalOrderConfig,
    seed: u64,
}

impl TemporalOrder {
    /// # Panics
    /// When the config is out of range (see [`TemporalOrderConfig::check`]).
    pub fn new(config: TemporalOrderConfig, seed: u64) -> Self {
        if let Err(e) = config.check() {
            panic!("temporal_order: {e}");
        }
        Self { config, seed }
    }

    fn classes(&self) -> usize {
        1 << self.config.positions
    }
}

impl Task for TemporalOrder {
    fn shape(&self) -> Shape {
        Shape {
            inputs: 6,
            tokens: false,
            outputs: self.classes(),
            readout: Readout::LastClass,
        }
    }

    fn batch(&self, split: Split, index: u64, size: usize) -> Batch {
        let l = self.config.length;
        let mut rng = Rng::stream(self.seed, &[split_key(split), index]);
        let mut values = vec![0f32; size * l * 6];
        let mut classes = Vec::with_capacity(size);
        let mut meta = Vec::with_capacity(size);
        for b in 0..size {
            let x = &mut values[b * l * 6..(b + 1) * l * 6];
            for step in 0..l {
                x[step * 6 + 2 + rng.below(4) as usize] = 1.0;
            }
            let mut class = 0;
            let mut label = String::new();
            let mut m = Meta::new();
            for (i, &(lo, hi)) in windows(self.config.positions).iter().enumerate() {
                let p = rng.index(l * lo / 100, l * hi / 100);
                let symbol = rng.below(2) as usize;
                x[p * 6..(p + 1) * 6].fill(0.0);
                x[p * 6 + symbol] = 1.0;
                class = class * 2 + symbol as i64;
                label.push(LETTERS[symbol]);
                m.insert(["p0", "p1", "p2"][i], p.to_string());
            }
            m.insert("label", label);
            classes.push(class);
            meta.push(m);
        }
        Batch {
            size,
            steps: l,
            inputs: Inputs::Dense {
                values,
                channels: 6,
            },
            targets: Targets::LastClass {
                classes,
                num_classes: self.classes(),
            },
            lengths: None,
            meta,
        }
    }

    fn baselines(&self) -> Vec<Baseline> {
        let c = self.classes() as f64;
        vec![
            Baseline {
                name: "chance accuracy",
                metric: "accuracy",
                value: 1.0 / c,
            },
            Baseline {
                name: "chance loss",
                metric: "loss",
                value: c.ln(),
            },
        ]
    }

    fn kind(&self) -> &'static str {
        "temporal_order"
    }

    /// The sequence as letters (A, B relevant; c-f distractors), then the class.
    fn describe(&self, batch: &Batch, i: usize) -> Example {
        let (Inputs::Dense { values, .. }, Targets::LastClass { classes, .. }) =
            (&batch.inputs, &batch.targets)
        else {
            panic!("not a temporal order batch")
        };
        let l = batch.steps;
        let sequence: String = (0..l)
            .map(|s| {
                let row = &values[(i * l + s) * 6..(i * l + s + 1) * 6];
                LETTERS[row.iter().position(|&v| v == 1.0).unwrap_or(2)]
            })
            .collect();
        let mut json = meta_json(batch, i);
        json["sequence"] = json!(sequence);
        json["class"] = json!(classes[i]);
        Example {
            text: format!(
                "{sequence}  -> class {}  {}",
                classes[i],
                meta_text(batch, i, &[])
            ),
            json,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics;

    fn task(length: usize, positions: usize, seed: u64) -> TemporalOrder {
        TemporalOrder::new(TemporalOrderConfig { length, positions }, seed)
    }

    /// The channel of each step of example `b`.
    fn symbols(batch: &Batch, b: usize) -> Vec<usize> {
        let Inputs::Dense { values, .. } = &batch.inputs else {
            unreachable!()
        };
        (0..batch.steps)
            .map(|s| {
                let row = &values[(b * batch.steps + s) * 6..][..6];
                assert_eq!(row.iter().sum::<f32>(), 1.0, "one-hot");
                row.iter().position(|&v| v == 1.0).unwrap()
            })
            .collect()
    }

    #[test]
    fn relevant_symbols_sit_in_their_windows_and_set_the_class() {
        for seed in 0..40u64 {
            let positions = 2 + seed as usize % 2;
            let l = 10 + (seed as usize * 37) % 300;
            let t = task(l, positions, seed);
            let batch = t.batch(Split::Train, seed, 16);
            let Targets::LastClass {
                classes,
                num_classes,
            } = &batch.targets
            else {
                panic!()
            };
            assert_eq!(*num_classes, 1 << positions);
            // The windows in percent, written out independently of `windows()`.
            let bounds: &[(usize, usize)] = if positions == 2 {
                &[(10, 20), (50, 60)]
            } else {
                &[(10, 20), (33, 43), (66, 76)]
            };
            for (b, &class) in classes.iter().enumerate() {
                let x = symbols(&batch, b);
                let relevant: Vec<usize> = (0..l).filter(|&s| x[s] < 2).collect();
                assert_eq!(relevant.len(), positions, "{x:?}");
                for (&p, &(lo, hi)) in relevant.iter().zip(bounds) {
                    // p in [floor(L lo/100), floor(L hi/100)), i.e. L lo < 100 (p + 1) <= L hi.
                    let edge = 100 * (p + 1);
                    assert!(edge > l * lo && edge <= l * hi, "{p} in {l}");
                }
                let expected = relevant.iter().fold(0, |c, &s| c * 2 + x[s] as i64);
                assert_eq!(class, expected);
            }
        }
    }

    #[test]
    fn every_window_position_and_distractor_occurs() {
        let batch = task(100, 2, 4).batch(Split::Train, 0, 2_000);
        let mut seen = [0usize; 100];
        let mut distractors = [0usize; 6];
        for b in 0..batch.size {
            for (s, &c) in symbols(&batch, b).iter().enumerate() {
                if c < 2 {
                    seen[s] += 1;
                } else {
                    distractors[c] += 1;
                }
            }
        }
        let hit: Vec<usize> = (0..100).filter(|&s| seen[s] > 0).collect();
        assert_eq!(hit, (10..20).chain(50..60).collect::<Vec<_>>());
        // 196 000 distractors over 4 letters: 49 000 each, sd ~ 190.
        for c in &distractors[2..] {
            assert!((48_000..50_000).contains(c), "{distractors:?}");
        }
    }

    #[test]
    fn golden_fingerprints() {
        let got = [(2, Split::Train), (2, Split::Test), (3, Split::Train)]
            .map(|(p, s)| task(100, p, 1).batch(s, 0, 4).fingerprint());
        assert_eq!(got, GOLDEN, "temporal order data changed: {got:#x?}");
    }
    /// Fingerprints of the first batches (4 examples, seed 1), computed once; a change means
    /// the generator's output changed and every stored result drawn from it is stale.
    const GOLDEN: [u64; 3] = [
        0xd87b_cadb_6a24_f7d7,
        0xabb6_dbf7_20dc_b874,
        0x832e_8e72_e4fa_bb1d,
    ];

    /// The class prior estimated from one batch, scored on another, against chance; and the
    /// classes must be balanced.
    #[test]
    fn chance_baselines_match_a_monte_carlo_estimate() {
        for positions in [2, 3] {
            let t = task(40, positions, 8);
            let n = 16_000;
            let fit = t.batch(Split::Train, 0, n);
            let eval = t.batch(Split::Valid, 0, n);
            let c = 1usize << positions;
            let Targets::LastClass { classes, .. } = &fit.targets else {
                unreachable!()
            };
            let mut freq = vec![0f64; c];
            classes.iter().for_each(|&k| freq[k as usize] += 1.0);
            let expected = n as f64 / c as f64;
            for f in &freq {
                assert!((f - expected).abs() < 5.0 * expected.sqrt(), "{freq:?}");
            }
            let prior: Vec<f64> = freq.iter().map(|f| f / n as f64).collect();
            let ce = metrics::cross_entropy(&eval, |_, _, k| prior[k as usize]).unwrap();
            let majority = (0..c)
                .max_by(|&a, &b| prior[a].total_cmp(&prior[b]))
                .unwrap() as i64;
            let acc = metrics::accuracy(&eval, &vec![majority; n]).unwrap();
            let base = t.baselines();
            assert!((acc - base[0].value).abs() < 0.015, "{acc} {base:?}");
            assert!((ce - base[1].value).abs() < 0.005, "{ce} {base:?}");
        }
    }

    #[test]
    fn description_spells_the_sequence() {
        let t = task(20, 2, 3);
        let batch = t.batch(Split::Train, 0, 1);
        let ex = t.describe(&batch, 0);
        let seq = ex.json["sequence"].as_str().unwrap();
        assert_eq!(seq.len(), 20);
        let upper: String = seq.chars().filter(|c| c.is_uppercase()).collect();
        assert_eq!(ex.json["label"], json!(upper));
        assert!(ex.text.starts_with(seq));
    }
}
