//! Hand-computed cases: each number below is worked out in the comment beside it.
use super::*;
use crate::{AddingConfig, CopyConfig, StopConfig, TrainConfig};

fn run(model: ModelConfig, train: TrainConfig) -> RunConfig {
    RunConfig {
        task: TaskConfig::Adding(AddingConfig { length: 10 }),
        model,
        train,
        stop: StopConfig::default(),
        seed: 1,
    }
}

const ADDING: Io = Io {
    inputs: 2,
    tokens: false,
    outputs: 1,
    per_step: false,
    steps: 10,
};

#[test]
fn a_small_lstm_by_hand() {
    let model = ModelConfig {
        hidden: 4,
        ..Default::default()
    };
    let train = TrainConfig {
        batch: 8,
        steps: 100,
        eval_every: 10,
        eval_size: 16,
        ..Default::default()
    };
    let e = estimate(&run(model, train), &ADDING);
    // nn.LSTM(2, 4): 4·4·2 + 4·4·4 + 2·4·4 = 128; head 1·4 + 1 = 5.
    assert_eq!(e.parameters, 133.0);
    assert_eq!(e.memory.weights, 133.0 * 4.0);
    assert_eq!(e.memory.gradients, 133.0 * 4.0);
    // Adam: two moments.
    assert_eq!(e.memory.optimizer, 2.0 * 133.0 * 4.0);
    // B·T = 80 steps, each keeping the input (2) and 2.5 × (4 gates + h + c) of 4 units (60);
    // the head its logit and softmax for 8 examples (16): 80·62 + 16 = 4976 floats.
    assert_eq!(e.memory.activations, 4976.0 * 4.0);
    // 8 + 2·16 examples of 10 steps × 2 channels, and one target each: 40·22 floats.
    assert_eq!(e.memory.data, 880.0 * 4.0);
    // Forward: 80 · 2·4·4·(2 + 4) = 15360, head 2·8·4·1 = 64.
    assert_eq!(e.step_flops, 3.0 * 15424.0);
    // 100 steps, 10 validations and the test, each 16 examples at 15424/8 a piece.
    assert_eq!(e.run_flops, 100.0 * 3.0 * 15424.0 + 11.0 * 1928.0 * 16.0);
    assert!(!e.unrolled);
}

#[test]
fn a_bidirectional_dense_gru_on_tokens_by_hand() {
    let model = ModelConfig {
        cell: Cell::Gru,
        hidden: 3,
        layers: 2,
        bidirectional: true,
        skip: Skip::Dense,
        ..Default::default()
    };
    let io = Io {
        inputs: 10,
        tokens: true,
        outputs: 2,
        per_step: false,
        steps: 5,
    };
    // Embedding 10·3. Layer 1 reads 3, per direction 3·3·3 + 3·3·3 + 2·9 = 72. Layer 2 reads
    // the embedding and layer 1's 6 (9): 3·3·9 + 27 + 18 = 126. Head 2·6 + 2.
    assert_eq!(
        parameters(&model, &io),
        30.0 + 2.0 * 72.0 + 2.0 * 126.0 + 14.0
    );
    // Summed directions halve what the next layer and the head read.
    let sum = ModelConfig {
        merge: Merge::Sum,
        skip: Skip::None,
        ..model
    };
    // Layer 2 reads 3: 27 + 27 + 18 = 72 per direction; head 2·3 + 2.
    assert_eq!(parameters(&sum, &io), 30.0 + 4.0 * 72.0 + 8.0);
}

#[test]
fn peepholes_highway_and_the_optimizers_state_by_hand() {
    let model = ModelConfig {
        cell: Cell::LstmPeephole,
        hidden: 2,
        layers: 2,
        skip: Skip::Highway,
        ..Default::default()
    };
    let io = Io {
        inputs: 3,
        ..ADDING
    };
    // Layer 1: 4·2·3 + 4·2·2 + 2·8 + 3·2 = 62. Layer 2: 16 + 16 + 16 + 6 = 54, and its
    // highway gate 2·2 + 2. Head 2 + 1.
    assert_eq!(parameters(&model, &io), 62.0 + 54.0 + 6.0 + 3.0);
    let sgd = |momentum| TrainConfig {
        optimizer: Optimizer::Sgd,
        momentum,
        ..Default::default()
    };
    let plain = estimate(&run(model.clone(), sgd(0.0)), &io);
    assert_eq!(plain.memory.optimizer, 0.0);
    let momentum = estimate(&run(model.clone(), sgd(0.9)), &io);
    assert_eq!(momentum.memory.optimizer, 125.0 * 4.0);
    let rmsprop = TrainConfig {
        optimizer: Optimizer::Rmsprop,
        ..Default::default()
    };
    assert_eq!(
        estimate(&run(model, rmsprop), &io).memory.optimizer,
        125.0 * 4.0
    );
    assert!(plain.unrolled, "the peephole LSTM has no fused kernel");
}

#[test]
fn each_kind_of_kernel_keeps_its_measured_share() {
    let io = ADDING;
    let of = |cell| {
        let m = ModelConfig {
            cell,
            hidden: 4,
            ..Default::default()
        };
        activations(&m, &io, 1.0)
    };
    // Both have 4 gate blocks and c: 10 steps × (input 2 + k·24) + head 2; the tanh RNN one
    // block and h: k·8.
    assert_eq!(of(Cell::Lstm), 10.0 * (2.0 + 2.5 * 24.0) + 2.0);
    assert_eq!(of(Cell::LstmPeephole), 10.0 * (2.0 + 3.5 * 24.0) + 2.0);
    assert_eq!(of(Cell::RnnTanh), 10.0 * (2.0 + 8.0) + 2.0);
}

#[test]
fn a_huge_hidden_width_gives_huge_numbers_not_an_overflow() {
    let model = ModelConfig {
        hidden: 100_000_000,
        ..Default::default()
    };
    let e = estimate(&run(model, TrainConfig::default()), &ADDING);
    // 4·H² dominates: 4e16 parameters, 160 PB of weights alone.
    assert!((e.parameters / 4e16 - 1.0).abs() < 1e-6, "{}", e.parameters);
    assert!(e.memory.total() > 1.6e17);
    // Any width and depth: closed forms, no loop over 2^64 layers, no overflow.
    let wide = ModelConfig {
        hidden: usize::MAX,
        layers: usize::MAX,
        skip: Skip::Dense,
        ..Default::default()
    };
    let e = estimate(&run(wide, TrainConfig::default()), &ADDING);
    assert!(e.parameters > 1e57 && e.memory.total() > 1e57 && e.run_flops > 1e57);
}

#[test]
fn dense_tasks_know_their_length() {
    let copy = TaskConfig::Copy(CopyConfig {
        length: 100,
        recall: 10,
        symbols: 8,
    });
    assert_eq!(sequence_length(&copy), Some(120));
    let adding = TaskConfig::Adding(AddingConfig { length: 50 });
    assert_eq!(sequence_length(&adding), Some(50));
    let agreement = TaskConfig::Agreement(Default::default());
    assert_eq!(sequence_length(&agreement), None);
}
