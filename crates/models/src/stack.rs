//! Stacked layers and the skip connections between them.
use rnnlab_spec::{ModelConfig, Skip};
use rnnlab_tasks::Rng;
use tch::{nn, Tensor};

use crate::init;
use crate::layer::Layer;

/// The learned parts of a layer's skip connection.
#[derive(Debug)]
enum SkipWeights {
    None,
    /// Residual: x + f(x); the projection `[out, in]` exists only where the widths differ
    /// (the first layer), as in Kim, El-Khamy & Lee 2017.
    Residual {
        projection: Option<Tensor>,
    },
    /// Dense: the layer reads the concatenation of the stack's input and all lower outputs.
    Dense,
    /// Highway: g f(x) + (1 - g) x with g = sigmoid(W x + b) (Srivastava, Greff & Schmidhuber
    /// 2015); `b` starts at `highway_bias`.
    Highway {
        gate_w: Tensor,
        gate_b: Tensor,
        projection: Option<Tensor>,
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
            let reads = match config.skip {
                Skip::Dense => widths.iter().sum(),
                _ => below,
            };
            let layer = Layer::new(&p, config, reads, rng);
            let out = layer.output_width();
            let projection = |rng: &mut Rng| {
                (below != out).then(|| {
                    let w =
                        init::uniform(rng, &[out, below], 1.0 / (below as f64).sqrt(), p.device());
                    p.var_copy("skip_projection", &w)
                })
            };
            let skip = match config.skip {
                Skip::None => SkipWeights::None,
                Skip::Dense => SkipWeights::Dense,
                Skip::Residual => SkipWeights::Residual {
                    projection: projection(rng),
                },
                Skip::Highway => {
                    let bound = 1.0 / (below as f64).sqrt();
                    let w = init::uniform(rng, &[out, below], bound, p.device());
                    let b = tch::Tensor::full(
                        [out as i64],
                        config.highway_bias,
                        (tch::Kind::Float, p.device()),
                    );
                    SkipWeights::Highway {
                        gate_w: p.var_copy("highway_weight", &w),
                        gate_b: p.var_copy("highway_bias", &b),
                        projection: projection(rng),
                    }
                }
            };
            layers.push(layer);
            skips.push(skip);
            widths.push(out);
        }
        Self { layers, skips }
    }

    /// Width of the stack's output (the last layer's).
    pub fn output_width(&self) -> usize {
        self.layers.last().map(Layer::output_width).unwrap_or(0)
    }

    /// Runs the stack over `[B, T, I]`. `between` is applied to every layer's input except the
    /// first's (dropout between layers).
    pub fn run(
        &self,
        x: &Tensor,
        train: bool,
        mut mode: Mode,
        between: &dyn Fn(Tensor) -> Tensor,
    ) -> Tensor {
        let mut outputs: Vec<Tensor> = vec![x.shallow_clone()];
        for (l, (layer, skip)) in self.layers.iter().zip(&self.skips).enumerate() {
            let below = outputs.last().expect("input is there").shallow_clone();
            let below = if l > 0 { between(below) } else { below };
            let reads = match skip {
                SkipWeights::Dense if l > 0 => {
                    let mut all: Vec<Tensor> =
                        outputs[..l].iter().map(Tensor::shallow_clone).collect();
                    all.push(below.shallow_clone());
                    Tensor::cat(&all, 2)
                }
                _ => below.shallow_clone(),
            };
            let f = match &mut mode {
                Mode::Fused => layer.seq(&reads, train),
                Mode::Record(all) => {
                    let mut hs = Vec::new();
                    let y = layer.seq_unrolled(&reads, Some(&mut hs));
                    all.push(hs);
                    y
                }
            };
            let carried = |projection: &Option<Tensor>| match projection {
                Some(p) => below.matmul(&p.tr()),
                None => below.shallow_clone(),
            };
            let y = match skip {
                SkipWeights::None | SkipWeights::Dense => f,
                SkipWeights::Residual { projection } => f + carried(projection),
                SkipWeights::Highway {
                    gate_w,
                    gate_b,
                    projection,
                } => {
                    let g = (below.matmul(&gate_w.tr()) + gate_b).sigmoid();
                    let x = carried(projection);
                    &x + g * (f - &x)
                }
            };
            outputs.push(y);
        }
        outputs.pop().expect("at least one layer")
    }

    /// Trainable parameters of the layers and skips.
    pub fn parameters(&self) -> usize {
        let skips: usize = self
            .skips
            .iter()
            .map(|s| match s {
                SkipWeights::None | SkipWeights::Dense => 0,
                SkipWeights::Residual { projection } => {
                    projection.as_ref().map_or(0, Tensor::numel)
                }
                SkipWeights::Highway {
                    gate_w,
                    gate_b,
                    projection,
                } => gate_w.numel() + gate_b.numel() + projection.as_ref().map_or(0, Tensor::numel),
            })
            .sum();
        self.layers.iter().map(Layer::parameters).sum::<usize>() + skips
    }
}
