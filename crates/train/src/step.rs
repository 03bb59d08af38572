//! One training step, cut into the phases that `rnnlab bench` and the runner profile report.
//!
//! The trainer and the benchmark call these same functions, so the benchmark times exactly the
//! code a run executes. Each phase ends with one `Instant::now()` (tens of nanoseconds), which is
//! why the laps are always taken rather than behind a flag.
use std::time::{Duration, Instant};

use rnnlab_models::Model;
use rnnlab_spec::TrainConfig;
use tch::{nn, Tensor};

use crate::data::DeviceBatch;
use crate::{clip, metrics, optim};

/// Time spent in each phase of the training steps, summed over the steps.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Phases {
    /// Generating the batch's arrays (`Task::batch`).
    pub data: Duration,
    /// Turning them into tensors on the device.
    pub tensors: Duration,
    /// The gradient-flow probe, when configured.
    pub probe: Duration,
    /// Model forward and loss.
    pub forward: Duration,
    /// Zeroing the gradients and backpropagation.
    pub backward: Duration,
    /// Reading the loss back to the host (a device sync on GPU).
    pub sync: Duration,
    /// The global gradient norm.
    pub norm: Duration,
    /// Clipping.
    pub clip: Duration,
    /// Setting the learning rate and the optimizer's update.
    pub update: Duration,
}

impl Phases {
    /// The work libtorch does for the model itself: forward, backward and the update. Everything
    /// else is the harness's overhead.
    pub fn compute(&self) -> Duration {
        self.forward + self.backward + self.update
    }

    /// Everything the harness adds around libtorch's forward, backward and update.
    pub fn harness(&self) -> Duration {
        self.data + self.tensors + self.sync + self.norm + self.clip
    }
}

/// A stopwatch that hands out the time since its previous lap.
#[derive(Debug)]
pub struct Laps(Instant);

impl Laps {
    pub fn start() -> Self {
        Self(Instant::now())
    }

    pub fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let d = now - self.0;
        self.0 = now;
        d
    }
}

/// Forward, loss and backward on `batch`. Returns the loss and the global gradient norm before
/// clipping; the caller decides whether the step diverged before [`update`].
pub fn gradients(
    model: &Model,
    opt: &mut nn::Optimizer,
    params: &[Tensor],
    batch: &DeviceBatch,
    phases: &mut Phases,
    laps: &mut Laps,
) -> (f64, f64) {
    let loss = metrics::loss(&model.forward(&batch.x, true), batch);
    phases.forward += laps.lap();
    opt.zero_grad();
    loss.backward();
    phases.backward += laps.lap();
    let loss = loss.double_value(&[]);
    phases.sync += laps.lap();
    let norm = clip::global_norm(params);
    phases.norm += laps.lap();
    (loss, norm)
}

/// Clips the gradients (given their norm) and applies the update for step `step`. Returns
/// whether clipping changed the gradient.
pub fn update(
    opt: &mut nn::Optimizer,
    params: &[Tensor],
    config: &TrainConfig,
    step: usize,
    norm: f64,
    phases: &mut Phases,
    laps: &mut Laps,
) -> bool {
    let clipped = clip::apply(&config.clip, params, norm);
    phases.clip += laps.lap();
    opt.set_lr(optim::rate(config, step));
    opt.step();
    phases.update += laps.lap();
    clipped
}

/// Where a whole run's time went: the steps' phases, and the periodic evaluation around them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Profile {
    /// Training steps taken.
    pub steps: usize,
    /// The steps' phases, summed.
    pub phases: Phases,
    /// The training loop, periodic evaluations included.
    pub loop_time: Duration,
    /// Periodic validation, `metrics.csv` writes and progress callbacks inside the loop.
    pub eval: Duration,
    /// Before the loop: task, model, optimizer and the validation set.
    pub setup: Duration,
    /// After the loop: the test evaluation and the final files.
    pub finish: Duration,
}

impl Profile {
    /// Loop time not in any measured phase: the loop's own bookkeeping (sums, the stop flag,
    /// the divergence check).
    pub fn unaccounted(&self) -> Duration {
        let p = &self.phases;
        let known = p.compute() + p.harness() + p.probe + self.eval;
        self.loop_time.saturating_sub(known)
    }
}
