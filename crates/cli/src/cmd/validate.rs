//! `rnnlab validate`: every problem of each sweep file at once (the spec's checks, within
//! `--max-runs`), then what its runs will cost: parameters, the memory of a training step,
//! FLOPs and, where libtorch can measure this machine, time. A run whose step cannot fit in
//! this machine's memory is an error, located where its size was written.
use std::path::{Path, PathBuf};

use rnnlab_spec::estimate::Estimate;
use rnnlab_spec::{Expanded, Limits, Sweep};

#[cfg(feature = "torch")]
mod calibration;
pub mod estimate;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sweep files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Refuse a sweep of more runs than this (variants × grid levels × seeds, counted before
    /// expanding).
    #[arg(long, default_value_t = Limits::default().max_runs)]
    max_runs: usize,
}

/// One line per `eval:` set: the runs `rnnlab run` will score on it, and on which files.
fn eval_sets(expanded: &rnnlab_spec::Expanded) -> String {
    let mut out = String::new();
    for (name, files) in &expanded.sweep.eval {
        let each: Vec<String> = files
            .iter()
            .map(|f| {
                let runs = expanded.runs.iter().filter(|r| f.scores(&r.params)).count();
                format!("{} ({runs} runs)", f.data.display())
            })
            .collect();
        out.push_str(&format!(
            "  eval set `{name}`: scored when the runs finish, on {}\n",
            each.join(", ")
        ));
    }
    out
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let limits = Limits {
        max_runs: args.max_runs,
        ..Limits::default()
    };
    let mut code = 0;
    for file in &args.files {
        match load_within(file, &limits) {
            Some(expanded) => {
                println!("{}: ok, {} runs", file.display(), expanded.runs.len());
                print!("{}", per_point(&expanded));
                if let Some(plan) = &expanded.search {
                    println!("{plan}");
                }
                println!("{}", totals(&expanded, None));
                print!("{}", eval_sets(&expanded));
            }
            None => code = 2,
        }
    }
    Ok(code)
}

/// [`load_within`] the default limits.
#[cfg(feature = "torch")]
pub fn load(file: &Path) -> Option<Expanded> {
    load_within(file, &Limits::default())
}

/// Loads, validates and expands a sweep, and refuses runs that cannot fit in this machine's
/// memory, printing every warning and error to stderr. None when the sweep has errors (the
/// caller exits 2).
pub fn load_within(file: &Path, limits: &Limits) -> Option<Expanded> {
    match Sweep::load_and_expand_with(file, limits) {
        Ok(expanded) => {
            for w in &expanded.warnings {
                eprintln!("warning: {w}");
            }
            let refused = too_big(file, &expanded);
            for e in &refused {
                eprintln!("error: {e}");
            }
            refused.is_empty().then_some(expanded)
        }
        Err(rejected) => {
            for w in &rejected.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!("{rejected}");
            None
        }
    }
}

/// How many of `jobs` runs can train at once in this machine's memory: every run fits alone
/// (`load_within` refused the others), but `jobs` of the largest together may not. `None`
/// when all `jobs` fit (or the memory is unknown); else the number that does, at least 1, and
/// the sentence that says why.
#[cfg(feature = "torch")]
pub fn jobs_that_fit(runs: &[rnnlab_spec::Run], jobs: usize) -> Option<(usize, String)> {
    let (memory, source) = estimate::machine_memory()?;
    let mut sizes: Vec<f64> = estimate::of_runs(runs)
        .into_iter()
        .flatten()
        .map(|e| e.memory.total())
        .collect();
    sizes.sort_by(|a, b| b.total_cmp(a));
    fit(&sizes, jobs, memory).map(|fit| {
        let need: f64 = sizes.iter().take(jobs).sum();
        let why = format!(
            "{jobs} runs at once would need up to {} (the {jobs} largest training steps) and \
             this machine has {} ({source}): running {fit} at a time",
            estimate::bytes(need),
            estimate::bytes(memory)
        );
        (fit, why)
    })
}

/// The most runs, at most `jobs`, whose largest `sizes` (sorted largest first) sum within
/// `memory`; `None` when all `jobs` do.
#[cfg_attr(not(feature = "torch"), allow(dead_code))]
fn fit(sizes: &[f64], jobs: usize, memory: f64) -> Option<usize> {
    let mut total = 0.0;
    for (n, size) in sizes.iter().take(jobs).enumerate() {
        total += size;
        if total > memory {
            return Some(n.max(1));
        }
    }
    None
}

/// One message per place in the file that makes some run too big for this machine.
fn too_big(file: &Path, expanded: &Expanded) -> Vec<String> {
    let Some((memory, source)) = estimate::machine_memory() else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut out: Vec<(String, String)> = Vec::new();
    for (run, e) in expanded.runs.iter().zip(estimate::of_runs(&expanded.runs)) {
        let Ok(e) = e else { continue };
        if e.memory.total() <= memory {
            continue;
        }
        let culprit = estimate::culprit(&e);
        let place = match rnnlab_spec::origin(&expanded.sweep, &text, run, culprit) {
            Some((at, Some(l))) => format!("{at} ({l})"),
            Some((at, None)) => at,
            None => format!("{culprit} (its default)"),
        };
        if out.iter().any(|(p, _)| *p == place) {
            continue;
        }
        let message = format!(
            "{}: {place}: run {} ({}): {}",
            file.display(),
            run.id,
            run.label(),
            estimate::too_big(&e, memory, &source)
        );
        out.push((place, message));
    }
    out.into_iter().map(|(_, m)| m).collect()
}

/// `rnnlab run --dry-run`: every run (id, varying parameters, estimate) and their count on
/// stdout, the count last as scripts read it (scripts/bench/throughput), and the totals with
/// `jobs` runs at once on stderr.
#[cfg(feature = "torch")]
pub fn dry_run(expanded: &Expanded, jobs: Option<usize>) {
    let rate = rate();
    for (run, e) in expanded.runs.iter().zip(estimate::of_runs(&expanded.runs)) {
        let what = match e {
            Ok(e) => estimate::line(&e, rate.as_ref()),
            Err(why) => format!("no estimate: {why}"),
        };
        println!("{}  {}  {what}", run.id, run.label());
    }
    println!("{} runs", expanded.runs.len());
    if let Some(plan) = &expanded.search {
        eprintln!("{}", plan.to_string().trim_start());
    }
    eprintln!("{}", totals(expanded, jobs).trim_start());
}

/// Most grid points listed one by one; the totals cover every run.
const LISTED: usize = 20;

/// One line per grid point (its seeds cost the same): the runs' estimates.
fn per_point(expanded: &Expanded) -> String {
    let rate = rate();
    let estimates = estimate::of_runs(&expanded.runs);
    let mut points: Vec<(String, usize, &Result<Estimate, String>)> = Vec::new();
    for (run, e) in expanded.runs.iter().zip(&estimates) {
        let label: Vec<String> = run
            .params
            .iter()
            .filter(|(k, _)| k != "seed")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let label = label.join(" ");
        match points.iter_mut().find(|(l, _, _)| *l == label) {
            Some(point) => point.1 += 1,
            None => points.push((label, 1, e)),
        }
    }
    let mut out = String::new();
    for (label, runs, e) in points.iter().take(LISTED) {
        let what = match e {
            Ok(e) => estimate::line(e, rate.as_ref()),
            Err(why) => format!("no estimate: {why}"),
        };
        let label = if label.is_empty() { "every run" } else { label };
        let runs = if *runs == 1 {
            "1 run".into()
        } else {
            format!("{runs} runs")
        };
        out.push_str(&format!("  {label} ({runs}): {what}\n"));
    }
    if points.len() > LISTED {
        out.push_str(&format!(
            "  ... and {} more grid points\n",
            points.len() - LISTED
        ));
    }
    out
}

/// The sweep's totals: FLOPs, the largest step's memory, and the time with `jobs` runs at once
/// (default: the CPUs this process may use).
pub fn totals(expanded: &Expanded, jobs: Option<usize>) -> String {
    let estimates = estimate::of_runs(&expanded.runs);
    let work = work(expanded, &estimates);
    let flops: f64 = work.iter().map(|(e, w)| e.run_flops * w).sum();
    let largest = work
        .iter()
        .map(|(e, _)| e.memory.total())
        .fold(0.0, f64::max);
    let (runs, what) = match &expanded.search {
        None => (expanded.runs.len(), "if no run stops early".to_string()),
        Some(plan) => (
            expanded.runs.len() + plan.groups.len() * plan.confirm_seeds.len(),
            "if no run stops early (trials to their rungs, each winner at its costliest \
             trial's price)"
                .to_string(),
        ),
    };
    let mut out = format!(
        "  sweep: {runs} runs, {} in all {what}; the largest step needs {}",
        estimate::unit(flops, "FLOP"),
        estimate::bytes(largest)
    );
    match rate() {
        Some(rate) => {
            let jobs = jobs.unwrap_or_else(cpus).clamp(1, runs.max(1));
            let seconds: f64 = work.iter().map(|(e, w)| rate.seconds(e) * w).sum();
            out.push_str(&format!(
                "; {} with {jobs} job{} ({:.2} GFLOP/s a job on fused cells, {:.2} on \
                 unrolled ones, measured on this machine)",
                estimate::about(seconds / jobs as f64),
                if jobs == 1 { "" } else { "s" },
                1e-9 / rate.fused,
                1e-9 / rate.unrolled
            ));
        }
        None => out.push_str("; no time estimate: this build has no libtorch to time steps with"),
    }
    out
}

/// The runs' estimates, each with the share of a whole run it trains. A grid trains every run
/// whole. A search trains its trials only to their rungs: each group's trials share the
/// budget its plan says (`SearchGroup::tuning_steps`), and then runs its winner — unknown
/// before the search — on each confirmation seed, counted at its costliest trial's price.
fn work(expanded: &Expanded, estimates: &[Result<Estimate, String>]) -> Vec<(Estimate, f64)> {
    let Some(plan) = &expanded.search else {
        return estimates.iter().flatten().map(|e| (*e, 1.0)).collect();
    };
    let of: std::collections::HashMap<&str, &Estimate> = expanded
        .runs
        .iter()
        .zip(estimates)
        .filter_map(|(r, e)| Some((r.id.as_str(), e.as_ref().ok()?)))
        .collect();
    let mut work = Vec::new();
    for group in &plan.groups {
        let runs: Vec<&rnnlab_spec::Run> = group
            .trials
            .iter()
            .filter(|t| t.repeats.is_none())
            .flat_map(|t| &t.runs)
            .collect();
        let Some(steps) = runs.first().map(|r| r.config.train.steps.max(1)) else {
            continue;
        };
        let whole = (runs.len() * steps) as f64;
        let share = group.tuning_steps(plan.tuning_seeds.len()) as f64 / whole;
        let known: Vec<&Estimate> = runs
            .iter()
            .filter_map(|r| of.get(r.id.as_str()).copied())
            .collect();
        work.extend(known.iter().map(|e| (**e, share.min(1.0))));
        if let Some(costliest) = known
            .iter()
            .max_by(|a, b| a.run_flops.total_cmp(&b.run_flops))
        {
            work.push((**costliest, plan.confirm_seeds.len() as f64));
        }
    }
    work
}

/// Measured (or read from the cache) once per process.
#[cfg(feature = "torch")]
fn rate() -> Option<estimate::Rate> {
    static RATE: std::sync::OnceLock<Option<estimate::Rate>> = std::sync::OnceLock::new();
    *RATE.get_or_init(calibration::rate)
}

#[cfg(not(feature = "torch"))]
fn rate() -> Option<estimate::Rate> {
    None
}

#[cfg(feature = "torch")]
fn cpus() -> usize {
    crate::allocation::detect().cpus
}

#[cfg(not(feature = "torch"))]
fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod fit_tests {
    #[test]
    fn jobs_shrink_until_the_largest_runs_fit_together() {
        let sizes = [10.0, 8.0, 3.0, 1.0];
        assert_eq!(super::fit(&sizes, 2, 24.0), None);
        assert_eq!(super::fit(&sizes, 3, 20.0), Some(2));
        assert_eq!(super::fit(&sizes, 4, 12.0), Some(1));
        // One run always goes ahead: each run alone was checked to fit.
        assert_eq!(super::fit(&sizes, 2, 5.0), Some(1));
        assert_eq!(super::fit(&sizes, 8, 100.0), None);
    }
}
