//! Optimizers and learning-rate schedules.
use rnnlab_spec::{Optimizer, Schedule, TrainConfig};
use tch::nn::{self, OptimizerConfig};

/// Builds the configured optimizer over the store's trainable variables.
pub fn build(vs: &nn::VarStore, config: &TrainConfig) -> Result<nn::Optimizer, tch::TchError> {
    match config.optimizer {
        Optimizer::Sgd => nn::Sgd {
            momentum: config.momentum,
            ..Default::default()
        }
        .build(vs, config.lr),
        Optimizer::Adam => nn::Adam::default().build(vs, config.lr),
        Optimizer::Rmsprop => nn::RmsProp::default().build(vs, config.lr),
    }
}

/// The learning rate at `step` of `steps`.
pub fn rate(config: &TrainConfig, step: usize) -> f64 {
    match config.schedule {
        Schedule::Constant => config.lr,
        Schedule::Cosine => {
            let progress = step as f64 / config.steps.max(1) as f64;
            0.5 * config.lr * (1.0 + (std::f64::consts::PI * progress).cos())
        }
    }
}
