//! One training step, cut into the phases that `rnnlab bench` and the runner profile report.
//!
//! The trainer and the benchmark call these same functions, so the benchmark times exactly the
//! code a run executes. Each phase ends with one reading of the wall clock (tens of
//! nanoseconds), which is why the laps are always taken rather than behind a flag; the
//! profiler may read the thread's CPU clock instead (a system call, about a microsecond).
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rnnlab_models::cell::State;
use rnnlab_models::Model;
use rnnlab_spec::TrainConfig;
use tch::Tensor;

use crate::data::DeviceBatch;
use crate::optim::{self, Optimizer};
use crate::{clip, metrics};

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

/// Which clock the laps read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// Wall-clock time. Default: what a user waits for.
    #[default]
    Wall,
    /// This thread's CPU time: the wall time minus the time other processes held the core. With
    /// one intra-op thread libtorch computes on the calling thread, so on a shared machine this
    /// is the figure that does not depend on the neighbours. Reads as zero where the platform
    /// has no thread clock.
    Cpu,
}

impl Clock {
    /// The time since an arbitrary origin fixed per clock (and per thread for `Cpu`).
    pub fn now(self) -> Duration {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        match self {
            Clock::Wall => ORIGIN.get_or_init(Instant::now).elapsed(),
            Clock::Cpu => thread_cpu().unwrap_or_default(),
        }
    }
}

/// This thread's CPU time so far.
#[cfg(unix)]
pub fn thread_cpu() -> Option<Duration> {
    use nix::time::{clock_gettime, ClockId};
    let t = clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID).ok()?;
    Some(Duration::new(t.tv_sec() as u64, t.tv_nsec() as u32))
}

#[cfg(not(unix))]
pub fn thread_cpu() -> Option<Duration> {
    None
}

/// A stopwatch that hands out the time since its previous lap.
#[derive(Debug)]
pub struct Laps {
    clock: Clock,
    last: Duration,
    /// The cost of one reading of the clock, taken off every lap: reading the CPU clock is a
    /// system call of a microsecond or two, which would otherwise be charged to whichever
    /// phase the lap closes and inflate the small ones.
    cost: Duration,
}

impl Laps {
    pub fn start(clock: Clock) -> Self {
        Self {
            clock,
            last: clock.now(),
            cost: reading_cost(clock),
        }
    }

    pub fn lap(&mut self) -> Duration {
        let now = self.clock.now();
        let d = now.saturating_sub(self.last).saturating_sub(self.cost);
        self.last = now;
        d
    }
}

/// The mean cost of one clock reading, measured once per process and clock.
fn reading_cost(clock: Clock) -> Duration {
    static WALL: OnceLock<Duration> = OnceLock::new();
    static CPU: OnceLock<Duration> = OnceLock::new();
    let cell = match clock {
        Clock::Wall => &WALL,
        Clock::Cpu => &CPU,
    };
    *cell.get_or_init(|| {
        const N: u32 = 1000;
        let start = clock.now();
        for _ in 0..N {
            std::hint::black_box(clock.now());
        }
        clock.now().saturating_sub(start) / N
    })
}

/// Forward, loss and backward on `batch`, from the carried state of a stream task's previous
/// window when `carry` is given (left holding this window's final state, detached). Returns the loss and the global gradient norm before
/// clipping; the caller decides whether the step diverged before [`update`].
pub fn gradients(
    model: &Model,
    opt: &mut Optimizer,
    params: &[Tensor],
    batch: &DeviceBatch,
    carry: Option<&mut Vec<State>>,
    phases: &mut Phases,
    laps: &mut Laps,
) -> (f64, f64) {
    let y = match carry {
        Some(carry) => {
            let y = model.forward_carried(&batch.x, carry, true);
            // Truncated BPTT: the next window starts from these values, not their graph.
            for s in carry.iter_mut() {
                s.h = s.h.detach();
                s.c = s.c.as_ref().map(Tensor::detach);
            }
            y
        }
        None => model.forward(&batch.x, batch.lengths.as_ref(), true),
    };
    let loss = metrics::loss(&y, batch);
    drop(y);
    phases.forward += laps.lap();
    opt.zero_grad();
    loss.backward();
    phases.backward += laps.lap();
    let value = loss.double_value(&[]);
    phases.sync += laps.lap();
    // Dropping the loss frees what is left of the step's graph (on long sequences, megabytes
    // handed back to the allocator). That is backpropagation's cost; left to the end of the
    // function it would be charged to the norm or the clip.
    drop(loss);
    phases.backward += laps.lap();
    let norm = clip::global_norm(params);
    phases.norm += laps.lap();
    (value, norm)
}

/// Clips the gradients (given their norm) and applies the update for step `step`. Returns
/// whether clipping changed the gradient.
pub fn update(
    opt: &mut Optimizer,
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
