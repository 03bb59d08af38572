//! One time step of every cell, written as tensor ops over PyTorch's flat weight layout.
//!
//! The fused kernels ([`crate::Layer::seq`]) do the work on the training path for the four
//! standard cells. This unrolled step serves the gate ablations of Greff et al. 2017 ("LSTM: A
//! Search Space Odyssey"), which have no fused kernel, and the gradient-flow probe, which needs
//! every h_t as a node of the graph. For the standard cells it computes exactly what the fused
//! kernels compute (tested in `layer.rs`).
use rnnlab_spec::Cell;
use tch::Tensor;

/// Gate blocks in a cell's weight matrices (PyTorch order: LSTM i,f,g,o; GRU r,z,n).
/// The LSTM ablations drop the block of the gate they remove: no-forget keeps i,g,o; CIFG keeps
/// i,g,o and uses f = 1 - i; no-output keeps i,f,g.
pub fn blocks(cell: Cell) -> usize {
    match cell {
        Cell::RnnTanh | Cell::RnnRelu => 1,
        Cell::Gru | Cell::LstmNoForget | Cell::LstmCifg | Cell::LstmNoOutput => 3,
        Cell::Lstm | Cell::LstmPeephole => 4,
    }
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

/// One step. `xw` is the input's share of the gates, `x W_ih^T + b_ih`, computed for the whole
/// sequence at once before the loop.
pub fn step(cell: Cell, w: &Weights, xw: &Tensor, state: &State) -> State {
    let hw = state.h.matmul(&w.w_hh.tr()) + &w.b_hh;
    match cell {
        Cell::RnnTanh => State {
            h: (xw + hw).tanh(),
            c: None,
        },
        Cell::RnnRelu => State {
            h: (xw + hw).relu(),
            c: None,
        },
        Cell::Gru => {
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
        _ => lstm_step(cell, w, &(xw + hw), state),
    }
}

fn lstm_step(cell: Cell, w: &Weights, gates: &Tensor, state: &State) -> State {
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
            let p = w.peephole.as_ref().expect("peephole weights");
            let i = (&g[0] + c * p.get(0)).sigmoid();
            let f = (&g[1] + c * p.get(1)).sigmoid();
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
            Some((o + &c_next * w.peephole.as_ref().expect("peephole").get(2)).sigmoid())
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
