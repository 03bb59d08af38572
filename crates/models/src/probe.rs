//! The gradient-flow probe: ‖∂L/∂h_t‖ for every time step and layer, the measured picture of
//! vanishing and exploding gradients (Bengio, Simard & Frasconi 1994; Pascanu et al. 2013).
//!
//! The fused kernels expose only the direct gradient of each output, not the full BPTT
//! gradient of h_t, so the probe reruns the batch through the unrolled cells over the same
//! weights ([`Model::forward_recorded`]) and asks autograd for the gradient w.r.t. every h_t.
//! Cost: one unrolled forward and one backward pass. An unrolled LSTM-family step measured
//! 3.7-5.4x a fused training step at hidden 64, T 100 (docs/benchmarks.md, section 2), and the
//! probe costs about the same; run it every K steps (`train.probe_every`), not every step.
//! It does not touch the parameters' `.grad`.
use tch::Tensor;

use crate::Model;

/// One probe measurement: `norms[layer][direction][t]` = ‖∂L/∂h_t‖₂ over the whole batch.
#[derive(Debug, Clone, PartialEq)]
pub struct GradientFlow {
    pub norms: Vec<Vec<Vec<f64>>>,
}

/// Measures the gradient flow of `loss_of(output)` on input `x` (examples ending at
/// `lengths`, as in [`Model::forward`]).
pub fn measure(
    model: &Model,
    x: &Tensor,
    lengths: Option<&Tensor>,
    loss_of: impl Fn(&Tensor) -> Tensor,
) -> GradientFlow {
    let (y, states) = model.forward_recorded(x, lengths);
    let loss = loss_of(&y);
    let flat: Vec<&Tensor> = states.iter().flatten().collect();
    let grads = Tensor::run_backward(&[&loss], &flat, false, false);
    let t = x.size()[1] as usize;
    let mut grads = grads.into_iter();
    let norms = states
        .iter()
        .map(|layer| {
            let directions = layer.len() / t;
            (0..directions)
                .map(|_| {
                    grads
                        .by_ref()
                        .take(t)
                        .map(|g| g.norm().double_value(&[]))
                        .collect()
                })
                .collect()
        })
        .collect();
    GradientFlow { norms }
}
