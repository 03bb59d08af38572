//! The global gradient norm, and clipping (Pascanu, Mikolov & Bengio 2013).
use rnnlab_spec::{Clip, ClipKind};
use tch::{Kind, Tensor};

/// The global L2 norm of all gradients, before clipping. One device sync.
pub fn global_norm(params: &[Tensor]) -> f64 {
    let squares: Vec<Tensor> = params
        .iter()
        .map(|p| p.grad())
        .filter(|g| g.defined())
        .map(|g| g.pow_tensor_scalar(2).sum(Kind::Float))
        .collect();
    if squares.is_empty() {
        return 0.0;
    }
    Tensor::stack(&squares, 0)
        .sum(Kind::Float)
        .sqrt()
        .double_value(&[])
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
