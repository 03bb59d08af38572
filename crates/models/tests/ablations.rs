//! The LSTM gate ablations have no fused kernel to be checked against, so each is recomputed
//! here from its equations (Greff et al. 2017) with plain scalar loops in f64, reading the
//! model's own weights, and compared with every h_t of the unrolled path.
use rnnlab_models::Model;
use rnnlab_spec::{Cell, ModelConfig};
use rnnlab_tasks::{Readout, Rng, Shape};
use tch::{nn, Device, Tensor};

const B: usize = 2;
const T: usize = 4;
const I: usize = 3;
const H: usize = 5;

fn values(t: &Tensor) -> Vec<f64> {
    let flat = t.to_kind(tch::Kind::Double).flatten(0, -1);
    Vec::<f64>::try_from(&flat).expect("a float tensor")
}

fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// h_t for every t and example, `[t][b][k]`, from the equations of `cell`.
fn reference(cell: Cell, vs: &nn::VarStore, x: &[f64]) -> Vec<Vec<Vec<f64>>> {
    let vars = vs.variables();
    let get = |name: &str| values(&vars[&format!("rnn.l0.{name}")]);
    let (w_ih, w_hh, b_ih, b_hh) = (
        get("weight_ih"),
        get("weight_hh"),
        get("bias_ih"),
        get("bias_hh"),
    );
    let p = (cell == Cell::LstmPeephole).then(|| get("peephole_l"));
    let g = b_ih.len() / H;
    let mut out = vec![vec![vec![0.0; H]; B]; T];
    for b in 0..B {
        let (mut h, mut c) = (vec![0.0; H], vec![0.0; H]);
        for t in 0..T {
            // Pre-activations of every gate block: W_ih x + b_ih + W_hh h + b_hh.
            let pre = |block: usize, k: usize| {
                let row = block * H + k;
                let mut s = b_ih[row] + b_hh[row];
                s += (0..I)
                    .map(|j| w_ih[row * I + j] * x[(b * T + t) * I + j])
                    .sum::<f64>();
                s += (0..H).map(|j| w_hh[row * H + j] * h[j]).sum::<f64>();
                s
            };
            let mut next_h = vec![0.0; H];
            let mut next_c = vec![0.0; H];
            for k in 0..H {
                let peep = |r: usize, v: f64| p.as_ref().map_or(0.0, |p| p[r * H + k] * v);
                let (i, f, cand, o_pre) = match cell {
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
                    other => unreachable!("{other:?}"),
                };
                assert_eq!(g, if cell == Cell::LstmPeephole { 4 } else { 3 });
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

#[test]
fn unrolled_ablations_follow_their_equations() {
    let mut rng = Rng::new(5);
    let x: Vec<f64> = (0..B * T * I).map(|_| rng.normal()).collect();
    let input = Tensor::from_slice(&x.iter().map(|v| *v as f32).collect::<Vec<_>>())
        .view([B as i64, T as i64, I as i64]);
    for cell in [
        Cell::LstmPeephole,
        Cell::LstmNoForget,
        Cell::LstmCifg,
        Cell::LstmNoOutput,
    ] {
        let vs = nn::VarStore::new(Device::Cpu);
        let config = ModelConfig {
            cell,
            hidden: H,
            ..Default::default()
        };
        let shape = Shape {
            inputs: I,
            tokens: false,
            outputs: 2,
            readout: Readout::PerStep,
        };
        let model = Model::new(&vs.root(), &config, &shape, 7);
        let (_, states) = model.forward_recorded(&input, None);
        let want = reference(cell, &vs, &x);
        for (t, h) in states[0].iter().enumerate() {
            let got = values(h);
            for b in 0..B {
                for k in 0..H {
                    let (g, w) = (got[b * H + k], want[t][b][k]);
                    assert!(
                        (g - w).abs() < 1e-5,
                        "{cell:?} t={t} b={b} k={k}: {g} vs {w}"
                    );
                }
            }
        }
        // The training path runs the same unrolled cells.
        let (fused, _) = model.forward_recorded(&input, None);
        let trained = model.forward(&input, None, false);
        assert!(fused.allclose(&trained, 1e-6, 1e-6, false), "{cell:?}");
    }
}
