//! The whole model: input encoding, the recurrent stack, and the task's head.
use std::cell::RefCell;

use rnnlab_spec::ModelConfig;
use rnnlab_tasks::{Readout, Rng, Shape};
use tch::{nn, Kind, Tensor};

use crate::cell::State;
use crate::init;
use crate::lengths::Lengths;
use crate::stack::{Mode, Stack};

/// Inputs a model reads: dense `[B, T, C]` floats, or token ids `[B, T]` (int64).
#[derive(Debug)]
enum Input {
    Dense,
    /// A learned embedding `[vocab, width]`, drawn N(0, 1) as in PyTorch's `nn.Embedding`.
    Embedding(Tensor),
}

/// A recurrent model built for one task. All of its initial weights and dropout masks come from
/// the seed it was built with.
#[derive(Debug)]
pub struct Model {
    input: Input,
    stack: Stack,
    head_w: Tensor,
    head_b: Tensor,
    readout: Readout,
    bidirectional: bool,
    merge_sum: bool,
    hidden: usize,
    dropout: f64,
    rng: RefCell<Rng>,
}

impl Model {
    /// Builds the model's variables under `path` (create the VarStore on the target device
    /// first). `seed` drives initialisation and dropout.
    pub fn new(path: &nn::Path, config: &ModelConfig, shape: &Shape, seed: u64) -> Self {
        let mut rng = Rng::stream(seed, &[0x1417]);
        let device = path.device();
        let (input, width) = if shape.tokens {
            let width = config.embedding.unwrap_or(config.hidden);
            let values: Vec<f32> = (0..shape.inputs * width)
                .map(|_| rng.normal() as f32)
                .collect();
            let table = init::from_vec(values, &[shape.inputs, width], device);
            (Input::Embedding(path.var_copy("embedding", &table)), width)
        } else {
            (Input::Dense, shape.inputs)
        };
        let stack = Stack::new(&path.sub("rnn"), config, width, &mut rng);
        let out = stack.output_width();
        // PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
        let bound = 1.0 / (out as f64).sqrt();
        let head_w = path.var_copy(
            "head_weight",
            &init::uniform(&mut rng, &[shape.outputs, out], bound, device),
        );
        let head_b = path.var_copy(
            "head_bias",
            &init::uniform(&mut rng, &[shape.outputs], bound, device),
        );
        Self {
            input,
            stack,
            head_w,
            head_b,
            readout: shape.readout,
            bidirectional: config.bidirectional,
            merge_sum: config.merge == rnnlab_spec::Merge::Sum,
            hidden: config.hidden,
            dropout: config.dropout,
            rng: RefCell::new(Rng::stream(seed, &[0xd409])),
        }
    }

    /// Forward pass on the fused kernels. `lengths` (`[B]` int64) gives each example's real
    /// length in a right-padded batch, `None` when all fill the batch. Returns `[B, T, O]` for
    /// per-step readouts and `[B, O]` for last-step ones (`O = 1` for regression), read at
    /// each example's last real step.
    pub fn forward(&self, x: &Tensor, lengths: Option<&Tensor>, train: bool) -> Tensor {
        self.run(x, lengths, train, Mode::Fused, None)
    }

    /// Forward pass over full-length windows of a stream, starting from the states in `carry`
    /// (zeros when it is empty) and leaving the final states there, for truncated
    /// backpropagation through time: the caller detaches them before the next window. Only
    /// for unidirectional models with per-step readouts (language modelling).
    pub fn forward_carried(&self, x: &Tensor, carry: &mut Vec<State>, train: bool) -> Tensor {
        assert!(
            !self.bidirectional && self.readout == Readout::PerStep,
            "a carried state is for unidirectional per-step models"
        );
        self.run(x, None, train, Mode::Fused, Some(carry))
    }

    /// Forward pass on the unrolled cells, returning every hidden state as well:
    /// `states[layer][d * T + t]` is h_t of direction d (`[B, H]`), a node of the graph, so
    /// that `Tensor::run_backward` can give the full BPTT gradient ∂L/∂h_t.
    pub fn forward_recorded(
        &self,
        x: &Tensor,
        lengths: Option<&Tensor>,
    ) -> (Tensor, Vec<Vec<Tensor>>) {
        let mut states = Vec::new();
        let y = self.run(x, lengths, false, Mode::Record(&mut states), None);
        (y, states)
    }

    fn run(
        &self,
        x: &Tensor,
        lengths: Option<&Tensor>,
        train: bool,
        mode: Mode,
        carry: Option<&mut Vec<State>>,
    ) -> Tensor {
        let lengths = Lengths::new(lengths, x.size()[1]);
        let x = match &self.input {
            Input::Dense => x.shallow_clone(),
            Input::Embedding(table) => Tensor::embedding(table, x, -1, false, false),
        };
        let dropout = |t: Tensor| {
            if train && self.dropout > 0.0 {
                self.drop(t)
            } else {
                t
            }
        };
        let h = self.stack.run(&x, &lengths, train, mode, &dropout, carry);
        let h = dropout(h);
        // `linear` is nn.Linear's op: the bias add folds into one addmm, forward and backward,
        // instead of a matmul plus a separate broadcast add over every step.
        let last = match self.readout {
            Readout::PerStep => return h.linear(&self.head_w, Some(&self.head_b)),
            Readout::LastClass | Readout::LastValue => self.final_states(&h, &lengths),
        };
        let y = last.linear(&self.head_w, Some(&self.head_b));
        match self.readout {
            Readout::LastValue => y.squeeze_dim(1),
            _ => y,
        }
    }

    /// The final state of each direction: the forward direction's at the example's last step,
    /// the backward direction's at the first step (it has read the whole example there).
    fn final_states(&self, h: &Tensor, lengths: &Lengths) -> Tensor {
        if !self.bidirectional || self.merge_sum {
            // Summed directions cannot be told apart; read the last step.
            return lengths.last(h);
        }
        let k = self.hidden as i64;
        Tensor::cat(
            &[
                lengths.last(h).narrow(1, 0, k),
                h.select(1, 0).narrow(1, k, k),
            ],
            1,
        )
    }

    /// The state of the generator that draws dropout masks, for a checkpoint.
    pub fn dropout_state(&self) -> [u64; 4] {
        self.rng.borrow().state()
    }

    /// Continues the dropout masks from a checkpoint's [`Model::dropout_state`].
    pub fn restore_dropout_state(&self, state: [u64; 4]) {
        *self.rng.borrow_mut() = Rng::from_state(state);
    }

    /// Inverted dropout with a mask drawn from the model's own generator.
    fn drop(&self, t: Tensor) -> Tensor {
        let keep = 1.0 - self.dropout;
        let n = t.numel();
        let mut rng = self.rng.borrow_mut();
        let mask: Vec<f32> = (0..n)
            .map(|_| {
                if rng.chance(keep) {
                    (1.0 / keep) as f32
                } else {
                    0.0
                }
            })
            .collect();
        let mask = Tensor::from_slice(&mask)
            .view(t.size().as_slice())
            .to_kind(Kind::Float)
            .to_device(t.device());
        t * mask
    }

    /// Trainable parameters.
    pub fn parameters(&self) -> usize {
        let embedding = match &self.input {
            Input::Dense => 0,
            Input::Embedding(t) => t.numel(),
        };
        embedding + self.stack.parameters() + self.head_w.numel() + self.head_b.numel()
    }

    /// The recurrent stack (for inspection and tests).
    pub fn stack(&self) -> &Stack {
        &self.stack
    }
}
