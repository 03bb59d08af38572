//! `rnnlab bench`: how long a training step takes and where the time goes.
//!
//! Four sections, each a table: the step grid (cells × hidden × length), the LSTM gate ablations
//! against the fused LSTM, the cost of generating data next to a step, and the runner's own
//! overhead on a whole run of a sweep. Everything runs on the CPU with `--threads` intra-op
//! threads (default 1) so that figures are comparable between machines and with
//! `scripts/bench/pytorch_step.py`, which prints the step grid for PyTorch eager. The grid
//! shows each step on the wall clock and on the thread's CPU clock, because the machines this
//! runs on are often shared. docs/benchmarks.md records the figures and how to reproduce them.
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use rnnlab_spec::{Cell, Clip, ClipKind, CopyConfig, ModelConfig, TaskConfig, TrainConfig};
use rnnlab_train::bench::{self, Spread, StepTime};
use tch::Device;

use crate::table::{Format, Table};

mod overhead;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Cells of the step grid, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "rnn_tanh,lstm,gru", value_parser = parse_cell)]
    cells: Vec<Cell>,
    /// Hidden sizes. Default: 64,256 for the grid, 64 for --ablations, 128 for --data.
    #[arg(long, value_delimiter = ',')]
    hidden: Option<Vec<usize>>,
    /// Sequence lengths (time steps of the whole input). Default: 100,500 for the grid, 100 for
    /// --ablations, 1000 for --data.
    #[arg(long, value_delimiter = ',')]
    length: Option<Vec<usize>>,
    /// Sequences per batch.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Timed steps (or batches) per configuration; the table shows their median and range.
    #[arg(long, default_value_t = 10)]
    repeat: usize,
    /// Untimed steps before the timed ones.
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// libtorch intra-op threads.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// markdown or csv.
    #[arg(long, value_enum, default_value = "markdown")]
    format: Format,
    /// Time the LSTM gate ablations (unrolled cells) against the fused `lstm` instead of the grid.
    #[arg(long)]
    ablations: bool,
    /// Time batch generation against a one-layer LSTM step on the same batch instead of the
    /// grid.
    #[arg(long)]
    data: bool,
    /// Train the first run of this sweep as `rnnlab run` does (into a temporary folder) and show
    /// where its time went, instead of the grid.
    #[arg(long, value_name = "SWEEP")]
    runner: Option<PathBuf>,
    /// The clock of the --runner breakdown: `cpu` (this thread's CPU time, which leaves out the
    /// time other processes held the core) or `wall`.
    #[arg(long, value_enum, default_value = "cpu")]
    clock: ClockArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ClockArg {
    Wall,
    Cpu,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    if args.repeat == 0 || args.batch == 0 || args.threads == 0 {
        bail!("--repeat, --batch and --threads must be at least 1");
    }
    // libtorch's intra-op pool is process-wide: set once, before any tensor work.
    tch::set_num_threads(args.threads as i32);
    eprintln!(
        "rnnlab bench: cpu, {} intra-op thread(s), batch {}, {} warm-up + {} timed steps",
        args.threads, args.batch, args.warmup, args.repeat
    );
    // Sections print as they finish; markdown tables are separated by a blank line.
    let mut printed = 0;
    let mut emit = |table: Table| {
        if printed > 0 && args.format == Format::Markdown {
            println!();
        }
        print!("{}", table.render(args.format));
        printed += 1;
    };
    if !(args.ablations || args.data || args.runner.is_some()) {
        emit(grid(&args)?);
    }
    if args.ablations {
        emit(ablations(&args)?);
    }
    if args.data {
        emit(overhead::data(&args)?);
    }
    if let Some(sweep) = &args.runner {
        let Some(table) = overhead::runner(&args, sweep)? else {
            return Ok(2);
        };
        emit(table);
    }
    Ok(0)
}

fn parse_cell(s: &str) -> Result<Cell, String> {
    serde_yaml::from_str(s).map_err(|_| {
        format!("unknown cell `{s}`: rnn_tanh, rnn_relu, lstm, gru, lstm_peephole, lstm_no_forget, lstm_cifg or lstm_no_output")
    })
}

fn cell_name(cell: Cell) -> String {
    serde_yaml::to_string(&cell)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The step grid's input: the copy task laid out to exactly `steps` time steps (10 recalled
/// symbols, or fewer for short inputs), i.e. one-hot inputs over 10 channels and a 9-way
/// classification at every step.
fn copy_task(steps: usize) -> anyhow::Result<TaskConfig> {
    if steps < 3 {
        bail!("--length {steps}: the copy task needs at least 3 steps");
    }
    let recall = (steps / 4).clamp(1, 10);
    Ok(TaskConfig::Copy(CopyConfig {
        length: steps - 2 * recall,
        recall,
        ..Default::default()
    }))
}

/// The training setup of every timed step: Adam, lr 1e-3, global-norm clipping at 1.0 (so the
/// norm and the clip are always part of the step).
fn train_config(batch: usize) -> TrainConfig {
    TrainConfig {
        batch,
        clip: Clip {
            kind: ClipKind::Norm,
            max: 1.0,
        },
        ..Default::default()
    }
}

const STEP_TITLES: [&str; 8] = [
    "config",
    "ms/step",
    "min–max",
    "on-CPU ms",
    "forward ms",
    "backward ms",
    "optimizer+clip ms",
    "GFLOP/s",
];
const STEP_NAMES: [&str; 12] = [
    "cell",
    "hidden",
    "length",
    "batch",
    "ms_step",
    "ms_min",
    "ms_max",
    "forward_ms",
    "backward_ms",
    "optimizer_ms",
    "gflops",
    "cpu_ms",
];

/// Times one configuration and returns its markdown and CSV cells, and the median step in ms
/// (on the CPU clock where there is one, else the wall clock).
fn step_row(
    model: &ModelConfig,
    steps: usize,
    args: &Args,
) -> anyhow::Result<(Vec<String>, Vec<String>, f64)> {
    let task = copy_task(steps)?;
    let name = format!("{} H={} T={steps}", cell_name(model.cell), model.hidden);
    eprintln!("  {name}");
    let times = bench::time_steps(
        model,
        &task,
        &train_config(args.batch),
        Device::Cpu,
        args.warmup,
        args.repeat,
    )
    .with_context(|| format!("timing {name}"))?;
    let phase = |f: fn(&StepTime) -> Duration| Spread::of(times.iter().map(f)).median;
    let total = Spread::of(times.iter().map(StepTime::total));
    let (fwd, bwd, opt) = (
        phase(|t| t.forward),
        phase(|t| t.backward),
        phase(|t| t.optimizer),
    );
    let cpu = Spread::of(times.iter().filter_map(|t| t.cpu)).median;
    let gflops = bench::recurrent_flops(model, 10, args.batch, steps) / total.median / 1e6;
    let md = vec![
        name,
        format!("{:.2}", total.median),
        format!("{:.2}–{:.2}", total.min, total.max),
        format!("{cpu:.2}"),
        format!("{fwd:.2}"),
        format!("{bwd:.2}"),
        format!("{opt:.3}"),
        format!("{gflops:.1}"),
    ];
    let csv = vec![
        cell_name(model.cell),
        model.hidden.to_string(),
        steps.to_string(),
        args.batch.to_string(),
        format!("{:.4}", total.median),
        format!("{:.4}", total.min),
        format!("{:.4}", total.max),
        format!("{fwd:.4}"),
        format!("{bwd:.4}"),
        format!("{opt:.4}"),
        format!("{gflops:.3}"),
        format!("{cpu:.4}"),
    ];
    let ms = if cpu.is_nan() { total.median } else { cpu };
    Ok((md, csv, ms))
}

fn step_table(extra: Option<(&'static str, &'static str)>) -> Table {
    let (mut titles, mut names) = (STEP_TITLES.to_vec(), STEP_NAMES.to_vec());
    if let Some((title, name)) = extra {
        titles.push(title);
        names.push(name);
    }
    Table::new(&titles, &names)
}

fn grid(args: &Args) -> anyhow::Result<Table> {
    let mut table = step_table(None);
    for &cell in &args.cells {
        for &hidden in args.hidden.as_deref().unwrap_or(&[64, 256]) {
            for &steps in args.length.as_deref().unwrap_or(&[100, 500]) {
                let model = ModelConfig {
                    cell,
                    hidden,
                    ..Default::default()
                };
                let (md, csv, _) = step_row(&model, steps, args)?;
                table.push(md, csv);
            }
        }
    }
    Ok(table)
}

/// The fused LSTM first, then each gate ablation (unrolled), with its time relative to it (on
/// the CPU clock, so that a busy spell during one row does not decide the ratio).
fn ablations(args: &Args) -> anyhow::Result<Table> {
    let mut table = step_table(Some(("× lstm", "vs_lstm")));
    let cells = [
        Cell::Lstm,
        Cell::LstmPeephole,
        Cell::LstmNoForget,
        Cell::LstmCifg,
        Cell::LstmNoOutput,
    ];
    for &hidden in args.hidden.as_deref().unwrap_or(&[64]) {
        for &steps in args.length.as_deref().unwrap_or(&[100]) {
            let mut fused = f64::NAN;
            for cell in cells {
                let model = ModelConfig {
                    cell,
                    hidden,
                    ..Default::default()
                };
                let (mut md, mut csv, ms) = step_row(&model, steps, args)?;
                if cell == Cell::Lstm {
                    fused = ms;
                }
                md.push(format!("{:.2}", ms / fused));
                csv.push(format!("{:.3}", ms / fused));
                table.push(md, csv);
            }
        }
    }
    Ok(table)
}
