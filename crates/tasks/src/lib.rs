//! rnnlab-tasks: seeded, pure-Rust data generators for the benchmark tasks.
//!
//! Every task draws batch `index` of a split from its own random stream, derived from
//! `(seed, split, index)` alone: the same config, seed, split and index give the same data bit
//! for bit on any machine, in any thread, in any order. No libtorch here: a [`Batch`] is plain
//! vectors, turned into tensors by the trainer.
mod adding;
mod batch;
pub mod rng;

pub use adding::Adding;
pub use batch::{Batch, Inputs, Meta, Targets};
pub use rng::Rng;

use rnnlab_spec::TaskConfig;

/// Which part of the data a batch is drawn from. Each split is a separate random stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Split {
    Train,
    Valid,
    Test,
}

impl Split {
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Valid => "valid",
            Split::Test => "test",
        }
    }
}

/// What a model needs to know about a task's data to be built for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Input width: one-hot channels or real-valued channels (for [`Inputs::Dense`]), or the
    /// vocabulary size (for [`Inputs::Tokens`]).
    pub inputs: usize,
    /// True when inputs are token ids to embed rather than dense vectors.
    pub tokens: bool,
    /// Output width: classes, or 1 for regression.
    pub outputs: usize,
    /// Where the loss is read.
    pub readout: Readout,
}

/// Where and how a task's loss is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readout {
    /// Cross-entropy at every step where the mask is 1 (copy, language model).
    PerStep,
    /// Cross-entropy of the last step's output (temporal order, number prediction).
    LastClass,
    /// Squared error of the last step's single output (adding).
    LastValue,
}

/// A reference score that needs no learning, reported beside the models
/// (e.g. the adding problem's "always predict 1", MSE 1/6).
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub name: &'static str,
    pub metric: &'static str,
    pub value: f64,
}

/// A seeded data generator.
pub trait Task: Send + Sync {
    /// The data's shape, for building the model.
    fn shape(&self) -> Shape;
    /// Batch `index` of `split`: `size` examples, a pure function of (config, seed, split, index).
    fn batch(&self, split: Split, index: u64, size: usize) -> Batch;
    /// The task's no-learning baselines.
    fn baselines(&self) -> Vec<Baseline>;
    /// The metric that says whether the task is learned (`mse`, `recall_accuracy`, ...).
    fn main_metric(&self) -> &'static str;
}

/// Builds the generator for a task config and seed.
pub fn build(config: &TaskConfig, seed: u64) -> Box<dyn Task> {
    match config {
        TaskConfig::Adding(c) => Box::new(Adding::new(c.clone(), seed)),
        other => todo_task(other),
    }
}

fn todo_task(config: &TaskConfig) -> Box<dyn Task> {
    panic!("task `{}` has no generator yet", config.kind())
}
