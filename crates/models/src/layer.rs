//! One recurrent layer: one or two directions of a cell over a whole sequence.
use rnnlab_spec::{Cell, Init, Merge, ModelConfig};
use rnnlab_tasks::Rng;
use tch::{nn, Kind, Tensor};

use crate::cell::{self, State, Weights};
use crate::init;
use crate::lengths::Lengths;

/// A recurrent layer in PyTorch's layout, batch-first: `[B, T, I] -> [B, T, D*H]` (or `[B, T,
/// H]` when the two directions are summed).
#[derive(Debug)]
pub struct Layer {
    pub cell: Cell,
    pub hidden: usize,
    pub merge: Merge,
    pub directions: Vec<Weights>,
}

impl Layer {
    /// A layer of `config`'s cell reading `input`-wide vectors, its weights drawn from `rng`.
    pub fn new(path: &nn::Path, config: &ModelConfig, input: usize, rng: &mut Rng) -> Self {
        let dirs = if config.bidirectional { 2 } else { 1 };
        let directions = (0..dirs)
            .map(|d| {
                let suffix = if d == 0 { "" } else { "_reverse" };
                new_weights(path, config, input, suffix, rng)
            })
            .collect();
        Self {
            cell: config.cell,
            hidden: config.hidden,
            merge: config.merge,
            directions,
        }
    }

    /// Output width: H, or 2H for concatenated directions.
    pub fn output_width(&self) -> usize {
        match (self.directions.len(), self.merge) {
            (2, Merge::Concat) => 2 * self.hidden,
            _ => self.hidden,
        }
    }

    /// True when libtorch has a fused kernel for the cell (cuDNN on GPU).
    pub fn is_fused(&self) -> bool {
        matches!(
            self.cell,
            Cell::RnnTanh | Cell::RnnRelu | Cell::Lstm | Cell::Gru
        )
    }

    /// The training path: the fused kernel where there is one, else the unrolled loop. In a
    /// padded batch the backward direction is the forward kernel over the input reversed
    /// within each example's length, reversed back (see [`Lengths`]); when every example is
    /// full length, libtorch's own bidirectional kernel does both directions in one call.
    pub fn seq(&self, x: &Tensor, lengths: &Lengths, train: bool) -> Tensor {
        if !self.is_fused() {
            return self.seq_unrolled(x, lengths, None);
        }
        let out = match (self.directions.as_slice(), lengths) {
            ([_, _], Lengths::Full { .. }) | ([_], _) => self.fused(x, &self.directions, train),
            ([forward, backward], Lengths::Padded { .. }) => {
                let reversed = lengths.reverse(x);
                let backward = self.fused(&reversed, std::slice::from_ref(backward), train);
                let forward = self.fused(x, std::slice::from_ref(forward), train);
                Tensor::cat(&[forward, lengths.reverse(&backward)], 2)
            }
            _ => unreachable!("a layer has one or two directions"),
        };
        self.merge_directions(out)
    }

    /// One direction over full-length sequences from the state `start` (zeros when `None`),
    /// returning the outputs `[B, T, H]` and the final state: truncated backpropagation
    /// through time carries it from one window of a text to the next (Williams & Peng 1990;
    /// the batching of Zaremba, Sutskever & Vinyals 2014).
    pub fn seq_from(&self, x: &Tensor, train: bool, start: Option<&State>) -> (Tensor, State) {
        assert_eq!(
            self.directions.len(),
            1,
            "a carried state is for one direction (a bidirectional layer reads the future)"
        );
        let w = &self.directions[0];
        let b = x.size()[0];
        let zeros = || Tensor::zeros([b, self.hidden as i64], (x.kind(), x.device()));
        let h0 = start.map_or_else(zeros, |s| s.h.shallow_clone());
        let c0 = cell::has_memory(self.cell).then(|| {
            start
                .and_then(|s| s.c.as_ref())
                .map_or_else(zeros, Tensor::shallow_clone)
        });
        if !self.is_fused() {
            let unrolled = cell::Unrolled::new(self.cell, w);
            let xw = unrolled.input_share(x);
            let mut state = State { h: h0, c: c0 };
            let mut hs = Vec::with_capacity(x.size()[1] as usize);
            for k in 0..x.size()[1] {
                state = unrolled.step(&xw.select(1, k), &state);
                hs.push(state.h.shallow_clone());
            }
            return (Tensor::stack(&hs, 1), state);
        }
        let params = [&w.w_ih, &w.w_hh, &w.b_ih, &w.b_hh];
        let h0 = h0.unsqueeze(0);
        let last = |h: Tensor| h.squeeze_dim(0);
        match self.cell {
            Cell::Lstm => {
                let c0 = c0.expect("an LSTM has a cell state").unsqueeze(0);
                let (y, h, c) = x.lstm(&[&h0, &c0], &params, true, 1, 0.0, train, false, true);
                (
                    y,
                    State {
                        h: last(h),
                        c: Some(last(c)),
                    },
                )
            }
            Cell::Gru => {
                let (y, h) = x.gru(&h0, &params, true, 1, 0.0, train, false, true);
                (
                    y,
                    State {
                        h: last(h),
                        c: None,
                    },
                )
            }
            Cell::RnnTanh => {
                let (y, h) = x.rnn_tanh(&h0, &params, true, 1, 0.0, train, false, true);
                (
                    y,
                    State {
                        h: last(h),
                        c: None,
                    },
                )
            }
            Cell::RnnRelu => {
                let (y, h) = x.rnn_relu(&h0, &params, true, 1, 0.0, train, false, true);
                (
                    y,
                    State {
                        h: last(h),
                        c: None,
                    },
                )
            }
            _ => unreachable!("only the four classic cells have fused kernels"),
        }
    }

    /// libtorch's fused kernel over `directions` (one: forward in time; two: forward and
    /// backward over the whole sequence, concatenated).
    fn fused(&self, x: &Tensor, directions: &[Weights], train: bool) -> Tensor {
        let (b, dirs) = (x.size()[0], directions.len() as i64);
        let h0 = Tensor::zeros([dirs, b, self.hidden as i64], (x.kind(), x.device()));
        let params: Vec<&Tensor> = directions
            .iter()
            .flat_map(|w| [&w.w_ih, &w.w_hh, &w.b_ih, &w.b_hh])
            .collect();
        let bi = dirs == 2;
        match self.cell {
            Cell::Lstm => {
                x.lstm(&[&h0, &h0], &params, true, 1, 0.0, train, bi, true)
                    .0
            }
            Cell::Gru => x.gru(&h0, &params, true, 1, 0.0, train, bi, true).0,
            Cell::RnnTanh => x.rnn_tanh(&h0, &params, true, 1, 0.0, train, bi, true).0,
            Cell::RnnRelu => x.rnn_relu(&h0, &params, true, 1, 0.0, train, bi, true).0,
            _ => unreachable!("only the four classic cells have fused kernels"),
        }
    }

    /// The unrolled path: a loop of [`cell::Unrolled::step`]s. With `record`, every h_t of
    /// every direction is pushed (direction-major, then t in time order; in a padded batch
    /// the backward direction's states are in reverse reading order) so that gradients
    /// w.r.t. them can be taken: the full BPTT gradient ∂L/∂h_t, which the fused kernel does
    /// not expose.
    pub fn seq_unrolled(
        &self,
        x: &Tensor,
        lengths: &Lengths,
        mut record: Option<&mut Vec<Tensor>>,
    ) -> Tensor {
        let (b, t) = (x.size()[0], x.size()[1]);
        let mut outputs = Vec::with_capacity(self.directions.len());
        for (d, w) in self.directions.iter().enumerate() {
            let unrolled = cell::Unrolled::new(self.cell, w);
            let xw = unrolled.input_share(x);
            let xw = if d == 0 { xw } else { lengths.reverse(&xw) };
            let zeros = Tensor::zeros([b, self.hidden as i64], (x.kind(), x.device()));
            let mut state = State {
                c: cell::has_memory(self.cell).then(|| zeros.zeros_like()),
                h: zeros,
            };
            let mut hs: Vec<Tensor> = Vec::with_capacity(t as usize);
            for k in 0..t {
                state = unrolled.step(&xw.select(1, k), &state);
                hs.push(state.h.shallow_clone());
            }
            if let Some(r) = record.as_deref_mut() {
                let states = hs.iter().map(Tensor::shallow_clone);
                if d == 0 {
                    r.extend(states);
                } else {
                    r.extend(states.rev());
                }
            }
            let out = Tensor::stack(&hs, 1);
            outputs.push(if d == 0 { out } else { lengths.reverse(&out) });
        }
        self.merge_directions(join(outputs))
    }

    fn merge_directions(&self, out: Tensor) -> Tensor {
        if self.directions.len() == 2 && self.merge == Merge::Sum {
            let h = self.hidden as i64;
            out.narrow(2, 0, h) + out.narrow(2, h, h)
        } else {
            out
        }
    }

    /// Trainable parameters of the layer.
    pub fn parameters(&self) -> usize {
        self.directions
            .iter()
            .flat_map(|w| {
                [&w.w_ih, &w.w_hh, &w.b_ih, &w.b_hh]
                    .into_iter()
                    .chain(&w.peephole)
            })
            .map(Tensor::numel)
            .sum()
    }
}

/// The directions' outputs side by side along the feature axis (no copy for one direction).
fn join(mut outputs: Vec<Tensor>) -> Tensor {
    if outputs.len() == 1 {
        outputs.pop().expect("one output")
    } else {
        Tensor::cat(&outputs, 2)
    }
}

/// One direction's weights. `init` picks the recurrent matrices; LSTM forget gates start at
/// `forget_bias` (Jozefowicz, Zaremba & Sutskever 2015).
fn new_weights(
    path: &nn::Path,
    config: &ModelConfig,
    input: usize,
    suffix: &str,
    rng: &mut Rng,
) -> Weights {
    let (cell, hidden) = (config.cell, config.hidden);
    let device = path.device();
    let g = cell::blocks(cell);
    // PyTorch's default for every recurrent weight and bias: U(-1/sqrt(H), 1/sqrt(H)).
    let bound = 1.0 / (hidden as f64).sqrt();
    let w_ih = init::uniform(rng, &[g * hidden, input], bound, device);
    let w_hh = match config.init {
        Init::Uniform => init::uniform(rng, &[g * hidden, hidden], bound, device),
        Init::Orthogonal => {
            let blocks: Vec<Tensor> = (0..g)
                .map(|_| init::orthogonal(rng, hidden, device))
                .collect();
            Tensor::cat(&blocks, 0)
        }
        Init::Identity => {
            let blocks: Vec<Tensor> = (0..g).map(|_| init::identity(hidden, device)).collect();
            Tensor::cat(&blocks, 0)
        }
    };
    let (mut b_ih, b_hh) = match config.init {
        Init::Identity => {
            let z = Tensor::zeros([(g * hidden) as i64], (Kind::Float, device));
            (z.zeros_like(), z)
        }
        _ => (
            init::uniform(rng, &[g * hidden], bound, device),
            init::uniform(rng, &[g * hidden], bound, device),
        ),
    };
    // The forget gate is block 1 of i,f,g,o. The kernel adds b_ih and b_hh, so setting b_ih's
    // forget block to the bias and b_hh's to zero makes their sum the configured value.
    if cell::has_memory(cell) && !matches!(cell, Cell::LstmNoForget | Cell::LstmCifg) {
        let h = hidden as i64;
        let _ = b_ih.narrow(0, h, h).fill_(config.forget_bias);
        let _ = b_hh.narrow(0, h, h).fill_(0.0);
    }
    let peephole = (cell == Cell::LstmPeephole).then(|| {
        let p = init::uniform(rng, &[3, hidden], bound, device);
        path.var_copy(&format!("peephole_l{suffix}"), &p)
    });
    b_ih = path.var_copy(&format!("bias_ih{suffix}"), &b_ih);
    Weights {
        w_ih: path.var_copy(&format!("weight_ih{suffix}"), &w_ih),
        w_hh: path.var_copy(&format!("weight_hh{suffix}"), &w_hh),
        b_ih,
        b_hh: path.var_copy(&format!("bias_hh{suffix}"), &b_hh),
        peephole,
    }
}
