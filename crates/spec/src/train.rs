use serde::{Deserialize, Serialize};

/// The optimizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Optimizer {
    /// Stochastic gradient descent, with `momentum`.
    Sgd,
    /// Adam (Kingma & Ba 2015), betas 0.9/0.999. Default.
    #[default]
    Adam,
    /// RMSprop (Tieleman & Hinton 2012), alpha 0.99.
    Rmsprop,
}

/// Learning-rate schedule over `steps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// The same rate throughout. Default.
    #[default]
    Constant,
    /// Cosine decay from `lr` to 0 (Loshchilov & Hutter 2017).
    Cosine,
}

/// Which gradient clipping is applied before each update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClipKind {
    /// No clipping. Default.
    #[default]
    None,
    /// Rescale the whole gradient when its global L2 norm exceeds `max` (Pascanu et al. 2013).
    Norm,
    /// Clamp every gradient element to [-max, max].
    Value,
}

/// Gradient clipping. YAML: `clip: { kind: norm, max: 1.0 }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Clip {
    /// `none` (default), `norm` or `value`.
    pub kind: ClipKind,
    /// The threshold. Default 1.0.
    pub max: f64,
}

impl Default for Clip {
    fn default() -> Self {
        Self {
            kind: ClipKind::None,
            max: 1.0,
        }
    }
}

/// How a run trains. YAML: `train: { optimizer: adam, lr: 1.0e-3, batch: 64, steps: 2000 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Default `adam`.
    pub optimizer: Optimizer,
    /// Learning rate. Default 1e-3.
    pub lr: f64,
    /// Momentum, for `sgd`. Default 0.0.
    pub momentum: f64,
    /// Default `constant`.
    pub schedule: Schedule,
    /// Sequences per training step. Default 64.
    pub batch: usize,
    /// Training steps (updates). Default 1000.
    pub steps: usize,
    /// Evaluate on the validation set every this many steps (and after the last). Default 100.
    pub eval_every: usize,
    /// Examples in the fixed validation and test sets. Default 512.
    pub eval_size: usize,
    /// Gradient clipping. Default none.
    pub clip: Clip,
    /// Measure the gradient-flow probe (||dL/dh_t|| per t and layer) every this many steps.
    /// Default: never. On a text (a stream task) it reads the step's window from a zero state,
    /// not from the state carried into it.
    pub probe_every: Option<usize>,
    /// Save the trained weights as `model.safetensors` in the run folder. Default false.
    pub save: bool,
    /// Write a checkpoint (weights, optimizer and generator state, the metric rows so far)
    /// every this many steps, so that a run cut off (a cluster's time limit, a crash) resumes
    /// where it was rather than at step 0. Default: at every evaluation (`eval_every`); a
    /// checkpoint is also written when the run is interrupted. It does not change what the run
    /// computes, so it is not part of the run id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint_every: Option<usize>,
}

impl TrainConfig {
    /// Steps between checkpoints: `checkpoint_every`, else `eval_every`.
    pub fn checkpoint_interval(&self) -> usize {
        self.checkpoint_every.unwrap_or(self.eval_every).max(1)
    }
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            optimizer: Optimizer::Adam,
            lr: 1e-3,
            momentum: 0.0,
            schedule: Schedule::Constant,
            batch: 64,
            steps: 1000,
            eval_every: 100,
            eval_size: 512,
            clip: Clip::default(),
            probe_every: None,
            save: false,
            checkpoint_every: None,
        }
    }
}
