//! The harness's own costs: generating data (next to the step that consumes it) and everything
//! the runner does around libtorch's forward, backward and update.
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use rnnlab_spec::{Cell, ModelConfig, TaskConfig};
use rnnlab_train::bench::{self, Spread, StepTime};
use rnnlab_train::{Clock, Profile, Store};
use tch::Device;

use super::{copy_task, train_config, Args, ClockArg};
use crate::table::Table;

/// Each long-dependency task at `--length` (default 1000) time steps, and the text task with
/// that window on tiny-shakespeare (when run from the repository root): the time to generate a
/// batch and to make its tensors, next to one training step of a one-layer LSTM
/// (`--hidden`, default 128) on a batch of that task.
pub fn data(args: &Args) -> anyhow::Result<Table> {
    let mut table = Table::new(
        &[
            "task",
            "generate ms",
            "tensors ms",
            "LSTM step ms",
            "data / step",
        ],
        &[
            "task",
            "length",
            "hidden",
            "batch",
            "generate_ms",
            "tensors_ms",
            "step_ms",
            "data_fraction",
        ],
    );
    for &steps in args.length.as_deref().unwrap_or(&[1000]) {
        let mut tasks = vec![
            ("copy", copy_task(steps)?),
            (
                "adding",
                TaskConfig::Adding(rnnlab_spec::AddingConfig { length: steps }),
            ),
            (
                "temporal_order",
                TaskConfig::TemporalOrder(rnnlab_spec::TemporalOrderConfig {
                    length: steps,
                    positions: 2,
                }),
            ),
        ];
        // The text task slices a corpus read once (bptt = the length), from the repository
        // root, where its path resolves.
        if Path::new(SHAKESPEARE).exists() {
            tasks.push(("text", text_task(steps)));
        }
        for &hidden in args.hidden.as_deref().unwrap_or(&[128]) {
            for (name, task) in &tasks {
                eprintln!("  {name} T={steps} (LSTM H={hidden})");
                let made = bench::time_data(task, args.batch, Device::Cpu, args.repeat)?;
                let model = ModelConfig {
                    cell: Cell::Lstm,
                    hidden,
                    ..Default::default()
                };
                let train = train_config(args.batch);
                let times =
                    bench::time_steps(&model, task, &train, Device::Cpu, args.warmup, args.repeat)
                        .with_context(|| format!("timing a step on {name}"))?;
                let generate = Spread::of(made.generate.iter().copied()).median;
                let tensors = Spread::of(made.tensors.iter().copied()).median;
                let step = Spread::of(times.iter().map(StepTime::total)).median;
                let fraction = (generate + tensors) / step;
                table.push(
                    vec![
                        format!("{name} T={steps} (LSTM H={hidden})"),
                        format!("{generate:.3}"),
                        format!("{tensors:.3}"),
                        format!("{step:.1}"),
                        format!("{:.2} %", 100.0 * fraction),
                    ],
                    vec![
                        name.to_string(),
                        steps.to_string(),
                        hidden.to_string(),
                        args.batch.to_string(),
                        format!("{generate:.4}"),
                        format!("{tensors:.4}"),
                        format!("{step:.4}"),
                        format!("{fraction:.5}"),
                    ],
                );
            }
        }
    }
    Ok(table)
}

const SHAKESPEARE: &str = "experiments/data/tinyshakespeare/input.txt.gz";

fn text_task(bptt: usize) -> TaskConfig {
    TaskConfig::Text(rnnlab_spec::TextConfig {
        corpus: rnnlab_spec::CorpusConfig {
            train: SHAKESPEARE.into(),
            ..Default::default()
        },
        bptt,
        ..Default::default()
    })
}

/// Trains the sweep's first run as `rnnlab run` does (in a temporary results folder) and breaks
/// its time down. The overhead is everything per step except libtorch's forward (with the
/// loss), backward and update: data, tensors, reading the loss, the norm, clipping and the
/// loop's bookkeeping. Periodic evaluation is shown apart and not counted in the step.
/// None when the sweep is invalid (its errors are printed).
pub fn runner(args: &Args, sweep: &Path) -> anyhow::Result<Option<Table>> {
    let Some(expanded) = super::super::validate::load(sweep) else {
        return Ok(None);
    };
    let run = expanded
        .runs
        .first()
        .context("the sweep has no runs")?
        .clone();
    let dir = std::env::temp_dir().join(format!("rnnlab-bench-{}", std::process::id()));
    let store = Store::open(&dir, "")?;
    eprintln!("  training run {} of {}", run.id, sweep.display());
    let clock = match args.clock {
        ClockArg::Wall => Clock::Wall,
        ClockArg::Cpu => Clock::Cpu,
    };
    let outcome = bench::profile_run(&run, &store, Device::Cpu, clock);
    let _ = std::fs::remove_dir_all(&dir);
    let (summary, profile) = outcome?;
    let cfg = &run.config;
    eprintln!("  timing its step alone");
    let pure = bench::time_steps(
        &cfg.model,
        &cfg.task,
        &cfg.train,
        Device::Cpu,
        args.warmup,
        args.repeat.max(100),
    )?;
    let pure = match clock {
        Clock::Wall => Spread::of(pure.iter().map(StepTime::total)).median,
        Clock::Cpu => Spread::of(pure.iter().filter_map(|t| t.cpu)).median,
    };
    let mut table = profile_table(&profile, summary.steps_per_s, pure, summary.status.name());
    let clock = match clock {
        Clock::Wall => "wall clock",
        Clock::Cpu => "thread CPU clock",
    };
    table.push(
        vec![
            format!("(phases measured on the {clock})"),
            String::new(),
            String::new(),
            String::new(),
        ],
        vec![
            format!("clock: {clock}"),
            String::new(),
            String::new(),
            String::new(),
        ],
    );
    Ok(Some(table))
}

fn profile_table(p: &Profile, steps_per_s: f64, pure_ms: f64, status: &str) -> Table {
    let n = p.steps.max(1) as f64;
    let ph = &p.phases;
    let overhead = ph.harness() + p.unaccounted();
    let step = ph.compute() + overhead;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let per_step = |d: Duration| ms(d) / n;
    let share = |d: Duration| 100.0 * d.as_secs_f64() / step.as_secs_f64();
    let mut table = Table::new(
        &["phase", "total ms", "ms/step", "% of step"],
        &["phase", "total_ms", "ms_per_step", "percent_of_step"],
    );
    let mut row = |name: &str, d: Duration, pct: bool| {
        let pct_md = if pct {
            format!("{:.2} %", share(d))
        } else {
            String::new()
        };
        let pct_csv = if pct {
            format!("{:.4}", share(d))
        } else {
            String::new()
        };
        table.push(
            vec![
                name.to_string(),
                format!("{:.1}", ms(d)),
                format!("{:.4}", per_step(d)),
                pct_md,
            ],
            vec![
                name.to_string(),
                format!("{:.3}", ms(d)),
                format!("{:.5}", per_step(d)),
                pct_csv,
            ],
        );
    };
    row("forward + loss (libtorch)", ph.forward, true);
    row("zero_grad + backward (libtorch)", ph.backward, true);
    row("set_lr + optimizer step (libtorch)", ph.update, true);
    row("batch generation", ph.data, true);
    row("tensor creation", ph.tensors, true);
    row("loss read-back", ph.sync, true);
    row("global norm", ph.norm, true);
    row("clipping", ph.clip, true);
    row("loop bookkeeping", p.unaccounted(), true);
    row("step = all of the above", step, true);
    row("runner overhead (data … bookkeeping)", overhead, true);
    row("gradient-flow probe (not in the step)", ph.probe, false);
    row("periodic evaluation (not in the step)", p.eval, false);
    row("setup before the loop", p.setup, false);
    row("test evaluation and files after it", p.finish, false);
    let mut note = |name: String, value: f64| {
        table.push(
            vec![
                name.clone(),
                String::new(),
                format!("{value:.4}"),
                String::new(),
            ],
            vec![name, String::new(), format!("{value:.5}"), String::new()],
        )
    };
    note(
        format!(
            "{status} after {} steps; 1 / steps_per_s of summary.json",
            p.steps
        ),
        1e3 / steps_per_s,
    );
    note(
        "the same step timed alone on one batch (bench, median, same clock)".into(),
        pure_ms,
    );
    table
}
