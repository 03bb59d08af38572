//! Timing a training step, batch generation and whole runs, for `rnnlab bench`.
//!
//! A step is timed through the same [`step::gradients`] and [`step::update`] the trainer calls,
//! on one batch made up front, so the figures are the trainer's own step without the data.
use std::time::{Duration, Instant};

use rnnlab_models::{cell, Model};
use rnnlab_spec::{ModelConfig, Run, TaskConfig, TrainConfig};
use rnnlab_tasks::Split;
use tch::{nn, Device};

use crate::data::DeviceBatch;
use crate::step::{self, Clock, Laps, Phases, Profile};
use crate::summary::Summary;
use crate::{optim, train_run_profiled, RunContext, Store, TrainError};

/// One timed training step, by phase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepTime {
    /// Model forward and loss.
    pub forward: Duration,
    /// Zeroing gradients, backpropagation and reading the loss.
    pub backward: Duration,
    /// Global norm, clipping and the optimizer update.
    pub optimizer: Duration,
    /// The whole step on this thread's CPU clock: the wall time minus the time other processes
    /// held the core. With one intra-op thread libtorch computes on the calling thread, so on
    /// a shared machine this is the figure that does not depend on the neighbours. None where
    /// the platform has no thread clock.
    pub cpu: Option<Duration>,
}

impl StepTime {
    pub fn total(&self) -> Duration {
        self.forward + self.backward + self.optimizer
    }

    fn of(p: &Phases, cpu: Option<Duration>) -> Self {
        Self {
            forward: p.forward,
            backward: p.backward + p.sync,
            optimizer: p.norm + p.clip + p.update,
            cpu,
        }
    }
}

/// Times `repeat` training steps of `model` on one batch of `task` (after `warmup` untimed
/// ones, which let the allocator and the optimizer state settle). Every step is a full update,
/// so the weights move as in training.
pub fn time_steps(
    model: &ModelConfig,
    task: &TaskConfig,
    train: &TrainConfig,
    device: Device,
    warmup: usize,
    repeat: usize,
) -> Result<Vec<StepTime>, TrainError> {
    let task = rnnlab_tasks::try_build(task, 1).map_err(|source| TrainError::Task {
        id: "bench".into(),
        source,
    })?;
    let vs = nn::VarStore::new(device);
    let net = Model::new(&vs.root(), model, &task.shape(), 1);
    let params = vs.trainable_variables();
    let mut opt = optim::Optimizer::new(&params, train);
    let batch = DeviceBatch::for_training(task.batch(Split::Train, 0, train.batch), device);
    Ok(timed(warmup, repeat, |i, phases, laps| {
        let (_, norm) = step::gradients(&net, &mut opt, &params, &batch, None, phases, laps);
        step::update(&mut opt, &params, train, i, norm, phases, laps);
    }))
}

/// Runs `step(i, phases, laps)` for i in `0..warmup + repeat` and keeps the times of the last
/// `repeat`: the phases the step recorded, and its span on this thread's CPU clock.
fn timed(
    warmup: usize,
    repeat: usize,
    mut step: impl FnMut(usize, &mut Phases, &mut Laps),
) -> Vec<StepTime> {
    let mut times = Vec::with_capacity(repeat);
    for i in 0..warmup + repeat {
        let mut phases = Phases::default();
        let cpu = step::thread_cpu();
        let mut laps = Laps::start(Clock::Wall);
        step(i, &mut phases, &mut laps);
        let cpu = step::thread_cpu().zip(cpu).map(|(end, start)| end - start);
        if i >= warmup {
            times.push(StepTime::of(&phases, cpu));
        }
    }
    times
}

/// Generation and tensor-creation time of `repeat` training batches of `task`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataTime {
    /// `Task::batch`: the seeded generator filling plain arrays.
    pub generate: Vec<Duration>,
    /// Building the batch's tensors from those arrays.
    pub tensors: Vec<Duration>,
}

/// Times making `repeat` different training batches of `task`, as the trainer makes them.
pub fn time_data(
    task: &TaskConfig,
    batch: usize,
    device: Device,
    repeat: usize,
) -> Result<DataTime, TrainError> {
    let task = rnnlab_tasks::try_build(task, 1).map_err(|source| TrainError::Task {
        id: "bench".into(),
        source,
    })?;
    let mut out = DataTime::default();
    for i in 0..=repeat {
        let start = Instant::now();
        let arrays = task.batch(Split::Train, i as u64, batch);
        let generated = start.elapsed();
        let b = DeviceBatch::for_training(arrays, device);
        let made = start.elapsed() - generated;
        drop(b);
        // The first batch pays for first-touch page faults; leave it out like a warm-up step.
        if i > 0 {
            out.generate.push(generated);
            out.tensors.push(made);
        }
    }
    Ok(out)
}

/// Trains `run` into `store` exactly as `rnnlab run` does, and returns where the time went,
/// measured on `clock`.
pub fn profile_run(
    run: &Run,
    store: &Store,
    device: Device,
    clock: Clock,
) -> Result<(Summary, Profile), TrainError> {
    let stop = std::sync::atomic::AtomicBool::new(false);
    let ctx = RunContext {
        device,
        store,
        stop: &stop,
        observer: &(),
        resume: false,
        until: None,
    };
    train_run_profiled(run, &ctx, clock)
}

/// Floating-point operations of the recurrent matrix products in one training step: the
/// figure behind `rnnlab bench`'s GFLOP/s.
///
/// Per time step, layer and direction, the forward pass multiplies `[B, I + H]` by
/// `[I + H, G·H]` (the input and recurrent products), which is `2·B·G·H·(I + H)` operations
/// (a multiply and an add per term); `G` is the number of gate blocks in the weights (4 for
/// LSTM and the peephole variant, 3 for GRU and the three-gate LSTM ablations, 1 for the Elman
/// RNN). The backward pass computes two products of the same size per product (gradients with
/// respect to the inputs and to the weights), so a step costs about `3 ×` the forward figure.
/// Elementwise gate arithmetic, the head and the loss are left out: they are small next to the
/// matrix products and the count is meant to be comparable with other benchmarks that use this
/// convention.
pub fn recurrent_flops(model: &ModelConfig, inputs: usize, batch: usize, steps: usize) -> f64 {
    let g = cell::blocks(model.cell) as f64;
    let (b, h, t) = (batch as f64, model.hidden as f64, steps as f64);
    let dirs = if model.bidirectional { 2.0 } else { 1.0 };
    let below = if model.bidirectional && model.merge == rnnlab_spec::Merge::Concat {
        2.0 * h
    } else {
        h
    };
    let mut reads = inputs as f64;
    let mut total = 0.0;
    for l in 0..model.layers {
        if l > 0 {
            reads = match model.skip {
                rnnlab_spec::Skip::Dense => reads + below,
                _ => below,
            };
        }
        total += dirs * 2.0 * b * g * h * (reads + h) * t;
    }
    3.0 * total
}

/// Median and range of a set of timings, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// Of a non-empty set (an empty one gives NaN).
    pub fn of(times: impl IntoIterator<Item = Duration>) -> Self {
        let mut ms: Vec<f64> = times.into_iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        if n == 0 {
            return Self {
                median: f64::NAN,
                min: f64::NAN,
                max: f64::NAN,
            };
        }
        let median = if n % 2 == 1 {
            ms[n / 2]
        } else {
            0.5 * (ms[n / 2 - 1] + ms[n / 2])
        };
        Self {
            median,
            min: ms[0],
            max: ms[n - 1],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flops_follow_the_documented_formula() {
        let lstm = ModelConfig {
            hidden: 64,
            ..Default::default()
        };
        // 3 × T × 2·B·G·H·(I + H) with B 64, G 4, H 64, I 10, T 100.
        let want = 3.0 * 100.0 * 2.0 * 64.0 * 4.0 * 64.0 * 74.0;
        assert_eq!(recurrent_flops(&lstm, 10, 64, 100), want);
        let deep = ModelConfig { layers: 2, ..lstm };
        let second = 3.0 * 100.0 * 2.0 * 64.0 * 4.0 * 64.0 * 128.0;
        assert_eq!(recurrent_flops(&deep, 10, 64, 100), want + second);
    }

    #[test]
    fn spread_takes_the_middle() {
        let ms = |v: u64| Duration::from_millis(v);
        let s = Spread::of([ms(3), ms(1), ms(2)]);
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        assert_eq!(Spread::of([ms(1), ms(3)]).median, 2.0);
    }

    #[test]
    fn every_step_is_run_and_only_the_warm_up_is_dropped() {
        // A fake step that records its index in every phase: the times that come back must be
        // those of steps warmup..warmup + repeat, in order, each phase in its column.
        let ns = |v: usize| Duration::from_nanos(v as u64);
        let mut calls = Vec::new();
        let times = timed(2, 3, |i, phases, _| {
            calls.push(i);
            phases.forward = ns(i);
            (phases.backward, phases.sync) = (ns(10 * i), ns(100 * i));
            (phases.norm, phases.clip, phases.update) = (ns(1000 * i), ns(2000 * i), ns(4000 * i));
            // Not part of a step's time: the bench step has no data, tensors or probe phase.
            (phases.data, phases.tensors, phases.probe) = (ns(1 << 20), ns(1 << 21), ns(1 << 22));
        });
        assert_eq!(calls, [0, 1, 2, 3, 4]);
        let got: Vec<_> = times
            .iter()
            .map(|t| (t.forward, t.backward, t.optimizer))
            .collect();
        let want: Vec<_> = (2..5).map(|i| (ns(i), ns(110 * i), ns(7000 * i))).collect();
        assert_eq!(got, want);
        assert_eq!(times[2].total(), ns(4 + 440 + 28000));
        assert!(timed(0, 0, |_, _, _| panic!("no step to run")).is_empty());
    }

    #[test]
    fn a_step_is_timed_within_the_call() {
        let model = ModelConfig {
            hidden: 8,
            ..Default::default()
        };
        let task = TaskConfig::Adding(rnnlab_spec::AddingConfig { length: 10 });
        let train = TrainConfig {
            batch: 4,
            ..Default::default()
        };
        for (warmup, repeat) in [(0, 3), (2, 1), (1, 0)] {
            let start = Instant::now();
            let t = time_steps(&model, &task, &train, Device::Cpu, warmup, repeat).unwrap();
            let wall = start.elapsed();
            assert_eq!(t.len(), repeat, "warmup {warmup}, repeat {repeat}");
            // The phases are disjoint laps inside the call, on its clock, and a thread's CPU
            // time cannot exceed the wall time that passed: neither sum can pass the call's.
            let phases: Duration = t.iter().map(StepTime::total).sum();
            assert!(phases <= wall, "{phases:?} of phases in {wall:?}");
            if step::thread_cpu().is_some() {
                let cpu: Duration = t.iter().map(|s| s.cpu.expect("a thread clock")).sum();
                assert!(cpu <= wall, "{cpu:?} of CPU time in {wall:?}");
            }
        }
    }

    #[test]
    fn data_is_timed_for_each_batch_within_the_call() {
        let task = TaskConfig::Adding(rnnlab_spec::AddingConfig { length: 10 });
        for repeat in [0, 1, 4] {
            let start = Instant::now();
            let d = time_data(&task, 4, Device::Cpu, repeat).unwrap();
            let wall = start.elapsed();
            assert_eq!((d.generate.len(), d.tensors.len()), (repeat, repeat));
            let sum: Duration = d.generate.iter().chain(&d.tensors).sum();
            assert!(sum <= wall, "{sum:?} of batches in {wall:?}");
        }
    }
}
