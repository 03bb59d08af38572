//! Training one run.
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rnnlab_models::{device, probe, Model, LIBTORCH_VERSION};
use rnnlab_spec::Run;
use rnnlab_tasks::{Split, Task};
use tch::{nn, Device};

use crate::data::DeviceBatch;
use crate::executor::Observer;
use crate::metrics::{self, Evaluation, MetricsRow};
use crate::step::{self, Clock, Laps, Profile};
use crate::summary::{BaselineScore, Status, Summary};
use crate::{optim, Store, TrainError};

/// What a run needs besides its config: where to compute, where to write, whom to tell, and
/// the flag that asks it to stop (Ctrl-C).
pub struct RunContext<'a> {
    pub device: Device,
    pub store: &'a Store,
    pub stop: &'a AtomicBool,
    pub observer: &'a dyn Observer,
}

/// A fixed evaluation set: `size` examples of `split`, drawn once, kept on the device.
fn eval_set(
    task: &dyn Task,
    split: Split,
    size: usize,
    batch: usize,
    device: Device,
) -> Vec<DeviceBatch> {
    (0..size.div_ceil(batch))
        .map(|i| {
            let n = batch.min(size - i * batch);
            DeviceBatch::new(task.batch(split, i as u64, n), task, device)
        })
        .collect()
}

fn evaluate(model: &Model, set: &[DeviceBatch], mut e: Evaluation) -> Evaluation {
    let _guard = tch::no_grad_guard();
    for b in set {
        e.add(&model.forward(&b.x, b.lengths.as_ref(), false), b);
    }
    e
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
    let start = Instant::now();
    let began = clock.now();
    let mut profile = Profile::default();
    let cfg = &run.config;
    let tc = &cfg.train;
    ctx.store.begin(run)?;
    let task = rnnlab_tasks::build(&cfg.task, cfg.seed);
    let vs = nn::VarStore::new(ctx.device);
    let model = Model::new(&vs.root(), &cfg.model, &task.shape(), cfg.seed);
    let mut opt = optim::build(&vs, tc).map_err(|e| TrainError::Run {
        id: run.id.clone(),
        message: e.to_string(),
    })?;
    let params = vs.trainable_variables();

    let valid = eval_set(
        task.as_ref(),
        Split::Valid,
        tc.eval_size,
        tc.batch,
        ctx.device,
    );
    // The task's metric columns after `loss`.
    let columns = &task.metrics()[1..];
    let mut rows: Vec<MetricsRow> = Vec::new();
    let mut best: BTreeMap<String, f64> = BTreeMap::new();
    let mut gradflow = String::new();
    let (mut status, mut steps_to_solve, mut done) = (Status::Completed, None, 0);
    let (mut loss_sum, mut norm_sum, mut clipped, mut since) = (0.0, 0.0, 0usize, 0usize);
    profile.setup = clock.now().saturating_sub(began);

    let loop_start = clock.now();
    let mut laps = Laps::start(clock);
    let phases = &mut profile.phases;
    for step in 0..tc.steps {
        if ctx.stop.load(Ordering::Relaxed) {
            status = Status::Interrupted;
            break;
        }
        let _ = laps.lap();
        let arrays = task.batch(Split::Train, step as u64, tc.batch);
        phases.data += laps.lap();
        let batch = DeviceBatch::for_training(arrays, ctx.device);
        phases.tensors += laps.lap();
        if tc.probe_every.is_some_and(|k| step % k == 0) {
            let flow = probe::measure(&model, &batch.x, batch.lengths.as_ref(), |y| {
                metrics::loss(y, &batch)
            });
            append_gradflow(&mut gradflow, step, &flow);
            phases.probe += laps.lap();
        }
        let (loss, norm) = step::gradients(&model, &mut opt, &params, &batch, phases, &mut laps);
        done = step + 1;
        if !loss.is_finite() || !norm.is_finite() {
            status = Status::Diverged;
            break;
        }
        clipped += usize::from(step::update(
            &mut opt, &params, tc, step, norm, phases, &mut laps,
        ));
        (loss_sum, norm_sum, since) = (loss_sum + loss, norm_sum + norm, since + 1);

        if done % tc.eval_every == 0 || done == tc.steps {
            let eval_start = clock.now();
            let elapsed_s = start.elapsed().as_secs_f64();
            rows.push(MetricsRow {
                step: done,
                split: "train",
                loss: loss_sum / since as f64,
                metrics: vec![None; columns.len()],
                grad_norm: Some(norm_sum / since as f64),
                clip_rate: Some(clipped as f64 / since as f64),
                elapsed_s,
            });
            (loss_sum, norm_sum, clipped, since) = (0.0, 0.0, 0, 0);
            let means = evaluate(&model, &valid, Evaluation::default()).means();
            rows.push(row(
                done,
                "valid",
                &means,
                columns,
                start.elapsed().as_secs_f64(),
            ));
            for (k, v) in &means {
                let better = |old: f64| {
                    if metrics::higher_is_better(k) {
                        *v > old
                    } else {
                        *v < old
                    }
                };
                if best.get(k).is_none_or(|old| better(*old)) {
                    best.insert(k.clone(), *v);
                }
            }
            ctx.store.write_metrics(&run.id, columns, &rows)?;
            ctx.observer.evaluated(run, done, tc.steps, &means);
            profile.eval += clock.now().saturating_sub(eval_start);
            if let Some(c) = &cfg.stop.solved {
                if means.get(&c.metric).is_some_and(|v| c.met(*v)) {
                    steps_to_solve = Some(done);
                    status = Status::Solved;
                    break;
                }
            }
        }
    }
    profile.loop_time = clock.now().saturating_sub(loop_start);
    profile.steps = done;
    let finish_start = clock.now();
    let wall_s = start.elapsed().as_secs_f64();
    let mut final_ = BTreeMap::new();
    if matches!(status, Status::Completed | Status::Solved) {
        let test = eval_set(
            task.as_ref(),
            Split::Test,
            tc.eval_size,
            tc.batch,
            ctx.device,
        );
        let e = evaluate(&model, &test, Evaluation::with_breakdown());
        final_ = e.means();
        if let Some(csv) = e.breakdown_csv() {
            ctx.store
                .write_file(&run.id, "breakdown.csv", csv.as_bytes())?;
        }
        rows.push(row(
            done,
            "test",
            &final_,
            columns,
            start.elapsed().as_secs_f64(),
        ));
    }
    ctx.store.write_metrics(&run.id, columns, &rows)?;
    if !gradflow.is_empty() {
        ctx.store.write_file(
            &run.id,
            "gradflow.csv",
            format!("step,layer,direction,t,distance,norm\n{gradflow}").as_bytes(),
        )?;
    }
    if tc.save && status != Status::Interrupted {
        let path = ctx.store.run_dir(&run.id).join("model.safetensors");
        // tch picks the format from the extension: keep `.safetensors` last.
        let tmp = path.with_extension("tmp.safetensors");
        vs.save(&tmp).map_err(|e| TrainError::Run {
            id: run.id.clone(),
            message: format!("saving the model: {e}"),
        })?;
        std::fs::rename(&tmp, &path).map_err(|source| TrainError::Write { path, source })?;
    }
    let summary = Summary {
        id: run.id.clone(),
        status,
        steps: done,
        final_,
        best,
        steps_to_solve,
        params: model.parameters(),
        wall_s,
        steps_per_s: done as f64 / wall_s.max(1e-9),
        baselines: task
            .baselines()
            .into_iter()
            .map(|b| {
                (
                    b.name.to_string(),
                    BaselineScore {
                        metric: b.metric.to_string(),
                        value: b.value,
                    },
                )
            })
            .collect(),
        error: None,
        device: device::name(ctx.device),
        rnnlab: env!("CARGO_PKG_VERSION").to_string(),
        libtorch: LIBTORCH_VERSION.to_string(),
        cpu: crate::summary::cpu_name(),
    };
    ctx.store.write_summary(&summary)?;
    profile.finish = clock.now().saturating_sub(finish_start);
    Ok((summary, profile))
}

fn row(
    step: usize,
    split: &'static str,
    means: &BTreeMap<String, f64>,
    columns: &[&str],
    elapsed_s: f64,
) -> MetricsRow {
    MetricsRow {
        step,
        split,
        loss: means.get("loss").copied().unwrap_or(f64::NAN),
        metrics: columns.iter().map(|c| means.get(*c).copied()).collect(),
        grad_norm: None,
        clip_rate: None,
        elapsed_s,
    }
}

fn append_gradflow(out: &mut String, step: usize, flow: &probe::GradientFlow) {
    use std::fmt::Write;
    for (l, layer) in flow.norms.iter().enumerate() {
        for (d, dir) in layer.iter().enumerate() {
            // Distance: steps between h_t and the end of the sequence, where the loss is read
            // (for the backward direction, from the start).
            let last = dir.len().saturating_sub(1);
            for (t, n) in dir.iter().enumerate() {
                let distance = if d == 0 { last - t } else { t };
                let _ = writeln!(out, "{step},{l},{d},{t},{distance},{n:e}");
            }
        }
    }
}
