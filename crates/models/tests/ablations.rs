//! Every cell recomputed from its equations with plain scalar loops in f64, reading the model's
//! own weights: the four classic cells (PyTorch's definitions of `nn.RNN`, `nn.LSTM` and
//! `nn.GRU`) and the LSTM gate ablations (Greff et al. 2017). The model runs in f64 as well, so
//! the paths can be held to a tolerance near rounding:
//!
//! - the classic cells' fused kernel path (`Model::forward`, libtorch's `lstm`/`gru`/`rnn_*`
//!   ops) and their unrolled path (`Model::forward_recorded`, a loop of cell steps) are each
//!   compared with the equations, and with each other;
//! - the ablations have no fused kernel: their training path (`Model::forward`) and their
//!   recorded path are both the unrolled loop, and both are compared with the equations.
use rnnlab_models::Model;
use rnnlab_spec::{Cell, ModelConfig};
use rnnlab_tasks::{Readout, Rng, Shape};
use tch::{nn, Device, Kind, Tensor};

const B: usize = 2;
const T: usize = 4;
const I: usize = 3;
const H: usize = 5;
const O: usize = 2;

/// Both paths run in f64 over 4 steps of width 5: they agree with the f64 equations to about
/// 1e-15, and any wrong gate, order or direction shows as an error of order 0.1.
const TOLERANCE: f64 = 1e-12;

const CLASSIC: [Cell; 4] = [Cell::RnnTanh, Cell::RnnRelu, Cell::Lstm, Cell::Gru];
const ABLATIONS: [Cell; 4] = [
    Cell::LstmPeephole,
    Cell::LstmNoForget,
    Cell::LstmCifg,
    Cell::LstmNoOutput,
];

fn values(t: &Tensor) -> Vec<f64> {
    let flat = t.to_kind(Kind::Double).flatten(0, -1);
    Vec::<f64>::try_from(&flat).expect("a float tensor")
}

fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// h_t for every t and example, `[t][b][k]`, from the equations of `cell`, for the direction
/// whose variables end in `suffix` (`""` forward, `"_reverse"` backward, which reads the
/// sequence from its end; its h_t is stored at the step it has just read).
fn reference(cell: Cell, vs: &nn::VarStore, suffix: &str, x: &[f64]) -> Vec<Vec<Vec<f64>>> {
    let vars = vs.variables();
    let get = |name: &str| values(&vars[&format!("rnn.l0.{name}{suffix}")]);
    let (w_ih, w_hh, b_ih, b_hh) = (
        get("weight_ih"),
        get("weight_hh"),
        get("bias_ih"),
        get("bias_hh"),
    );
    let p = (cell == Cell::LstmPeephole).then(|| get("peephole_l"));
    let g = b_ih.len() / H;
    let blocks = match cell {
        Cell::RnnTanh | Cell::RnnRelu => 1,
        Cell::Lstm | Cell::LstmPeephole => 4,
        _ => 3,
    };
    assert_eq!(g, blocks, "{cell:?}");
    let reverse = !suffix.is_empty();
    let mut out = vec![vec![vec![0.0; H]; B]; T];
    for b in 0..B {
        let (mut h, mut c) = (vec![0.0; H], vec![0.0; H]);
        for step in 0..T {
            let t = if reverse { T - 1 - step } else { step };
            // The input and recurrent shares of each gate block's pre-activation:
            // W_ih x + b_ih and W_hh h + b_hh (kept apart for the GRU's candidate).
            let in_share = |block: usize, k: usize| {
                let row = block * H + k;
                b_ih[row]
                    + (0..I)
                        .map(|j| w_ih[row * I + j] * x[(b * T + t) * I + j])
                        .sum::<f64>()
            };
            let rec_share = |block: usize, k: usize| {
                let row = block * H + k;
                b_hh[row] + (0..H).map(|j| w_hh[row * H + j] * h[j]).sum::<f64>()
            };
            let pre = |block: usize, k: usize| in_share(block, k) + rec_share(block, k);
            let mut next_h = vec![0.0; H];
            let mut next_c = vec![0.0; H];
            for k in 0..H {
                let peep = |r: usize, v: f64| p.as_ref().map_or(0.0, |p| p[r * H + k] * v);
                // (input gate, forget gate, candidate, output pre-activation) of the LSTMs.
                let (i, f, cand, o_pre) = match cell {
                    Cell::RnnTanh => {
                        next_h[k] = pre(0, k).tanh();
                        continue;
                    }
                    Cell::RnnRelu => {
                        next_h[k] = pre(0, k).max(0.0);
                        continue;
                    }
                    Cell::Gru => {
                        // PyTorch's GRU: gates r, z, n; the reset gate scales W_hn h + b_hn.
                        let r = sigmoid(pre(0, k));
                        let z = sigmoid(pre(1, k));
                        let n = (in_share(2, k) + r * rec_share(2, k)).tanh();
                        next_h[k] = (1.0 - z) * n + z * h[k];
                        continue;
                    }
                    Cell::Lstm => (
                        sigmoid(pre(0, k)),
                        sigmoid(pre(1, k)),
                        pre(2, k).tanh(),
                        Some(pre(3, k)),
                    ),
                    Cell::LstmPeephole => (
                        sigmoid(pre(0, k) + peep(0, c[k])),
                        sigmoid(pre(1, k) + peep(1, c[k])),
                        pre(2, k).tanh(),
                        Some(pre(3, k)),
                    ),
                    Cell::LstmNoForget => {
                        (sigmoid(pre(0, k)), 1.0, pre(1, k).tanh(), Some(pre(2, k)))
                    }
                    Cell::LstmCifg => {
                        let i = sigmoid(pre(0, k));
                        (i, 1.0 - i, pre(1, k).tanh(), Some(pre(2, k)))
                    }
                    Cell::LstmNoOutput => (
                        sigmoid(pre(0, k)),
                        sigmoid(pre(1, k)),
                        pre(2, k).tanh(),
                        None,
                    ),
                };
                next_c[k] = f * c[k] + i * cand;
                let o = o_pre.map_or(1.0, |v| sigmoid(v + peep(2, next_c[k])));
                next_h[k] = o * next_c[k].tanh();
            }
            (h, c) = (next_h, next_c);
            out[t][b] = h.clone();
        }
    }
    out
}

/// The per-step head over the directions' states side by side: `[b][t][o]` flattened.
fn head(vs: &nn::VarStore, directions: &[Vec<Vec<Vec<f64>>>]) -> Vec<f64> {
    let vars = vs.variables();
    let (w, bias) = (values(&vars["head_weight"]), values(&vars["head_bias"]));
    let width = H * directions.len();
    let mut y = Vec::with_capacity(B * T * O);
    for b in 0..B {
        for t in 0..T {
            let h: Vec<f64> = directions.iter().flat_map(|d| d[t][b].clone()).collect();
            for o in 0..O {
                y.push(bias[o] + (0..width).map(|j| w[o * width + j] * h[j]).sum::<f64>());
            }
        }
    }
    y
}

fn assert_close(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    let worst = got
        .iter()
        .zip(want)
        .map(|(g, w)| (g - w).abs())
        .fold(0.0, f64::max);
    assert!(worst < TOLERANCE, "{what}: differs by {worst:e}");
}

/// What one model of `cell` computes, in f64, on a fixed input.
struct Paths {
    /// `Model::forward`: the training and evaluation path.
    forward: Vec<f64>,
    /// `Model::forward_recorded`'s output: always the unrolled loop.
    unrolled: Vec<f64>,
    /// `forward_recorded`'s states of the one layer, `[d * T + t]`, each `[B, H]` flattened.
    states: Vec<Vec<f64>>,
    /// The equations: h_t of each direction, and the head over them.
    want_h: Vec<Vec<Vec<Vec<f64>>>>,
    want_y: Vec<f64>,
    fused: bool,
}

fn run(cell: Cell, bidirectional: bool) -> Paths {
    let mut rng = Rng::new(5);
    let x: Vec<f64> = (0..B * T * I).map(|_| rng.normal()).collect();
    let input = Tensor::from_slice(&x).view([B as i64, T as i64, I as i64]);
    let mut vs = nn::VarStore::new(Device::Cpu);
    let config = ModelConfig {
        cell,
        hidden: H,
        bidirectional,
        ..Default::default()
    };
    let shape = Shape {
        inputs: I,
        tokens: false,
        outputs: O,
        readout: Readout::PerStep,
    };
    let model = Model::new(&vs.root(), &config, &shape, 7);
    vs.double();
    let forward = model.forward(&input, None, false);
    let (unrolled, states) = model.forward_recorded(&input, None);
    assert_eq!(forward.kind(), Kind::Double, "the model runs in f64");
    assert_eq!(states.len(), 1);
    let suffixes: &[&str] = if bidirectional {
        &["", "_reverse"]
    } else {
        &[""]
    };
    let want_h: Vec<_> = suffixes
        .iter()
        .map(|s| reference(cell, &vs, s, &x))
        .collect();
    Paths {
        forward: values(&forward),
        unrolled: values(&unrolled),
        states: states[0].iter().map(values).collect(),
        want_y: head(&vs, &want_h),
        want_h,
        fused: model.stack().layers[0].is_fused(),
    }
}

fn check_states(p: &Paths, what: &str) {
    assert_eq!(
        p.states.len(),
        p.want_h.len() * T,
        "{what}: recorded states"
    );
    for (d, want) in p.want_h.iter().enumerate() {
        for (t, want_t) in want.iter().enumerate() {
            let flat: Vec<f64> = want_t.concat();
            assert_close(&p.states[d * T + t], &flat, &format!("{what} d={d} h_{t}"));
        }
    }
}

#[test]
fn fused_kernels_and_unrolled_cells_follow_their_equations() {
    for cell in CLASSIC {
        for bidirectional in [false, true] {
            let what = format!("{cell:?} bidirectional={bidirectional}");
            let p = run(cell, bidirectional);
            assert!(
                p.fused,
                "{what}: Model::forward should take the fused kernel"
            );
            assert_close(&p.forward, &p.want_y, &format!("{what}: fused kernel"));
            assert_close(&p.unrolled, &p.want_y, &format!("{what}: unrolled loop"));
            assert_close(
                &p.forward,
                &p.unrolled,
                &format!("{what}: fused vs unrolled"),
            );
            check_states(&p, &format!("{what}: unrolled"));
        }
    }
}

#[test]
fn unrolled_ablations_follow_their_equations() {
    for cell in ABLATIONS {
        for bidirectional in [false, true] {
            let what = format!("{cell:?} bidirectional={bidirectional}");
            let p = run(cell, bidirectional);
            assert!(!p.fused, "{what}: there is no fused kernel for an ablation");
            check_states(&p, &format!("{what}: recorded"));
            assert_close(&p.unrolled, &p.want_y, &format!("{what}: recorded path"));
            // The training path runs the same unrolled cells, without recording.
            assert_close(&p.forward, &p.want_y, &format!("{what}: training path"));
        }
    }
}
