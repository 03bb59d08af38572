//! rnnlab-tasks: seeded, pure-Rust data generators for the benchmark tasks.
//!
//! Every task draws batch `index` of a split from its own random stream, derived from
//! `(seed, split, index)` alone: the same config, seed, split and index give the same data bit
//! for bit on any machine, in any thread, in any order. No libtorch here: a [`Batch`] is plain
//! vectors, turned into tensors by the trainer.
//!
//! The tasks: [`Copy`] memory, [`Adding`], [`TemporalOrder`], subject-verb [`Agreement`] and
//! language modelling on a corpus, [`Text`] (read from files, not generated).
//! [`build`] turns a task config into its generator; [`describe`] renders an example for a
//! person to read; [`metrics`] holds reference implementations of the task metrics.
mod adding;
mod agreement;
mod batch;
mod copy;
mod describe;
pub mod metrics;
pub mod rng;
mod temporal_order;
pub mod text;
pub mod treebank;

pub use adding::Adding;
pub use agreement::{
    heuristic_accuracy, list_unknown, parse_tsv, Agreement, AgreementFile, Answer, FileError,
    FileItem, FileKind, Prepared, Unk, UnknownWord,
};
pub use batch::{Batch, Inputs, Meta, Targets};
pub use copy::Copy;
pub use describe::{describe, Example};
pub use rng::Rng;
pub use temporal_order::TemporalOrder;
pub use text::{Text, TextError};

use rnnlab_spec::{TaskConfig, TaskMetrics};

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
    /// Cross-entropy of each example's last real step's output (temporal order, number
    /// prediction).
    LastClass,
    /// Squared error of each example's last real step's single output (adding).
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

/// A forced choice between two outputs at one step, for tasks scored by comparison rather
/// than by argmax: the language-model form of agreement is right on an example when the
/// output at `step` gives class `good` (the grammatical verb form) a higher score than class
/// `bad` (Linzen et al. 2016; Marvin & Linzen 2018).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The step (0-based position in the example; padding only ever follows) whose output is
    /// read.
    pub step: usize,
    /// The class (token id) that should score higher.
    pub good: i64,
    /// The class that should score lower.
    pub bad: i64,
}

/// A seeded data generator.
pub trait Task: Send + Sync {
    /// The data's shape, for building the model.
    fn shape(&self) -> Shape;
    /// Batch `index` of `split`: `size` examples, a pure function of (config, seed, split, index).
    fn batch(&self, split: Split, index: u64, size: usize) -> Batch;
    /// The task's no-learning baselines, on the test split where splits differ.
    fn baselines(&self) -> Vec<Baseline>;
    /// The validation loss of a model that learned nothing: the valid split's baseline whose
    /// metric is `loss` (copy's `memoryless loss`, temporal order's `chance loss`; adding,
    /// whose loss is the MSE, returns its `predict 1` MSE). `None` when the task has no loss
    /// baseline (agreement): then `stop.diverged`'s loss rule does not apply.
    fn no_learning_loss(&self) -> Option<f64> {
        self.split_baselines(Split::Valid)
            .into_iter()
            .find(|b| b.metric == "loss")
            .map(|b| b.value)
    }
    /// The task kind, as `task.kind` names it (`copy`, `adding`, ...).
    fn kind(&self) -> &'static str;
    /// The kind's entry in the metric catalogue ([`rnnlab_spec::metric`]): every metric with
    /// its direction and unit.
    fn catalogue(&self) -> &'static TaskMetrics {
        rnnlab_spec::metric::task(self.kind()).expect("the catalogue lists every task kind")
    }
    /// The metric that says whether the task is learned (`mse`, `recall_accuracy`, ...), from
    /// the catalogue.
    fn main_metric(&self) -> &'static str {
        self.catalogue().main
    }
    /// The metric columns the task reports, `loss` first, from the catalogue.
    fn metrics(&self) -> &'static [&'static str] {
        self.catalogue().columns
    }
    /// The no-learning baselines of one split; they differ by split when the test sentences
    /// follow other limits than the training ones (agreement generalisation settings).
    fn split_baselines(&self, split: Split) -> Vec<Baseline> {
        let _ = split;
        self.baselines()
    }
    /// For tasks whose batches are consecutive windows of `size` parallel streams (language
    /// modelling with truncated BPTT): how many batches cover `split` once. The trainer carries
    /// the hidden state from batch k to k + 1 (detached), starts from zero state at k = 0, and
    /// evaluates a split as its windows in order. `None` (the default): batches of independent
    /// examples.
    fn stream_batches(&self, split: Split, size: usize) -> Option<u64> {
        let _ = (split, size);
        None
    }
    /// The words of a token task, indexed by id (id 0 is padding); `None` for dense tasks.
    fn vocab(&self) -> Option<&[String]> {
        None
    }
    /// For tasks scored by forced choice (agreement, language-model form), one [`Choice`]
    /// per example of `batch`: `accuracy` is then the fraction of examples whose output at
    /// `step` scores `good` above `bad`, not the per-step argmax accuracy. `None` otherwise.
    fn choices(&self, batch: &Batch) -> Option<Vec<Choice>> {
        let _ = batch;
        None
    }
    /// Example `i` of `batch` for a person to read; see [`describe`]. The default shows the
    /// metadata only; every task of this crate renders its own inputs and targets.
    fn describe(&self, batch: &Batch, i: usize) -> Example {
        Example {
            text: describe::meta_text(batch, i, &[]),
            json: describe::meta_json(batch, i),
        }
    }
}

/// A task config that no generator can serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("task `{kind}`: {message}")]
pub struct TaskError {
    pub kind: &'static str,
    pub message: String,
}

/// Builds the generator for a task config and seed, or says why the config cannot be served
/// (the range checks of [`TaskConfig::check`], plus agreement limits no sentence can meet).
pub fn try_build(config: &TaskConfig, seed: u64) -> Result<Box<dyn Task>, TaskError> {
    let error = |message: String| TaskError {
        kind: config.kind(),
        message,
    };
    config.check().map_err(error)?;
    Ok(match config {
        TaskConfig::Copy(c) => Box::new(Copy::new(c.clone(), seed)),
        TaskConfig::Adding(c) => Box::new(Adding::new(c.clone(), seed)),
        TaskConfig::TemporalOrder(c) => Box::new(TemporalOrder::new(c.clone(), seed)),
        TaskConfig::Agreement(c) => Box::new(Agreement::new(c.clone(), seed).map_err(error)?),
        TaskConfig::TreebankAgreement(c) => {
            Box::new(treebank::TreebankAgreement::new(c, seed).map_err(error)?)
        }
        TaskConfig::Text(c) => Box::new(Text::new(c).map_err(|e| error(e.to_string()))?),
    })
}

/// Builds the generator for a task config and seed.
///
/// # Panics
/// When the config is out of range; validate first, or call [`try_build`].
pub fn build(config: &TaskConfig, seed: u64) -> Box<dyn Task> {
    try_build(config, seed).unwrap_or_else(|e| panic!("{e}"))
}

/// Stream key of each split, so that splits never share a random stream.
pub(crate) fn split_key(split: Split) -> u64 {
    match split {
        Split::Train => 1,
        Split::Valid => 2,
        Split::Test => 3,
    }
}

#[cfg(test)]
mod tests;
