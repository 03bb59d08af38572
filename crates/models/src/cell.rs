//! One time step of every cell, written as tensor ops over PyTorch's flat weight layout.
//!
//! The fused kernels ([`crate::Layer::seq`]) do the work on the training path for the four
//! standard cells. This unrolled step serves the gate ablations of Greff et al. 2017 ("LSTM: A
//! Search Space Odyssey"), which have no fused kernel, and the gradient-flow probe, which needs
//! every h_t as a node of the graph. For the standard cells it computes exactly what the fused
//! kernels compute (tested in `layer.rs`).
use rnnlab_spec::Cell;
use tch::Tensor;

/// Gate blocks in a cell's weight matrices: the spec's [`Cell::gates`], the one place the
/// count is written.
pub fn blocks(cell: Cell) -> usize {
    cell.gates()
}

/// True for cells that carry a memory cell c beside h.
pub fn has_memory(cell: Cell) -> bool {
    matches!(
        cell,
        Cell::Lstm | Cell::LstmPeephole | Cell::LstmNoForget | Cell::LstmCifg | Cell::LstmNoOutput
    )
}

/// The recurrent state of one direction: h, and c for LSTM-family cells.
#[derive(Debug)]
pub struct State {
    pub h: Tensor,
    pub c: Option<Tensor>,
}

/// Weights of one direction of one layer, PyTorch's layout: `w_ih [G*H, I]`, `w_hh [G*H, H]`,
/// `b_ih [G*H]`, `b_hh [G*H]`, and for `lstm_peephole` the diagonal peepholes `[3, H]`
/// (to i, f from c_{t-1}, to o from c_t; Gers & Schmidhuber 2000).
#[derive(Debug)]
pub struct Weights {
    pub w_ih: Tensor,
    pub w_hh: Tensor,
    pub b_ih: Tensor,
    pub b_hh: Tensor,
    pub peephole: Option<Tensor>,
}

/// A direction's weights laid out for a loop of steps. The transposed recurrent matrix, the
/// peephole rows and (outside GRU) the recurrent bias are prepared once per sequence: done inside
/// the step, each would be an extra op and autograd node at every time step, and on the unrolled
/// path the per-op cost, not arithmetic, is what the time goes to.
#[derive(Debug)]
pub struct Unrolled<'a> {
    cell: Cell,
    w: &'a Weights,
    w_hh_t: Tensor,
    /// Peepholes to i and f (from c_{t-1}) and to o (from c_t), each `[H]`.
    peephole: Option<Vec<Tensor>>,
}

impl<'a> Unrolled<'a> {
    pub fn new(cell: Cell, w: &'a Weights) -> Self {
        Self {
            cell,
            w,
            w_hh_t: w.w_hh.tr(),
            peephole: w.peephole.as_ref().map(|p| p.unbind(0)),
        }
    }

    /// The input's share of the gates for a whole sequence `[B, T, I] -> [B, T, G·H]`:
    /// `x W_ih^T + b_ih`, plus `b_hh` for the cells that add it straight to the gates (GRU
    /// multiplies its recurrent share, bias included, by the reset gate, so it keeps `b_hh` in
    /// the step).
    pub fn input_share(&self, x: &Tensor) -> Tensor {
        let xw = x.linear(&self.w.w_ih, Some(&self.w.b_ih));
        if self.cell == Cell::Gru {
            xw
        } else {
            xw + &self.w.b_hh
        }
    }

    /// One step, from the step's slice of [`Unrolled::input_share`].
    pub fn step(&self, xw: &Tensor, state: &State) -> State {
        match self.cell {
            Cell::RnnTanh => State {
                h: xw.addmm(&state.h, &self.w_hh_t).tanh(),
                c: None,
            },
            Cell::RnnRelu => State {
                h: xw.addmm(&state.h, &self.w_hh_t).relu(),
                c: None,
            },
            Cell::Gru => {
                let hw = self.w.b_hh.addmm(&state.h, &self.w_hh_t);
                let x = xw.chunk(3, -1);
                let h = hw.chunk(3, -1);
                let r = (&x[0] + &h[0]).sigmoid();
                let z = (&x[1] + &h[1]).sigmoid();
                let n = (&x[2] + r * &h[2]).tanh();
                // h' = (1 - z) n + z h, PyTorch's GRU.
                State {
                    h: &n + z * (&state.h - &n),
                    c: None,
                }
            }
            _ => lstm_step(
                self.cell,
                self.peephole.as_deref(),
                &xw.addmm(&state.h, &self.w_hh_t),
                state,
            ),
        }
    }
}

fn lstm_step(cell: Cell, peephole: Option<&[Tensor]>, gates: &Tensor, state: &State) -> State {
    let c = state.c.as_ref().expect("LSTM state carries c");
    let g = gates.chunk(blocks(cell) as i64, -1);
    let (i, f, cand, o) = match cell {
        Cell::Lstm => (
            g[0].sigmoid(),
            Some(g[1].sigmoid()),
            g[2].tanh(),
            Some(&g[3]),
        ),
        Cell::LstmPeephole => {
            let p = peephole.expect("peephole weights");
            let i = (&g[0] + c * &p[0]).sigmoid();
            let f = (&g[1] + c * &p[1]).sigmoid();
            (i, Some(f), g[2].tanh(), Some(&g[3]))
        }
        Cell::LstmNoForget => (g[0].sigmoid(), None, g[1].tanh(), Some(&g[2])),
        Cell::LstmCifg => {
            let i = g[0].sigmoid();
            let f = 1.0 - &i;
            (i, Some(f), g[1].tanh(), Some(&g[2]))
        }
        Cell::LstmNoOutput => (g[0].sigmoid(), Some(g[1].sigmoid()), g[2].tanh(), None),
        other => unreachable!("{other:?} is not an LSTM"),
    };
    // The 1997 LSTM has no forget gate: the cell only accumulates, c' = c + i g.
    let c_next = match f {
        Some(f) => f * c + i * cand,
        None => c + i * cand,
    };
    let o = match (cell, o) {
        (Cell::LstmPeephole, Some(o)) => {
            Some((o + &c_next * &peephole.expect("peephole weights")[2]).sigmoid())
        }
        (_, Some(o)) => Some(o.sigmoid()),
        (_, None) => None,
    };
    let h = match o {
        Some(o) => o * c_next.tanh(),
        None => c_next.tanh(),
    };
    State { h, c: Some(c_next) }
}
