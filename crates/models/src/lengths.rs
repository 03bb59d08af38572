//! Where each example of a batch ends. Sentences of different lengths are padded on the right;
//! a forward direction then never reads padding before a real step, and the backward
//! direction reads each sentence reversed within its own length, so no output a model is
//! scored on has read padding, whatever else is in its batch. (Left padding, or reversing the
//! whole padded sequence, puts padding before real words and makes a prediction depend on the
//! length of the batch's longest sentence.)
use tch::{Device, Kind, Tensor};

/// How the examples of a `[B, T, ...]` batch fill its T steps.
#[derive(Debug)]
pub enum Lengths {
    /// Every example is T steps long.
    Full { steps: i64 },
    /// Example b is `len[b] ≤ T` steps long, then padding.
    Padded {
        /// Flat row (b·T + t) of each example's last real step, `[B]`.
        last: Tensor,
        /// Flat row each (b, t) reads when time is reversed within the example, `[B·T]`: step
        /// `len[b] - 1 - t` for real steps, the step itself for padding.
        reverse: Tensor,
    },
}

impl Lengths {
    /// `lengths`: `[B]` int64 real lengths on the batch's device, or `None` when every example
    /// fills all `steps`.
    pub fn new(lengths: Option<&Tensor>, steps: i64) -> Self {
        let Some(len) = lengths else {
            return Self::Full { steps };
        };
        let (b, device) = (len.size()[0], len.device());
        let row0 = arange(b, device).view([b, 1]) * steps;
        let t = arange(steps, device).view([1, steps]);
        let len = len.to_kind(Kind::Int64).view([b, 1]);
        let reversed = (&len - 1 - &t).where_self(&t.lt_tensor(&len), &t);
        Self::Padded {
            last: (&row0 + len - 1).view([b]),
            reverse: (reversed + row0).view([b * steps]),
        }
    }

    /// `x` `[B, T, W]` with time reversed within each example; applying it twice gives `x`.
    pub fn reverse(&self, x: &Tensor) -> Tensor {
        match self {
            Self::Full { .. } => x.flip([1]),
            Self::Padded { reverse, .. } => rows(x).index_select(0, reverse).view_as(x),
        }
    }

    /// Each example's `[B, T, W]` output at its last real step: `[B, W]`.
    pub fn last(&self, h: &Tensor) -> Tensor {
        match self {
            Self::Full { steps } => h.select(1, steps - 1),
            Self::Padded { last, .. } => rows(h).index_select(0, last),
        }
    }
}

fn arange(n: i64, device: Device) -> Tensor {
    Tensor::arange(n, (Kind::Int64, device))
}

/// `[B, T, W]` as `[B·T, W]` rows.
fn rows(x: &Tensor) -> Tensor {
    let s = x.size();
    x.reshape([s[0] * s[1], s[2]])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(t: &Tensor) -> Vec<f32> {
        Vec::<f32>::try_from(t.flatten(0, -1)).unwrap()
    }

    #[test]
    fn reverses_within_each_length_and_leaves_padding_in_place() {
        // Two examples of 4 steps, 1 channel: lengths 4 and 2.
        let x = Tensor::from_slice(&[1f32, 2., 3., 4., 5., 6., 0., 0.]).view([2, 4, 1]);
        let lengths = Tensor::from_slice(&[4i64, 2]);
        let l = Lengths::new(Some(&lengths), 4);
        assert_eq!(values(&l.reverse(&x)), [4., 3., 2., 1., 6., 5., 0., 0.]);
        assert_eq!(values(&l.reverse(&l.reverse(&x))), values(&x));
        assert_eq!(values(&l.last(&x)), [4., 6.]);
        let full = Lengths::new(None, 4);
        assert_eq!(values(&full.reverse(&x)), [4., 3., 2., 1., 0., 0., 6., 5.]);
        assert_eq!(values(&full.last(&x)), [4., 0.]);
    }
}
