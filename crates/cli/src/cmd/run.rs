use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use rnnlab_models::DeviceChoice;
use rnnlab_spec::Expanded;
use rnnlab_train::{
    execute, execute_search, ExecuteOptions, Rerun, RunRecord, SearchState, Shard, Status, Store,
};

use crate::progress::Progress;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sweep file.
    file: PathBuf,
    /// Folder that holds one results folder per sweep.
    #[arg(long, default_value = "results")]
    results: PathBuf,
    /// Runs trained at once. Default: the CPUs this process may use (SLURM_CPUS_PER_TASK, the
    /// cgroup CPU quota, the affinity mask; the smallest) divided by --threads.
    #[arg(long)]
    jobs: Option<usize>,
    /// libtorch intra-op threads per run. Default: 1 when several runs train at once, else all
    /// the CPUs this process may use.
    #[arg(long)]
    threads: Option<usize>,
    /// cpu, cuda or auto (CUDA when libtorch sees a GPU).
    #[arg(long, default_value = "auto")]
    device: DeviceChoice,
    /// Run finished runs again: `failed` ones, `stale` ones (made by another build: rnnlab
    /// version, git commit or libtorch) or `all`.
    #[arg(long, value_parser = ["failed", "stale", "all"])]
    rerun: Option<String>,
    /// Run only shard K of N (1-based), e.g. 2/4. SLURM job arrays and Kubernetes Indexed Jobs
    /// are detected from the environment.
    #[arg(long)]
    shard: Option<String>,
    /// The shard count for a Kubernetes Indexed Job (its `completions`).
    #[arg(long)]
    shards: Option<usize>,
    /// Print the runs (id, varying parameters and estimated cost) without running them.
    #[arg(long)]
    dry_run: bool,
    /// Refuse a sweep of more runs than this (variants × grid levels × seeds, counted before
    /// expanding).
    #[arg(long, default_value_t = rnnlab_spec::Limits::default().max_runs)]
    max_runs: usize,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let limits = rnnlab_spec::Limits {
        max_runs: args.max_runs,
        ..Default::default()
    };
    let Some(expanded) = super::validate::load_within(&args.file, &limits) else {
        return Ok(2);
    };
    if args.dry_run {
        super::validate::dry_run(&expanded, args.jobs);
        return Ok(0);
    }
    // Its eval sets are scored after training: a missing file must stop the sweep now.
    let missing = rnnlab_spec::evalset::missing_files(&expanded.sweep);
    if !missing.is_empty() {
        for m in &missing {
            eprintln!("error: {}: {m}", args.file.display());
        }
        return Ok(2);
    }
    let Expanded {
        sweep,
        runs,
        search,
        ..
    } = expanded;
    let shard = match &args.shard {
        Some(text) => Shard::parse(text)?,
        None => Shard::from_env(|k| std::env::var(k).ok(), args.shards)?.unwrap_or(Shard::ALL),
    };
    let device = args.device.resolve().map_err(anyhow::Error::msg)?;
    // The CPUs this process may use (SLURM's request, the cgroup quota, the affinity mask),
    // not the node's: see crate::allocation and docs/cluster.md.
    let allocation = crate::allocation::detect();
    let cores = allocation.cpus;
    let mine = (0..runs.len()).filter(|i| shard.owns(*i)).count();
    let (jobs, threads) = match (args.jobs, args.threads) {
        (Some(j), Some(t)) => (j, t),
        (Some(j), None) => (j, (cores / j.max(1)).max(1)),
        (None, Some(t)) => ((cores / t.max(1)).max(1), t),
        (None, None) if device != tch::Device::Cpu => (1, cores),
        (None, None) => {
            let j = mine.clamp(1, cores);
            (j, (cores / j).max(1))
        }
    };
    // Each run fits alone (load_within refused the others); `jobs` of the largest together
    // may not, and a failed allocation aborts the whole process, every run in it.
    let jobs = match super::validate::jobs_that_fit(&runs, jobs) {
        Some((fit, why)) => {
            eprintln!("warning: {}: {why}", args.file.display());
            fit
        }
        None => jobs,
    };
    // libtorch's intra-op pool is process-wide: set once, before any run starts.
    tch::set_num_threads(threads as i32);
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!(
                "\ninterrupted: finishing the current step of each run (Ctrl-C again to quit now)"
            );
        })
        .context("installing the Ctrl-C / SIGTERM handler")?;
    }
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let store = Store::open(&args.results.join(&sweep.name), &text)?;
    eprintln!("{}: {allocation}", sweep.name);
    eprintln!(
        "{}: {} runs ({} in this shard), {jobs} at a time, {threads} thread(s) each, on {}",
        sweep.name,
        runs.len(),
        mine,
        rnnlab_models::device::name(device)
    );
    let options = ExecuteOptions {
        jobs,
        device,
        rerun: match args.rerun.as_deref() {
            Some("failed") => Rerun::Failed,
            Some("all") => Rerun::All,
            Some("stale") => Rerun::Stale,
            _ => Rerun::None,
        },
        shard,
        stop: stop.clone(),
    };
    if let Some(plan) = &search {
        eprintln!("{plan}");
    }
    let progress = Progress::new(mine);
    let (records, waiting) = match &search {
        None => (execute(&store, &runs, &options, &progress)?, None),
        Some(plan) => {
            let outcome = execute_search(&store, plan, &options, &progress)?;
            for note in &outcome.notes {
                eprintln!("warning: {note}");
            }
            let waiting = match outcome.state {
                SearchState::Waiting {
                    rung,
                    step,
                    missing,
                } => Some(format!(
                    "{}: search rung {} (step {step}) waits for {missing} run(s) that other \
                     shards train; this shard's part is done: submit it again once they are \
                     (or run the sweep unsharded) to continue",
                    sweep.name,
                    rung + 1
                )),
                _ => None,
            };
            (latest(outcome.records), waiting)
        }
    };
    progress.finish();
    print_table(&records);
    if let Some(message) = &waiting {
        eprintln!("{message}");
    }
    // Scoring errors do not hide the summary: they are reported and fail the command.
    let mut scoring_failed = false;
    if !stop.load(Ordering::SeqCst) {
        // A search's confirmation runs are not among `runs` (its trials are): score every run
        // folder there.
        let only = search
            .is_none()
            .then(|| runs.iter().map(|r| r.id.clone()).collect());
        if let Err(e) = score_eval_sets(&sweep, store.root(), device, only) {
            eprintln!("error: {e:#}");
            scoring_failed = true;
        }
    }
    match rnnlab_report::summary_table(store.root()) {
        Ok(table) => print!("\n{table}"),
        Err(e) => eprintln!("warning: no summary table: {e}"),
    }
    println!("results: {}", store.root().display());
    let failed = records
        .iter()
        .filter(|r| {
            r.summary
                .as_ref()
                .is_some_and(|s| s.status == Status::Failed)
        })
        .count();
    if stop.load(Ordering::SeqCst) {
        eprintln!("interrupted: run the same command again to finish the sweep");
        return Ok(130);
    }
    Ok(u8::from(failed > 0 || scoring_failed))
}

/// Scores the finished runs on the sweep's `eval:` sets (docs/eval.md), those not scored yet
/// or trained again since, so that its claims on `eval.SET` see every run.
fn score_eval_sets(
    sweep: &rnnlab_spec::Sweep,
    root: &std::path::Path,
    device: tch::Device,
    only: Option<std::collections::HashSet<String>>,
) -> anyhow::Result<()> {
    let layout = rnnlab_results::Layout::new(root);
    let how = super::eval::Scoring {
        unk: rnnlab_tasks::Unk::Error,
        batch: None,
        device,
        rescore: super::eval::Rescore::Missing,
        only,
    };
    for (name, files) in &sweep.eval {
        let out = layout.eval(name);
        let table = super::eval::score(&layout, name, files, &out, &how)
            .with_context(|| format!("scoring {} on its eval set `{name}`", sweep.name))?;
        print!("\n{table}");
    }
    Ok(())
}

/// Each run once, at its latest record (a search trains a trial in several stages), in the
/// order runs first appeared.
fn latest(records: Vec<RunRecord>) -> Vec<RunRecord> {
    let mut out: Vec<RunRecord> = Vec::new();
    for r in records {
        match out.iter_mut().find(|o| o.run.id == r.run.id) {
            Some(o) => *o = r,
            None => out.push(r),
        }
    }
    out
}

/// One line per run of this shard: status, id, parameters, final metrics and the task's
/// baselines. Runs that Ctrl-C kept from starting are listed as `not run`, so the table shows
/// what the next invocation will do.
fn print_table(records: &[RunRecord]) {
    for r in records {
        let Some(s) = &r.summary else {
            println!("{:<11} {}  {}", "not run", r.run.id, r.run.label());
            continue;
        };
        let metrics: Vec<String> = s
            .final_
            .iter()
            .map(|(k, v)| format!("{k} {v:.4}"))
            .collect();
        let baselines: Vec<String> = s
            .baselines
            .iter()
            .filter_map(|b| {
                let v = s.final_.get(&b.metric)?;
                let side = if v < &b.value { "below" } else { "above" };
                Some(format!(
                    "{} {v:.4} is {side} the {:.4} baseline ({})",
                    b.metric, b.value, b.name
                ))
            })
            .collect();
        println!(
            "{:<11} {}  {}  {}{}",
            s.status.name(),
            r.run.id,
            r.run.label(),
            if metrics.is_empty() {
                s.error.clone().unwrap_or_default()
            } else {
                metrics.join("  ")
            },
            if baselines.is_empty() {
                String::new()
            } else {
                format!("\n            {}", baselines.join("; "))
            }
        );
    }
}
