//! What a run costs before it runs: its parameters, the memory a training step holds, and its
//! floating-point operations. Closed-form counts from the config and the task's data shape
//! ([`Io`], which the tasks crate knows); `rnnlab validate` and `rnnlab run --dry-run` print
//! them, refuse runs that cannot fit in memory, and turn FLOPs into time with a measured rate.
//!
//! The counts follow the models crate's layout (PyTorch's): per layer and direction
//! `w_ih [G·H, I]`, `w_hh [G·H, H]`, two biases `[G·H]`, and for `lstm_peephole` `[3, H]` of
//! peepholes, where `G` is [`Cell::gates`](crate::Cell::gates); a highway gate `[O, O] + [O]`
//! on layers 2 and up; a head `[outputs, O] + [outputs]`; an embedding `[vocab, E]` for token
//! tasks. `O` is a layer's output width (2H for concatenated directions). A test in
//! `crates/models/tests/` checks [`parameters`] against the built models.
//!
//! All figures are `f64`: a hostile `hidden: 100000000` must give 4e16 parameters, not an
//! overflow.
use crate::{Cell, Merge, ModelConfig, Optimizer, RunConfig, Skip, TaskConfig};

/// Bytes of one float32 value, the kind every weight, gradient and activation has here.
const FLOAT: f64 = 4.0;

/// The data a run's model reads and writes, from its task's generator (`rnnlab_tasks::Shape`
/// and the sequence length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Io {
    /// Input channels, or the vocabulary size when `tokens`.
    pub inputs: usize,
    /// Inputs are token ids, embedded by the model.
    pub tokens: bool,
    /// Output width: classes, or 1 for regression.
    pub outputs: usize,
    /// The loss reads every step (copy, language model), not only the last.
    pub per_step: bool,
    /// Steps per example (the longest, where they differ).
    pub steps: usize,
}

/// Bytes a training step holds, by kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    pub weights: f64,
    /// One gradient per weight.
    pub gradients: f64,
    /// The optimizer's state: Adam keeps two moments per weight (Kingma & Ba 2015), RMSprop
    /// one running square (Tieleman & Hinton 2012), SGD one velocity when momentum > 0.
    pub optimizer: f64,
    /// What the forward pass keeps for backward, see [`activations`].
    pub activations: f64,
    /// The training batch and the fixed validation and test sets, kept on the device.
    pub data: f64,
}

impl Memory {
    pub fn total(&self) -> f64 {
        self.weights + self.gradients + self.optimizer + self.activations + self.data
    }
}

/// A run's estimated cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Trainable parameters.
    pub parameters: f64,
    /// Bytes at the peak of a training step.
    pub memory: Memory,
    /// Operations of one training step, forward and backward.
    pub step_flops: f64,
    /// Operations of the whole run if it trains all `train.steps` (an early stop makes it
    /// less): the steps plus every evaluation's forward pass.
    pub run_flops: f64,
    /// The cell has no fused kernel and runs as a loop of small ops (the LSTM ablations):
    /// slower per operation, so timed at its own rate.
    pub unrolled: bool,
}

/// The estimate of one run.
pub fn estimate(config: &RunConfig, io: &Io) -> Estimate {
    let parameters = parameters(&config.model, io);
    let train = &config.train;
    let optimizer_copies = match train.optimizer {
        Optimizer::Adam => 2.0,
        Optimizer::Rmsprop => 1.0,
        Optimizer::Sgd if train.momentum > 0.0 => 1.0,
        Optimizer::Sgd => 0.0,
    };
    let batch = train.batch as f64;
    let memory = Memory {
        weights: parameters * FLOAT,
        gradients: parameters * FLOAT,
        optimizer: optimizer_copies * parameters * FLOAT,
        activations: activations(&config.model, io, batch) * FLOAT,
        data: data(io, batch + 2.0 * train.eval_size as f64) * FLOAT,
    };
    let forward = forward_flops(&config.model, io, batch);
    // Backward computes two products the size of each forward one (gradients with respect to
    // the inputs and to the weights): a step is about 3 forward passes (Kaplan et al. 2020,
    // "Scaling laws for neural language models", section 2.1).
    let step_flops = 3.0 * forward;
    // Validation every `eval_every` steps and after the last, then the test set once.
    let evaluations = train.steps.div_ceil(train.eval_every.max(1)) as f64 + 1.0;
    let per_example = forward / batch.max(1.0);
    let run_flops =
        train.steps as f64 * step_flops + evaluations * per_example * train.eval_size as f64;
    Estimate {
        parameters,
        memory,
        step_flops,
        run_flops,
        unrolled: !fused(config.model.cell),
    }
}

/// The number of steps of a dense task's examples, which every example has; `None` for
/// agreement, whose sentences differ (ask its generator). Copy reads R symbols, T − 1 blanks,
/// the delimiter and R more blanks (Arjovsky, Shah & Bengio 2016): T + 2R.
pub fn sequence_length(task: &TaskConfig) -> Option<usize> {
    match task {
        TaskConfig::Copy(c) => Some(c.length.saturating_add(c.recall.saturating_mul(2))),
        TaskConfig::Adding(c) => Some(c.length),
        TaskConfig::TemporalOrder(c) => Some(c.length),
        TaskConfig::Text(c) => Some(c.bptt),
        TaskConfig::Agreement(_) | TaskConfig::TreebankAgreement(_) => None,
    }
}

/// True for the cells libtorch runs as one fused kernel.
fn fused(cell: Cell) -> bool {
    matches!(cell, Cell::RnnTanh | Cell::RnnRelu | Cell::Lstm | Cell::Gru)
}

/// The stack's shape in closed form: the first layer reads the input (or its embedding),
/// layers 2 and up the layer below, or with `dense` everything below (the input and every
/// lower output), as the models crate wires them. Closed form, not a loop over layers, so
/// that `layers: 10^18` costs nothing to estimate.
struct Stack {
    layers: f64,
    /// Layers 2 and up, the ones skips join.
    upper: f64,
    /// Width the first layer reads.
    first: f64,
    /// Total width the upper layers read.
    upper_reads: f64,
    /// Each layer's output width (H, or 2H for concatenated directions).
    out: f64,
    directions: f64,
}

impl Stack {
    fn of(model: &ModelConfig, io: &Io) -> Self {
        let h = model.hidden as f64;
        let out = if model.bidirectional && model.merge == Merge::Concat {
            2.0 * h
        } else {
            h
        };
        let first = if io.tokens {
            model.embedding.unwrap_or(model.hidden) as f64
        } else {
            io.inputs as f64
        };
        let upper = model.layers.saturating_sub(1) as f64;
        // Dense: layer l (1-based, l >= 2) reads the input and l - 1 outputs.
        let upper_reads = if model.skip == Skip::Dense {
            upper * first + out * upper * (upper + 1.0) / 2.0
        } else {
            upper * out
        };
        Self {
            layers: model.layers as f64,
            upper,
            first,
            upper_reads,
            out,
            directions: if model.bidirectional { 2.0 } else { 1.0 },
        }
    }

    /// Total width every layer reads.
    fn reads(&self) -> f64 {
        if self.layers == 0.0 {
            0.0
        } else {
            self.first + self.upper_reads
        }
    }
}

/// Trainable parameters of `model` on data of shape `io`, as the models crate builds it.
pub fn parameters(model: &ModelConfig, io: &Io) -> f64 {
    let (g, h) = (model.cell.gates() as f64, model.hidden as f64);
    let peephole = if model.cell == Cell::LstmPeephole {
        3.0 * h
    } else {
        0.0
    };
    let embedding = if io.tokens {
        io.inputs as f64 * model.embedding.unwrap_or(model.hidden) as f64
    } else {
        0.0
    };
    let s = Stack::of(model, io);
    let per_layer = g * h * h + 2.0 * g * h + peephole;
    let recurrent = s.directions * (g * h * s.reads() + s.layers * per_layer);
    let highway = if model.skip == Skip::Highway {
        s.upper * (s.out * s.out + s.out)
    } else {
        0.0
    };
    let head = io.outputs as f64 * s.out + io.outputs as f64;
    embedding + recurrent + highway + head
}

/// Values the forward pass of a training step keeps for backward, for a batch of `batch`:
/// per layer its input sequence (`B·T·I`, for the input weights' gradient) and, per direction
/// and step, `k` times the cell's `G` gate activations and its state (h, and c for the LSTM
/// family): `B·T·D·k·(G + S)·H`. Highway layers add their gate and output (`2·B·T·O`), residual
/// ones their sum, dropout its mask; the head keeps its logits and their softmax
/// (`2·B·outputs`, per step for per-step losses).
///
/// `k` is measured, not derived: libtorch's CPU kernels keep more than the gates. Peak resident
/// memory of one training step at B 256, T 200, H 256 on adding, less a tiny run's (550 MB),
/// was 716 MB for the LSTM (13.7·H floats per example and step), 430 MB for the GRU (8.2·H),
/// 53 MB for the tanh RNN (1·H) and 1125 MB for the unrolled peephole LSTM (21·H); at B 2048,
/// T 1000 the LSTM's oneDNN kernel asked for 32.5 GB in one allocation (15.9·H). So `k` is 2.5
/// for the fused LSTM and GRU, 1 for the fused Elman RNNs, 3.5 for the unrolled cells: within
/// about 20 % of those, and above them but for the GRU's 22 % and the tanh RNN's 2·H, so that
/// a refusal for memory errs towards refusing.
pub fn activations(model: &ModelConfig, io: &Io, batch: f64) -> f64 {
    let (g, h) = (model.cell.gates() as f64, model.hidden as f64);
    let bt = batch * io.steps as f64;
    let state = if model.cell.is_lstm() { 2.0 } else { 1.0 };
    let kept = match model.cell {
        Cell::Lstm | Cell::Gru => 2.5,
        Cell::RnnTanh | Cell::RnnRelu => 1.0,
        _ => 3.5,
    };
    let s = Stack::of(model, io);
    let cells = s.layers * kept * s.directions * (g + state) * h;
    let skips = match model.skip {
        Skip::Highway => s.upper * 2.0 * s.out,
        Skip::Residual => s.upper * s.out,
        Skip::None | Skip::Dense => 0.0,
    };
    let masks = if model.dropout > 0.0 {
        s.upper_reads
    } else {
        0.0
    };
    let head_steps = if io.per_step { bt } else { batch };
    bt * (s.reads() + cells + skips + masks) + 2.0 * head_steps * io.outputs as f64
}

/// Values of `examples` examples of data with their targets: dense inputs as floats, token ids
/// and class targets as int64 (two floats' bytes).
fn data(io: &Io, examples: f64) -> f64 {
    let t = io.steps as f64;
    let inputs = if io.tokens {
        2.0 * t
    } else {
        t * io.inputs as f64
    };
    let targets = if io.per_step { 2.0 * t } else { 2.0 };
    examples * (inputs + targets)
}

/// Operations of one forward pass over a batch: a multiply and an add per term of every
/// matrix product. Per layer, direction and step `[B, I + H] × [I + H, G·H]` (input and
/// recurrent products) is `2·B·G·H·(I + H)`; a highway gate adds `2·B·O·O` per step, the head
/// `2·B·O·outputs` where it reads. Elementwise gate arithmetic is left out: it is O(B·G·H) per
/// step against O(B·G·H·(I + H)), as in `rnnlab bench`'s GFLOP/s.
pub fn forward_flops(model: &ModelConfig, io: &Io, batch: f64) -> f64 {
    let (g, h) = (model.cell.gates() as f64, model.hidden as f64);
    let bt = batch * io.steps as f64;
    let s = Stack::of(model, io);
    let recurrent = s.directions * 2.0 * g * h * (s.reads() + s.layers * h);
    let highway = if model.skip == Skip::Highway {
        s.upper * 2.0 * s.out * s.out
    } else {
        0.0
    };
    let head_steps = if io.per_step { bt } else { batch };
    bt * (recurrent + highway) + 2.0 * head_steps * s.out * io.outputs as f64
}

#[cfg(test)]
mod tests;
