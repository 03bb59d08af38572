//! Stacked layers and the skip connections between them.
//!
//! Skips join stacked layers: they act on layers 2 and up, whose input is the output of the
//! layer below, of the same width (H, or 2H for concatenated directions). A one-layer model is
//! therefore the same whatever its skip, which keeps `layers: 1` a clean control in a
//! depth × skip grid. Because the widths always match, residual and highway carry the input
//! through unchanged and need no projection.
use rnnlab_spec::{ModelConfig, Skip};
use rnnlab_tasks::Rng;
use tch::{nn, Kind, Tensor};

use crate::cell::State;
use crate::init;
use crate::layer::Layer;
use crate::lengths::Lengths;

/// The learned parts of a layer's skip connection.
#[derive(Debug)]
enum SkipWeights {
    None,
    /// Residual: x + f(x) (Wang & Tian 2016; Kim, El-Khamy & Lee 2017).
    Residual,
    /// Dense: the layer reads the concatenation of the stack's input and all lower outputs.
    Dense,
    /// Highway: g f(x) + (1 - g) x with g = sigmoid(W x + b) (Srivastava, Greff & Schmidhuber
    /// 2015; Zilly et al. 2017); `b` starts at `highway_bias`.
    Highway {
        gate_w: Tensor,
        gate_b: Tensor,
    },
}

/// `layers` recurrent layers with the configured skips.
#[derive(Debug)]
pub struct Stack {
    pub layers: Vec<Layer>,
    skips: Vec<SkipWeights>,
}

/// Whether and how to record hidden states while running the stack.
pub enum Mode<'a> {
    /// Fused kernels where available (training and evaluation).
    Fused,
    /// Unrolled cells; every h_t of every layer and direction is pushed to the vector
    /// (layer-major), for the gradient-flow probe.
    Record(&'a mut Vec<Vec<Tensor>>),
}

impl Stack {
    pub fn new(path: &nn::Path, config: &ModelConfig, input: usize, rng: &mut Rng) -> Self {
        let (mut layers, mut skips) = (Vec::new(), Vec::new());
        let mut widths = vec![input];
        for l in 0..config.layers {
            let p = path.sub(format!("l{l}"));
            let below = *widths.last().expect("the input width is always there");
            let skip = if l == 0 { Skip::None } else { config.skip };
            let reads = if skip == Skip::Dense {
                widths.iter().sum()
            } else {
                below
            };
            let layer = Layer::new(&p, config, reads, rng);
            let out = layer.output_width();
            debug_assert!(l == 0 || out == below, "stacked layers have equal widths");
            skips.push(match skip {
                Skip::None => SkipWeights::None,
                Skip::Dense => SkipWeights::Dense,
                Skip::Residual => SkipWeights::Residual,
                Skip::Highway => {
                    let w =
                        init::uniform(rng, &[out, below], 1.0 / (below as f64).sqrt(), p.device());
                    let b =
                        Tensor::full([out as i64], config.highway_bias, (Kind::Float, p.device()));
                    SkipWeights::Highway {
                        gate_w: p.var_copy("highway_weight", &w),
                        gate_b: p.var_copy("highway_bias", &b),
                    }
                }
            });
            layers.push(layer);
            widths.push(out);
        }
        Self { layers, skips }
    }

    /// Width of the stack's output (the last layer's).
    pub fn output_width(&self) -> usize {
        self.layers.last().map(Layer::output_width).unwrap_or(0)
    }

    /// Runs the stack over `[B, T, I]` whose examples end where `lengths` says. `between` is
    /// applied to every layer's input except the first's (dropout between layers). With
    /// `carry` (full-length, one-direction stacks), each layer starts from its state in it
    /// (zeros when it is empty) and leaves its final state there.
    pub fn run(
        &self,
        x: &Tensor,
        lengths: &Lengths,
        train: bool,
        mut mode: Mode,
        between: &dyn Fn(Tensor) -> Tensor,
        carry: Option<&mut Vec<State>>,
    ) -> Tensor {
        let mut finals = Vec::new();
        let mut outputs: Vec<Tensor> = vec![x.shallow_clone()];
        for (l, (layer, skip)) in self.layers.iter().zip(&self.skips).enumerate() {
            let below = outputs.last().expect("input is there").shallow_clone();
            let below = if l > 0 { between(below) } else { below };
            let reads = match skip {
                SkipWeights::Dense => {
                    let mut all: Vec<Tensor> =
                        outputs[..l].iter().map(Tensor::shallow_clone).collect();
                    all.push(below.shallow_clone());
                    Tensor::cat(&all, 2)
                }
                _ => below.shallow_clone(),
            };
            let f = match (&mut mode, carry.as_deref()) {
                (Mode::Fused, Some(states)) => {
                    let (y, last) = layer.seq_from(&reads, train, states.get(l));
                    finals.push(last);
                    y
                }
                (Mode::Fused, None) => layer.seq(&reads, lengths, train),
                (Mode::Record(all), _) => {
                    let mut hs = Vec::new();
                    let y = layer.seq_unrolled(&reads, lengths, Some(&mut hs));
                    all.push(hs);
                    y
                }
            };
            let y = match skip {
                SkipWeights::None | SkipWeights::Dense => f,
                SkipWeights::Residual => f + &below,
                SkipWeights::Highway { gate_w, gate_b } => {
                    let g = (below.matmul(&gate_w.tr()) + gate_b).sigmoid();
                    &below + g * (f - &below)
                }
            };
            outputs.push(y);
        }
        if let Some(states) = carry {
            *states = finals;
        }
        outputs.pop().expect("at least one layer")
    }

    /// Trainable parameters of the layers and skips.
    pub fn parameters(&self) -> usize {
        let skips: usize = self
            .skips
            .iter()
            .map(|s| match s {
                SkipWeights::Highway { gate_w, gate_b } => gate_w.numel() + gate_b.numel(),
                _ => 0,
            })
            .sum();
        self.layers.iter().map(Layer::parameters).sum::<usize>() + skips
    }
}
