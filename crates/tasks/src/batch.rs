use std::collections::BTreeMap;

/// A batch of examples as plain arrays, batch-major: element (b, t, c) of a `[batch, steps,
/// channels]` array is at `(b * steps + t) * channels + c`.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub size: usize,
    pub steps: usize,
    pub inputs: Inputs,
    pub targets: Targets,
    /// Each example's real length when examples differ in length (token tasks pad on the
    /// right); `None` when every example fills all `steps`. A model reads example `b`'s last
    /// step at `length(b) - 1` and reverses time within the length for a backward direction,
    /// so that no output it is scored on has read padding.
    pub lengths: Option<Vec<usize>>,
    /// Per-example metadata for breakdowns (agreement: attractors, distance, ...).
    pub meta: Vec<Meta>,
}

/// Per-example metadata: named values, in name order.
pub type Meta = BTreeMap<&'static str, String>;

#[derive(Debug, Clone, PartialEq)]
pub enum Inputs {
    /// Real-valued inputs `[size, steps, channels]` (one-hot symbols, or the adding problem's
    /// values and markers).
    Dense { values: Vec<f32>, channels: usize },
    /// Token ids `[size, steps]`, to be embedded; sequences shorter than `steps` are padded
    /// on the right with id 0 and their lengths are in [`Batch::lengths`].
    Tokens { ids: Vec<i64>, vocab: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// A class per step `[size, steps]`, with a loss mask `[size, steps]` (1 where the step
    /// counts) and a recall mask marking the steps reported as `recall_accuracy`.
    PerStep {
        classes: Vec<i64>,
        mask: Vec<f32>,
        recall: Vec<f32>,
        num_classes: usize,
    },
    /// A class per example `[size]`, read at the example's last step.
    LastClass {
        classes: Vec<i64>,
        num_classes: usize,
    },
    /// A real value per example `[size]`, read at the example's last step.
    LastValue { values: Vec<f32> },
}

impl Batch {
    /// Example `b`'s real length: the steps before its padding.
    pub fn length(&self, b: usize) -> usize {
        self.lengths.as_ref().map_or(self.steps, |l| l[b])
    }

    /// A 64-bit FNV-1a hash (Fowler, Noll & Vo) of everything in the batch: sizes, inputs,
    /// targets and metadata, in a fixed byte order. Two batches with the same fingerprint are
    /// the same data; golden fingerprints pin each generator's output across releases and
    /// machines. Floats are hashed by their bit patterns; lengths, when given, are hashed too.
    pub fn fingerprint(&self) -> u64 {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.u64(self.size as u64);
        h.u64(self.steps as u64);
        match &self.inputs {
            Inputs::Dense { values, channels } => {
                h.u64(0);
                h.u64(*channels as u64);
                values.iter().for_each(|v| h.u64(v.to_bits() as u64));
            }
            Inputs::Tokens { ids, vocab } => {
                h.u64(1);
                h.u64(*vocab as u64);
                ids.iter().for_each(|&v| h.u64(v as u64));
            }
        }
        match &self.targets {
            Targets::PerStep {
                classes,
                mask,
                recall,
                num_classes,
            } => {
                h.u64(2);
                h.u64(*num_classes as u64);
                classes.iter().for_each(|&v| h.u64(v as u64));
                mask.iter().for_each(|v| h.u64(v.to_bits() as u64));
                recall.iter().for_each(|v| h.u64(v.to_bits() as u64));
            }
            Targets::LastClass {
                classes,
                num_classes,
            } => {
                h.u64(3);
                h.u64(*num_classes as u64);
                classes.iter().for_each(|&v| h.u64(v as u64));
            }
            Targets::LastValue { values } => {
                h.u64(4);
                values.iter().for_each(|v| h.u64(v.to_bits() as u64));
            }
        }
        if let Some(lengths) = &self.lengths {
            h.u64(5);
            lengths.iter().for_each(|&n| h.u64(n as u64));
        }
        for m in &self.meta {
            h.u64(m.len() as u64);
            for (k, v) in m {
                h.bytes(k.as_bytes());
                h.bytes(v.as_bytes());
            }
        }
        h.0
    }
}

struct Fnv(u64);

impl Fnv {
    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn u64(&mut self, v: u64) {
        v.to_le_bytes().into_iter().for_each(|b| self.byte(b));
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        bytes.iter().for_each(|&b| self.byte(b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(value: f32) -> Batch {
        Batch {
            size: 1,
            steps: 2,
            inputs: Inputs::Dense {
                values: vec![value, 0.0],
                channels: 1,
            },
            targets: Targets::LastValue { values: vec![1.0] },
            lengths: None,
            meta: vec![Meta::new()],
        }
    }

    #[test]
    fn fingerprint_sees_every_part_of_a_batch() {
        let a = batch(0.5);
        assert_eq!(a.fingerprint(), batch(0.5).fingerprint());
        assert_ne!(a.fingerprint(), batch(0.25).fingerprint());
        assert_ne!(batch(0.0).fingerprint(), batch(-0.0).fingerprint());
        let mut b = a.clone();
        b.meta[0].insert("k", "v".into());
        assert_ne!(a.fingerprint(), b.fingerprint());
        let mut c = a.clone();
        c.targets = Targets::LastValue { values: vec![2.0] };
        assert_ne!(a.fingerprint(), c.fingerprint());
        let mut d = a.clone();
        d.lengths = Some(vec![1]);
        assert_ne!(a.fingerprint(), d.fingerprint());
        assert_eq!((a.length(0), d.length(0)), (2, 1));
    }

    #[test]
    fn fnv_matches_its_published_test_vector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (Fowler, Noll & Vo reference vectors).
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.byte(b'a');
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
    }
}
