//! Training one run: a [`Trainer`] that steps, evaluates and finishes, writing the run's files
//! through the [`Store`] as it goes.
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Instant;

use rnnlab_models::cell::State;
use rnnlab_models::{probe, Model};
use rnnlab_results::files::{GradflowRow, MetricsRow};
use rnnlab_results::{write_atomic_with, Baseline, Divergence, DivergenceRule};
use rnnlab_spec::Run;
use rnnlab_tasks::{Split, Task};
use tch::{nn, Device, Tensor};

use crate::data::DeviceBatch;
use crate::evalset::EvalSet;
use crate::executor::Observer;
use crate::metrics::{self, Evaluation};
use crate::optim::Optimizer;
use crate::step::{self, Clock, Laps, Profile};
use crate::summary::{stamped, Status, Summary};
use crate::{checkpoint, Store, TrainError};

/// What a run needs besides its config: where to compute, where to write, whom to tell, and
/// the flag that asks it to stop (Ctrl-C).
pub struct RunContext<'a> {
    pub device: Device,
    pub store: &'a Store,
    pub stop: &'a std::sync::atomic::AtomicBool,
    pub observer: &'a dyn Observer,
    /// Continue from the run's checkpoint when it has a usable one (false: start at step 0).
    pub resume: bool,
    /// Pause after this many updates (a search rung): the run ends `paused` with a checkpoint,
    /// and a later call continues it to an uninterrupted run's numbers. `None`: to the end.
    pub until: Option<usize>,
}

/// Trains `run` to its end (completed, solved, diverged or interrupted), writing
/// `config.yaml`, `metrics.csv` after every evaluation, optional `gradflow.csv`, and
/// `summary.json` last. Errors are returned; panics propagate (the executor isolates them).
pub fn train_run(run: &Run, ctx: &RunContext) -> Result<Summary, TrainError> {
    train_run_profiled(run, ctx, Clock::Wall).map(|(summary, _)| summary)
}

/// [`train_run`], also returning where the time went, measured on `clock` (for `rnnlab bench
/// --runner`). The summary's times are wall-clock whatever the clock.
pub fn train_run_profiled(
    run: &Run,
    ctx: &RunContext,
    clock: Clock,
) -> Result<(Summary, Profile), TrainError> {
    let mut trainer = Trainer::new(run, ctx, clock)?;
    let loop_start = clock.now();
    let mut laps = Laps::start(clock);
    while trainer.status.is_none() {
        trainer.step(&mut laps)?;
    }
    trainer.profile.loop_time = clock.now().saturating_sub(loop_start);
    trainer.finish()
}

/// Sums over the training steps since the last `train` row of metrics.csv.
#[derive(Debug, Default)]
pub(crate) struct Window {
    pub loss: f64,
    pub norm: f64,
    pub clipped: usize,
    pub steps: usize,
}

/// One run in progress: its model, optimizer and data, and what it has recorded so far.
/// (Its checkpoints are written and read in resume.rs.)
pub(crate) struct Trainer<'a> {
    pub(crate) run: &'a Run,
    pub(crate) ctx: &'a RunContext<'a>,
    clock: Clock,
    start: Instant,
    /// Training seconds of the run's earlier sessions (resumed runs).
    pub(crate) elapsed_before: f64,
    /// The steps it resumed from a checkpoint at.
    pub(crate) resumed_from: Vec<usize>,
    /// The step of the latest checkpoint written or resumed from.
    pub(crate) checkpointed: usize,
    task: Box<dyn Task>,
    pub(crate) vs: nn::VarStore,
    pub(crate) model: Model,
    pub(crate) opt: Optimizer,
    params: Vec<Tensor>,
    /// The fixed validation set, drawn once.
    valid: EvalSet,
    /// For stream tasks (a text in windows), the hidden state carried from one training
    /// window to the next, detached; `None` for tasks of independent examples.
    pub(crate) carry: Option<Vec<State>>,
    /// The task's metric columns after `loss`.
    columns: &'static [&'static str],
    pub(crate) rows: Vec<MetricsRow>,
    pub(crate) best: BTreeMap<String, f64>,
    pub(crate) gradflow: Vec<GradflowRow>,
    pub(crate) window: Window,
    /// Updates done.
    pub(crate) done: usize,
    pub(crate) steps_to_solve: Option<usize>,
    /// The validation loss above which an evaluation counts towards divergence
    /// (`stop.diverged` times the task's no-learning loss); `None` when the rule is off or the
    /// task has no loss baseline.
    pub(crate) diverge_above: Option<f64>,
    /// The latest consecutive evaluations whose validation loss was above it: (step, loss).
    pub(crate) above: Vec<(usize, f64)>,
    /// Why the run diverged, once it has.
    pub(crate) divergence: Option<Divergence>,
    /// How the run ended, once it has.
    pub(crate) status: Option<Status>,
    profile: Profile,
}

impl<'a> Trainer<'a> {
    /// Prepares the run's folder, task, model, optimizer and validation set.
    fn new(run: &'a Run, ctx: &'a RunContext<'a>, clock: Clock) -> Result<Self, TrainError> {
        let start = Instant::now();
        let began = clock.now();
        let cfg = &run.config;
        ctx.store.begin(run)?;
        let task =
            rnnlab_tasks::try_build(&cfg.task, cfg.seed).map_err(|source| TrainError::Task {
                id: run.id.clone(),
                source,
            })?;
        let vs = nn::VarStore::new(ctx.device);
        let model = Model::new(&vs.root(), &cfg.model, &task.shape(), cfg.seed);
        let params = vs.trainable_variables();
        let opt = Optimizer::new(&params, &cfg.train);
        let valid = EvalSet::new(task.as_ref(), Split::Valid, run, ctx.device);
        let columns = &task.metrics()[1..];
        let task_streams = task.stream_batches(Split::Train, cfg.train.batch).is_some();
        crate::evalset::fits(task.as_ref(), cfg.train.batch).map_err(|source| {
            TrainError::Task {
                id: run.id.clone(),
                source,
            }
        })?;
        let diverge_above = cfg.stop.diverged.threshold(task.no_learning_loss());
        let profile = Profile {
            setup: clock.now().saturating_sub(began),
            ..Profile::default()
        };
        let mut trainer = Self {
            run,
            ctx,
            clock,
            start,
            elapsed_before: 0.0,
            resumed_from: Vec::new(),
            checkpointed: 0,
            task,
            vs,
            model,
            opt,
            params,
            valid,
            carry: task_streams.then(Vec::new),
            columns,
            rows: Vec::new(),
            best: BTreeMap::new(),
            gradflow: Vec::new(),
            window: Window::default(),
            done: 0,
            steps_to_solve: None,
            diverge_above,
            above: Vec::new(),
            divergence: None,
            status: None,
            profile,
        };
        if ctx.resume {
            trainer.resume()?;
        } else {
            // Asked to start over (`--rerun all`): an old checkpoint must not come back later.
            checkpoint::remove(&ctx.store.run(&run.id))?;
        }
        Ok(trainer)
    }

    /// Training seconds so far, earlier sessions included.
    pub(crate) fn elapsed(&self) -> f64 {
        self.elapsed_before + self.start.elapsed().as_secs_f64()
    }

    /// One update (and the evaluation that follows it when due). Sets `status` when the run
    /// ends: out of steps, interrupted, diverged or solved.
    // `is_multiple_of` is newer than the workspace's rust-version (1.85).
    #[allow(clippy::manual_is_multiple_of)]
    fn step(&mut self, laps: &mut Laps) -> Result<(), TrainError> {
        let tc = &self.run.config.train;
        if self.done == tc.steps {
            self.status = Some(Status::Completed);
            return Ok(());
        }
        if self.ctx.stop.load(Ordering::Relaxed) {
            self.status = Some(Status::Interrupted);
            return Ok(());
        }
        if self.ctx.until.is_some_and(|u| self.done >= u) {
            self.status = Some(Status::Paused);
            return Ok(());
        }
        let step = self.done;
        let phases = &mut self.profile.phases;
        let _ = laps.lap();
        let arrays = self.task.batch(Split::Train, step as u64, tc.batch);
        phases.data += laps.lap();
        let batch = DeviceBatch::for_training(arrays, self.ctx.device);
        phases.tensors += laps.lap();
        if tc.probe_every.is_some_and(|k| step % k == 0) {
            let flow = probe::measure(&self.model, &batch.x, batch.lengths.as_ref(), |y| {
                metrics::loss(y, &batch)
            });
            metrics::push_gradflow(&mut self.gradflow, step, &flow);
            phases.probe += laps.lap();
        }
        // A stream task's training windows go round the text: each epoch starts from zeros.
        let windows = self.task.stream_batches(Split::Train, tc.batch);
        if let (Some(carry), Some(n)) = (&mut self.carry, windows) {
            if step as u64 % n == 0 {
                carry.clear();
            }
        }
        let (loss, norm) = step::gradients(
            &self.model,
            &mut self.opt,
            &self.params,
            &batch,
            self.carry.as_mut(),
            phases,
            laps,
        );
        self.done = step + 1;
        if !loss.is_finite() || !norm.is_finite() {
            let (what, value) = if loss.is_finite() {
                ("gradient norm", norm)
            } else {
                ("training loss", loss)
            };
            self.diverge(
                DivergenceRule::NonFinite,
                format!("non-finite {what} ({value}) at step {}", self.done),
            );
            return Ok(());
        }
        let clipped = step::update(&mut self.opt, &self.params, tc, step, norm, phases, laps);
        let w = &mut self.window;
        (w.loss, w.norm, w.steps) = (w.loss + loss, w.norm + norm, w.steps + 1);
        w.clipped += usize::from(clipped);
        if self.done % tc.eval_every == 0 || self.done == tc.steps {
            self.evaluate()?;
        }
        if self.status.is_none()
            && self.done % tc.checkpoint_interval() == 0
            && self.done < tc.steps
        {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Records the training window and a validation evaluation, updates the best values,
    /// rewrites metrics.csv, and stops the run when it diverges (`stop.diverged`) or meets
    /// `stop.solved`.
    fn evaluate(&mut self) -> Result<(), TrainError> {
        let eval_start = self.clock.now();
        let w = std::mem::take(&mut self.window);
        let steps = w.steps as f64;
        self.rows.push(MetricsRow {
            step: self.done,
            split: "train",
            loss: w.loss / steps,
            metrics: vec![None; self.columns.len()],
            grad_norm: Some(w.norm / steps),
            clip_rate: Some(w.clipped as f64 / steps),
            elapsed_s: self.elapsed(),
        });
        let mut means = self
            .valid
            .evaluate(&self.model, Evaluation::default())
            .means();
        metrics::derive(self.task.metrics(), &mut means);
        self.rows.push(self.row("valid", &means));
        for (k, v) in &means {
            let better = |old: f64| {
                if metrics::higher_is_better(k) {
                    *v > old
                } else {
                    *v < old
                }
            };
            if self.best.get(k).is_none_or(|old| better(*old)) {
                self.best.insert(k.clone(), *v);
            }
        }
        let (run, tc) = (self.run, &self.run.config.train);
        self.ctx
            .store
            .write_metrics(&run.id, self.columns, &self.rows)?;
        self.ctx
            .observer
            .evaluated(run, self.done, tc.steps, &means);
        self.profile.eval += self.clock.now().saturating_sub(eval_start);
        self.judge_valid_loss(means.get("loss").copied().unwrap_or(f64::NAN));
        if self.status.is_some() {
            return Ok(());
        }
        if let Some(c) = &run.config.stop.solved {
            if means.get(&c.metric).is_some_and(|v| c.met(*v)) {
                self.steps_to_solve = Some(self.done);
                self.status = Some(Status::Solved);
            }
        }
        Ok(())
    }

    /// The final test evaluation (completed and solved runs), the run's remaining files, and
    /// its summary, written last.
    fn finish(mut self) -> Result<(Summary, Profile), TrainError> {
        let finish_start = self.clock.now();
        let status = self.status.unwrap_or(Status::Completed);
        let (run, store) = (self.run, self.ctx.store);
        let files = store.run(&run.id);
        self.profile.steps = self.done;
        // An interrupted or paused run continues later from here.
        let unfinished = !status.is_final();
        if unfinished && self.done > self.checkpointed {
            self.checkpoint()?;
        }
        let wall_s = self.elapsed();
        let mut final_ = BTreeMap::new();
        if matches!(status, Status::Completed | Status::Solved) {
            let test = EvalSet::new(self.task.as_ref(), Split::Test, run, self.ctx.device);
            let e = test.evaluate(&self.model, Evaluation::with_breakdown());
            final_ = e.means();
            metrics::derive(self.task.metrics(), &mut final_);
            let breakdown = e.breakdown_rows();
            if !breakdown.is_empty() {
                rnnlab_results::files::write_breakdown(&files.breakdown(), &breakdown)?;
            }
            self.rows.push(self.row("test", &final_));
        }
        store.write_metrics(&run.id, self.columns, &self.rows)?;
        if !self.gradflow.is_empty() {
            rnnlab_results::files::write_gradflow(&files.gradflow(), &self.gradflow)?;
        }
        if run.config.train.save && !unfinished {
            write_atomic_with(&files.model(), |tmp| self.vs.save(tmp))?;
        }
        let mut summary = stamped(&run.id, status, self.ctx.device);
        summary.steps = self.done;
        summary.final_ = final_;
        summary.best = std::mem::take(&mut self.best);
        summary.steps_to_solve = self.steps_to_solve;
        summary.divergence = self.divergence.take();
        summary.resumed_from = std::mem::take(&mut self.resumed_from);
        summary.params = self.model.parameters();
        summary.wall_s = wall_s;
        summary.steps_per_s = self.done as f64 / wall_s.max(1e-9);
        summary.baselines = self
            .task
            .baselines()
            .into_iter()
            .map(|b| Baseline {
                name: b.name.to_string(),
                metric: b.metric.to_string(),
                value: b.value,
            })
            .collect();
        store.write_summary(&summary)?;
        // After the summary: a run killed in between is finished and keeps a stale checkpoint,
        // rather than unfinished without one. A finished run's checkpoint has no use (a longer
        // run is another config, so another id); its weights are model.safetensors.
        if !unfinished {
            checkpoint::remove(&files)?;
        }
        self.profile.finish = self.clock.now().saturating_sub(finish_start);
        Ok((summary, self.profile))
    }

    /// A metrics.csv row of an evaluation's means.
    fn row(&self, split: &'static str, means: &BTreeMap<String, f64>) -> MetricsRow {
        MetricsRow {
            step: self.done,
            split,
            loss: means.get("loss").copied().unwrap_or(f64::NAN),
            metrics: self
                .columns
                .iter()
                .map(|c| means.get(*c).copied())
                .collect(),
            grad_norm: None,
            clip_rate: None,
            elapsed_s: self.elapsed(),
        }
    }
}
