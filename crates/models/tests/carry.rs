//! Truncated backpropagation through time carries the hidden state from one window of a text
//! to the next: two windows run with the carried state give the outputs of the whole sequence
//! in one pass, for every cell, on the fused and the unrolled paths, through a stack with skips.
use rnnlab_models::Model;
use rnnlab_spec::{Cell, ModelConfig, Skip};
use rnnlab_tasks::{Readout, Shape};
use tch::{nn, Device, Kind, Tensor};

const CELLS: [Cell; 6] = [
    Cell::RnnTanh,
    Cell::RnnRelu,
    Cell::Lstm,
    Cell::Gru,
    Cell::LstmPeephole,
    Cell::LstmCifg,
];

fn model(cell: Cell, skip: Skip) -> (nn::VarStore, Model) {
    let vs = nn::VarStore::new(Device::Cpu);
    let config = ModelConfig {
        cell,
        hidden: 6,
        layers: 2,
        skip,
        embedding: Some(4),
        ..ModelConfig::default()
    };
    let shape = Shape {
        inputs: 7,
        tokens: true,
        outputs: 7,
        readout: Readout::PerStep,
    };
    let m = Model::new(&vs.root(), &config, &shape, 3);
    (vs, m)
}

fn max_diff(a: &Tensor, b: &Tensor) -> f64 {
    (a - b).abs().max().double_value(&[])
}

#[test]
fn two_carried_windows_equal_one_pass_over_both() {
    let _guard = tch::no_grad_guard();
    let tokens =
        Tensor::from_slice(&[1i64, 4, 2, 6, 0, 3, 5, 5, 2, 1, 6, 4, 3, 0, 2, 1]).view([2, 8]);
    for cell in CELLS {
        for skip in [Skip::None, Skip::Residual, Skip::Highway] {
            let (_vs, m) = model(cell, skip);
            let whole = m.forward(&tokens, None, false);
            let mut carry = Vec::new();
            let first = m.forward_carried(&tokens.narrow(1, 0, 5), &mut carry, false);
            assert_eq!(carry.len(), 2, "one state per layer");
            let second = m.forward_carried(&tokens.narrow(1, 5, 3), &mut carry, false);
            let joined = Tensor::cat(&[first, second], 1);
            let d = max_diff(&whole, &joined);
            assert!(d < 1e-5, "{cell:?} {skip:?}: carried windows differ by {d}");
            // Starting the second window from zero instead is a different computation.
            let fresh = m.forward_carried(&tokens.narrow(1, 5, 3), &mut Vec::new(), false);
            let d = max_diff(&whole.narrow(1, 5, 3), &fresh);
            assert!(d > 1e-4, "{cell:?} {skip:?}: the state made no difference");
        }
    }
}

#[test]
fn a_detached_carry_stops_the_gradient_at_the_window() {
    let (vs, m) = model(Cell::Lstm, Skip::None);
    let tokens = Tensor::from_slice(&[1i64, 4, 2, 6, 0, 3]).view([1, 6]);
    let mut carry = Vec::new();
    let _ = m.forward_carried(&tokens.narrow(1, 0, 3), &mut carry, true);
    for s in &mut carry {
        s.h = s.h.detach();
        s.c = s.c.as_ref().map(Tensor::detach);
    }
    let y = m.forward_carried(&tokens.narrow(1, 3, 3), &mut carry, true);
    y.sum(Kind::Float).backward();
    // The embedding rows of tokens read only in the first window get no gradient.
    let table = &vs.variables()["embedding"];
    let grad = table.grad();
    for (token, read_later) in [
        (1, false),
        (4, false),
        (2, false),
        (6, true),
        (0, true),
        (3, true),
    ] {
        let g = grad.get(token).abs().sum(Kind::Float).double_value(&[]);
        assert_eq!(g > 0.0, read_later, "token {token}: gradient {g}");
    }
}
