//! Model-level checks: parameter counts against closed forms, the fused and unrolled paths
//! agreeing, seeded initialisation, deep stacks, and the gradient-flow picture.
use rnnlab_models::{probe, Model};
use rnnlab_spec::{Cell, Init, Merge, ModelConfig, Skip};
use rnnlab_tasks::{Readout, Rng, Shape};
use tch::{nn, Device, Kind, Tensor};

fn shape(inputs: usize, outputs: usize, readout: Readout) -> Shape {
    Shape {
        inputs,
        tokens: false,
        outputs,
        readout,
    }
}

fn config(
    cell: Cell,
    hidden: usize,
    layers: usize,
    bidirectional: bool,
    skip: Skip,
) -> ModelConfig {
    ModelConfig {
        cell,
        hidden,
        layers,
        bidirectional,
        skip,
        ..ModelConfig::default()
    }
}

/// Gate blocks as the papers count them: 4 for the LSTM (i, f, g, o), 3 for the GRU (r, z, n)
/// and for the LSTM variants that drop or couple one gate, 1 for the Elman RNN.
fn gate_blocks(cell: Cell) -> usize {
    match cell {
        Cell::RnnTanh | Cell::RnnRelu => 1,
        Cell::Lstm | Cell::LstmPeephole => 4,
        _ => 3,
    }
}

/// PyTorch's count for one direction of one layer, G(H·I + H² + 2H), plus 3H peepholes.
fn layer_params(cell: Cell, input: usize, h: usize) -> usize {
    gate_blocks(cell) * (h * input + h * h + 2 * h)
        + if cell == Cell::LstmPeephole { 3 * h } else { 0 }
}

fn expected_params(c: &ModelConfig, input: usize, outputs: usize) -> usize {
    let dirs = if c.bidirectional { 2 } else { 1 };
    let width = if c.bidirectional && c.merge == Merge::Concat {
        2 * c.hidden
    } else {
        c.hidden
    };
    let mut total = 0;
    for l in 0..c.layers {
        // Skips join stacked layers: the first layer never has one.
        let skip = if l == 0 { Skip::None } else { c.skip };
        let below = if l == 0 { input } else { width };
        let reads = if skip == Skip::Dense {
            input + l * width
        } else {
            below
        };
        total += dirs * layer_params(c.cell, reads, c.hidden);
        if skip == Skip::Highway {
            total += width * width + width;
        }
    }
    total + outputs * width + outputs
}

#[test]
fn parameter_counts_match_the_closed_forms() {
    for cell in Cell::ALL {
        for layers in [1, 2, 3] {
            for bidirectional in [false, true] {
                for skip in [Skip::None, Skip::Residual, Skip::Dense, Skip::Highway] {
                    let c = config(cell, 6, layers, bidirectional, skip);
                    let vs = nn::VarStore::new(Device::Cpu);
                    let m = Model::new(&vs.root(), &c, &shape(5, 3, Readout::LastClass), 1);
                    let counted: usize = vs.trainable_variables().iter().map(Tensor::numel).sum();
                    let expected = expected_params(&c, 5, 3);
                    assert_eq!(m.parameters(), expected, "{c:?}");
                    assert_eq!(counted, expected, "{c:?}");
                }
            }
        }
    }
    // The textbook case: a 1-layer LSTM, I = 10, H = 64: 4(64·10 + 64² + 2·64) = 19,456.
    assert_eq!(layer_params(Cell::Lstm, 10, 64), 19_456);
}

fn values(t: &Tensor) -> Vec<f64> {
    Vec::<f64>::try_from(&t.to_kind(Kind::Double).flatten(0, -1)).expect("a float tensor")
}

fn random_input(b: i64, t: i64, c: i64, seed: u64) -> Tensor {
    let mut rng = Rng::new(seed);
    let v: Vec<f32> = (0..b * t * c).map(|_| rng.normal() as f32).collect();
    Tensor::from_slice(&v).view([b, t, c])
}

#[test]
fn unrolled_cells_compute_what_the_fused_kernels_compute() {
    let x = random_input(3, 7, 4, 9);
    for cell in [Cell::RnnTanh, Cell::RnnRelu, Cell::Lstm, Cell::Gru] {
        for bidirectional in [false, true] {
            for merge in [Merge::Concat, Merge::Sum] {
                let c = ModelConfig {
                    merge,
                    ..config(cell, 5, 2, bidirectional, Skip::Residual)
                };
                let vs = nn::VarStore::new(Device::Cpu);
                let m = Model::new(&vs.root(), &c, &shape(4, 2, Readout::PerStep), 3);
                let fused = m.forward(&x, None, false);
                let (unrolled, states) = m.forward_recorded(&x, None);
                let diff = (&fused - &unrolled).abs().max().double_value(&[]);
                assert!(
                    diff < 1e-5,
                    "{cell:?} bidirectional={bidirectional} {merge:?}: {diff}"
                );
                assert_eq!(states.len(), 2);
                assert_eq!(states[0].len(), if bidirectional { 14 } else { 7 });
            }
        }
    }
}

/// Right-pads `rows` (`[t_i, C]` each) with garbage, not zeros, so that any read of the
/// padding shows; returns the batch and the lengths.
fn padded(rows: &[Tensor], steps: i64) -> (Tensor, Tensor) {
    let c = rows[0].size()[1];
    let filled: Vec<Tensor> = rows
        .iter()
        .map(|r| {
            let pad = Tensor::full([steps - r.size()[0], c], 7.0, (Kind::Float, Device::Cpu));
            Tensor::cat(&[r.shallow_clone(), pad], 0)
        })
        .collect();
    let lengths: Vec<i64> = rows.iter().map(|r| r.size()[0]).collect();
    (Tensor::stack(&filled, 0), Tensor::from_slice(&lengths))
}

#[test]
fn a_padded_example_scores_as_it_does_alone() {
    let rows: Vec<Tensor> = [6, 2, 4]
        .iter()
        .enumerate()
        .map(|(i, &t)| random_input(1, t, 3, 40 + i as u64).squeeze_dim(0))
        .collect();
    let (x, lengths) = padded(&rows, 6);
    let cells = [
        (Cell::Lstm, Skip::Dense),
        (Cell::Gru, Skip::Residual),
        (Cell::RnnTanh, Skip::Highway),
        (Cell::RnnRelu, Skip::None),
        (Cell::LstmCifg, Skip::Residual),
    ];
    let directions = [
        (false, Merge::Concat),
        (true, Merge::Concat),
        (true, Merge::Sum),
    ];
    for (cell, skip) in cells {
        for (bidirectional, merge) in directions {
            for readout in [Readout::LastClass, Readout::PerStep] {
                let c = ModelConfig {
                    merge,
                    ..config(cell, 5, 2, bidirectional, skip)
                };
                let vs = nn::VarStore::new(Device::Cpu);
                let m = Model::new(&vs.root(), &c, &shape(3, 2, readout), 5);
                let together = m.forward(&x, Some(&lengths), false);
                let (recorded, _) = m.forward_recorded(&x, Some(&lengths));
                for (b, row) in rows.iter().enumerate() {
                    let alone = m.forward(&row.unsqueeze(0), None, false).squeeze_dim(0);
                    let mine = together.get(b as i64);
                    let mine = match readout {
                        Readout::PerStep => mine.narrow(0, 0, row.size()[0]),
                        _ => mine,
                    };
                    let what =
                        format!("{cell:?} {skip:?} {bidirectional} {merge:?} {readout:?} #{b}");
                    let diff = (&mine - &alone).abs().max().double_value(&[]);
                    assert!(diff < 1e-5, "{what}: fused differs by {diff}");
                    let mine = recorded.get(b as i64);
                    let mine = match readout {
                        Readout::PerStep => mine.narrow(0, 0, row.size()[0]),
                        _ => mine,
                    };
                    let diff = (&mine - &alone).abs().max().double_value(&[]);
                    assert!(diff < 1e-5, "{what}: unrolled differs by {diff}");
                }
            }
        }
    }
}

#[test]
fn initialisation_comes_from_the_seed_alone() {
    let weights = |seed: u64| {
        // Disturb libtorch's global generator: it must not matter.
        tch::manual_seed(seed as i64 * 7 + 1);
        let _ = Tensor::randn([10], (Kind::Float, Device::Cpu));
        let vs = nn::VarStore::new(Device::Cpu);
        let c = config(Cell::Gru, 8, 2, true, Skip::Highway);
        let _m = Model::new(&vs.root(), &c, &shape(3, 2, Readout::LastClass), seed);
        let mut vars: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        vars
    };
    let (a, b, c) = (weights(4), weights(4), weights(5));
    for ((na, ta), (nb, tb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(
            ta.equal(tb),
            "{na} differs between two builds with the same seed"
        );
    }
    assert!(a.iter().zip(&c).any(|((_, ta), (_, tc))| !ta.equal(tc)));
}

#[test]
fn forget_bias_and_identity_init_are_applied() {
    let vs = nn::VarStore::new(Device::Cpu);
    let c = ModelConfig {
        forget_bias: 2.5,
        ..config(Cell::Lstm, 4, 1, false, Skip::None)
    };
    let _m = Model::new(&vs.root(), &c, &shape(3, 2, Readout::LastClass), 1);
    let vars = vs.variables();
    let b_ih = &vars["rnn.l0.bias_ih"];
    let b_hh = &vars["rnn.l0.bias_hh"];
    // Every unit's forget bias, not only the smallest, and no other gate's.
    let forget = values(&(b_ih.narrow(0, 4, 4) + b_hh.narrow(0, 4, 4)));
    assert!(forget.iter().all(|f| (f - 2.5).abs() < 1e-6), "{forget:?}");
    let others = values(&(b_ih.narrow(0, 8, 8) + b_hh.narrow(0, 8, 8)));
    assert!(others.iter().all(|v| (v - 2.5).abs() > 1e-3), "{others:?}");

    let vs = nn::VarStore::new(Device::Cpu);
    let c = ModelConfig {
        init: Init::Identity,
        ..config(Cell::RnnRelu, 4, 1, false, Skip::None)
    };
    let _m = Model::new(&vs.root(), &c, &shape(3, 2, Readout::LastClass), 1);
    assert!(vs.variables()["rnn.l0.weight_hh"].equal(&Tensor::eye(4, (Kind::Float, Device::Cpu))));
}

#[test]
fn deep_stacks_train_with_every_skip() {
    let x = random_input(4, 6, 3, 1);
    for skip in [Skip::None, Skip::Residual, Skip::Dense, Skip::Highway] {
        let vs = nn::VarStore::new(Device::Cpu);
        let c = config(Cell::Lstm, 8, 8, false, skip);
        let m = Model::new(&vs.root(), &c, &shape(3, 1, Readout::LastValue), 2);
        let y = m.forward(&x, None, true);
        assert_eq!(y.size(), vec![4]);
        y.sum(Kind::Float).backward();
        for (name, v) in vs.variables() {
            let g = v.grad();
            assert!(g.defined(), "{skip:?}: no gradient reaches {name}");
            // Defined is not enough: a cut path leaves a gradient of zeros.
            let norm = g.norm().double_value(&[]);
            assert!(
                norm.is_finite() && norm > 0.0,
                "{skip:?}: the gradient of {name} is {norm}"
            );
        }
    }
}

/// ‖∂L/∂h_t‖ for a loss on the last step of a 1-layer model, t = 0..T.
fn flow(cell: Cell, init: Init, forget_bias: f64, t: i64) -> Vec<f64> {
    let vs = nn::VarStore::new(Device::Cpu);
    let c = ModelConfig {
        init,
        forget_bias,
        ..config(cell, 32, 1, false, Skip::None)
    };
    let m = Model::new(&vs.root(), &c, &shape(4, 1, Readout::LastValue), 1);
    let x = random_input(16, t, 4, 3);
    let g = probe::measure(&m, &x, None, |y| y.pow_tensor_scalar(2).mean(Kind::Float));
    g.norms[0][0].clone()
}

#[test]
fn gradients_vanish_in_a_tanh_rnn_and_persist_in_an_lstm() {
    let t = 60;
    // A tanh RNN with PyTorch's default init (recurrent weights U(±1/√H): spectral radius
    // about 0.58) forgets: the gradient 50 steps back is orders of magnitude smaller.
    let rnn = flow(Cell::RnnTanh, Init::Uniform, 1.0, t);
    let ratio_rnn = rnn[9] / rnn[59];
    assert!(
        ratio_rnn < 1e-6,
        "tanh RNN: {ratio_rnn:e} ({:e} at t=9, {:e} at t=59)",
        rnn[9],
        rnn[59]
    );
    // An LSTM with forget bias 1 keeps far more of it (Jozefowicz et al. 2015).
    let lstm = flow(Cell::Lstm, Init::Uniform, 1.0, t);
    let ratio_lstm = lstm[9] / lstm[59];
    assert!(
        ratio_lstm > 1e3 * ratio_rnn,
        "lstm {ratio_lstm:e} vs rnn {ratio_rnn:e}"
    );
    // Within the tanh RNN the norm decreases with distance from the loss.
    assert!(rnn.windows(10).step_by(10).all(|w| w[0] < w[9]), "{rnn:?}");
}
