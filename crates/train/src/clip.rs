//! The global gradient norm, and clipping (Pascanu, Mikolov & Bengio 2013).
use rnnlab_spec::{Clip, ClipKind};
use tch::Tensor;

/// The global L2 norm of all gradients, before clipping, with one device sync.
///
/// The gradients are concatenated into one vector and reduced by a single dot product. Models
/// here have a handful of small tensors, where every kernel launch costs more than the
/// arithmetic: one reduction per gradient (or a square and a sum each) was the largest cost the
/// runner adds to a small model's step. The copy is cheap next to the step it follows even for
/// the largest models benchmarked (about a megabyte at H = 256).
pub fn global_norm(params: &[Tensor]) -> f64 {
    let _guard = tch::no_grad_guard();
    let flat: Vec<Tensor> = params
        .iter()
        .map(|p| p.grad())
        .filter(|g| g.defined())
        .map(|g| g.reshape([-1]))
        .collect();
    if flat.is_empty() {
        return 0.0;
    }
    let all = Tensor::cat(&flat, 0);
    all.dot(&all).double_value(&[]).max(0.0).sqrt()
}

/// Applies `clip` to the gradients in place, given their global norm. Returns whether any
/// gradient was changed.
pub fn apply(clip: &Clip, params: &[Tensor], norm: f64) -> bool {
    match clip.kind {
        ClipKind::None => false,
        ClipKind::Norm => {
            if norm <= clip.max {
                return false;
            }
            // Rescale the whole gradient to norm `max`, keeping its direction.
            let scale = clip.max / (norm + 1e-6);
            for p in params {
                let mut g = p.grad();
                if g.defined() {
                    let _ = g.g_mul_scalar_(scale);
                }
            }
            true
        }
        ClipKind::Value => {
            let mut clipped = false;
            for p in params {
                let mut g = p.grad();
                if g.defined() {
                    clipped |= g.abs().max().double_value(&[]) > clip.max;
                    let _ = g.clamp_(-clip.max, clip.max);
                }
            }
            clipped
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_global_norm_covers_every_gradient() {
        let a = Tensor::from_slice(&[1.0f32, 2.0]).set_requires_grad(true);
        let b = Tensor::from_slice(&[3.0f32]).set_requires_grad(true);
        let unused = Tensor::from_slice(&[5.0f32]).set_requires_grad(true);
        // d/da of a·a/2 is a, so the gradients are (1, 2) and (3): norm √14.
        ((&a * &a).sum(tch::Kind::Float) / 2.0 + (&b * &b).sum(tch::Kind::Float) / 2.0).backward();
        let params = [a, b, unused];
        assert!((global_norm(&params) - 14f64.sqrt()).abs() < 1e-6);
        let clip = Clip {
            kind: ClipKind::Norm,
            max: 1.0,
        };
        assert!(apply(&clip, &params, global_norm(&params)));
        assert!((global_norm(&params) - 1.0).abs() < 1e-5);
    }
}
