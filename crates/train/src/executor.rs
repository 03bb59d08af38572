//! The sweep executor: runs on a rayon pool, finished runs skipped, failures isolated.
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use rnnlab_spec::Run;
use tch::Device;

use crate::summary::{stamped, this_build, Build, Status, Summary};
use crate::{train_run, RunContext, Shard, Store, TrainError};

/// Hooks for progress display; every hook defaults to nothing. Called from worker threads.
pub trait Observer: Sync {
    fn run_started(&self, _run: &Run) {}
    fn evaluated(&self, _run: &Run, _step: usize, _steps: usize, _valid: &BTreeMap<String, f64>) {}
    fn run_finished(&self, _run: &Run, _summary: &Summary) {}
    /// A run whose earlier summary is kept, so that progress counts it as done.
    fn run_reused(&self, _run: &Run, _summary: &Summary) {}
    /// A run continues from its checkpoint after `step` updates.
    fn resumed(&self, _run: &Run, _step: usize) {}
    /// A run's checkpoint cannot be used (`why`), so the run starts at step 0.
    fn checkpoint_unused(&self, _run: &Run, _why: &str) {}
    /// A search starts a stage (a rung's training, the confirmation runs) of `runs` runs in
    /// this shard; `title` says which, e.g. `rung 1 of 3 (to step 600): 3 trials × 2 seeds`.
    fn stage(&self, _title: &str, _runs: usize) {}
}

/// The observer that shows nothing.
impl Observer for () {}

/// Which finished runs to run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rerun {
    /// None: a run with a final summary is kept. Default.
    #[default]
    None,
    /// Runs whose status is `failed`.
    Failed,
    /// Every run.
    All,
    /// Runs whose summary was made by another build (rnnlab version, git commit or libtorch
    /// differ from this binary's; summaries without a commit count as another build).
    Stale,
}

impl Rerun {
    /// Whether the finished run `old` is kept rather than run again by the build `current`.
    pub fn keeps(self, old: &Summary, current: &Build) -> bool {
        old.status.is_final()
            && match self {
                Rerun::None => true,
                Rerun::Failed => old.status != Status::Failed,
                Rerun::All => false,
                Rerun::Stale => old.build() == *current,
            }
    }
}

#[derive(Debug, Clone)]
pub struct ExecuteOptions {
    /// Runs trained at once.
    pub jobs: usize,
    pub device: Device,
    pub rerun: Rerun,
    pub shard: Shard,
    /// Set (e.g. by Ctrl-C) to stop dispatching and to stop running runs at their next step.
    pub stop: Arc<AtomicBool>,
}

/// What happened to one run of the sweep.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub run: Run,
    /// None when the run was not started (another shard's, or stopped before dispatch).
    pub summary: Option<Summary>,
    /// True when an earlier summary was kept.
    pub reused: bool,
}

/// Runs this shard's share of `runs`, `jobs` at a time. libtorch's intra-op threads are a
/// process-wide setting: set them once, before calling this (the CLI sets them from `--threads`).
pub fn execute(
    store: &Store,
    runs: &[Run],
    options: &ExecuteOptions,
    observer: &dyn Observer,
) -> Result<Vec<RunRecord>, TrainError> {
    let jobs: Vec<Job> = runs.iter().map(|run| Job { run, until: None }).collect();
    execute_jobs(store, &jobs, options, observer)
}

/// One run to train, and the step to pause it at (a search rung).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Job<'a> {
    pub run: &'a Run,
    pub until: Option<usize>,
}

/// [`execute`] for jobs: the shard owns the jobs at its positions in `jobs`.
pub(crate) fn execute_jobs(
    store: &Store,
    jobs: &[Job],
    options: &ExecuteOptions,
    observer: &dyn Observer,
) -> Result<Vec<RunRecord>, TrainError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .thread_name(|i| format!("rnnlab-run-{i}"))
        .build()
        .map_err(|e| {
            TrainError::Options(format!("cannot start {} worker threads: {e}", options.jobs))
        })?;
    let mine: Vec<&Job> = jobs
        .iter()
        .enumerate()
        .filter(|(i, _)| options.shard.owns(*i))
        .map(|(_, j)| j)
        .collect();
    let records = pool.install(|| {
        mine.par_iter()
            .with_max_len(1)
            .map(|job| execute_one(store, job, options, observer))
            .collect::<Vec<_>>()
    });
    Ok(records)
}

fn execute_one(
    store: &Store,
    job: &Job,
    options: &ExecuteOptions,
    observer: &dyn Observer,
) -> RunRecord {
    let run = job.run;
    if let Some(old) = store.summary(&run.id) {
        // A trial already paused at (or past) this rung needs no training now.
        let reached = old.status == Status::Paused
            && job.until.is_some_and(|u| old.steps >= u)
            && options.rerun != Rerun::All;
        if reached {
            observer.run_reused(run, &old);
            return RunRecord {
                run: run.clone(),
                summary: Some(old),
                reused: true,
            };
        }
        // A trial pruned short of what this job trains it to (the search changed, so it is
        // kept now) trains again; its checkpoint went with the pruning, so from step 0, to
        // the same numbers.
        let short =
            old.status == Status::Pruned && old.steps < job.until.unwrap_or(run.config.train.steps);
        let keep = !short && options.rerun.keeps(&old, &this_build());
        if keep {
            // A run killed between writing its summary and removing its checkpoint left one.
            let _ = crate::checkpoint::remove(&store.run(&run.id));
            observer.run_reused(run, &old);
            return RunRecord {
                run: run.clone(),
                summary: Some(old),
                reused: true,
            };
        }
    }
    if options.stop.load(Ordering::Relaxed) {
        return RunRecord {
            run: run.clone(),
            summary: None,
            reused: false,
        };
    }
    observer.run_started(run);
    let ctx = RunContext {
        device: options.device,
        store,
        stop: &options.stop,
        observer,
        resume: options.rerun != Rerun::All,
        until: job.until,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| train_run(run, &ctx)));
    let summary = match outcome {
        Ok(Ok(summary)) => summary,
        Ok(Err(e)) => failed(store, run, options.device, chain(&e)),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into());
            failed(store, run, options.device, message)
        }
    };
    observer.run_finished(run, &summary);
    RunRecord {
        run: run.clone(),
        summary: Some(summary),
        reused: false,
    }
}

/// An error and its causes on one line, for summary.json's `error`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Records a failed run; what it had written stays as it was.
fn failed(store: &Store, run: &Run, device: Device, error: String) -> Summary {
    let mut summary = stamped(&run.id, Status::Failed, device);
    summary.error = Some(error);
    // A failure to record the failure leaves the run without summary: it runs again next time.
    let _ = store.write_summary(&summary);
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made_by(id: &str, status: Status, rnnlab: &str, commit: Option<&str>) -> Summary {
        let mut s = Summary::new(id, status);
        s.rnnlab = rnnlab.into();
        s.libtorch = "2.13.0".into();
        s.commit = commit.map(str::to_string);
        s
    }

    /// `--rerun stale` runs again exactly the finished runs of another build (version,
    /// commit, libtorch, or a file that predates the commit), plus interrupted ones as always.
    #[test]
    fn rerun_stale_picks_the_runs_of_another_build() {
        let current = Build {
            rnnlab: "0.1.0".into(),
            commit: Some("abc1234".into()),
            libtorch: "2.13.0".into(),
        };
        let mut other_torch = made_by("t", Status::Completed, "0.1.0", Some("abc1234"));
        other_torch.libtorch = "2.12.0".into();
        let mut other_threads = made_by("h", Status::Completed, "0.1.0", Some("abc1234"));
        other_threads.threads = Some(7);
        let runs = [
            made_by("same", Status::Solved, "0.1.0", Some("abc1234")),
            made_by("same-failed", Status::Failed, "0.1.0", Some("abc1234")),
            other_threads,
            made_by("commit", Status::Completed, "0.1.0", Some("def5678")),
            made_by("old-file", Status::Completed, "0.1.0", None),
            made_by("version", Status::Diverged, "0.0.9", Some("abc1234")),
            other_torch,
            made_by("interrupted", Status::Interrupted, "0.1.0", Some("abc1234")),
        ];
        let rerun: Vec<&str> = runs
            .iter()
            .filter(|s| !Rerun::Stale.keeps(s, &current))
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(rerun, ["commit", "old-file", "version", "t", "interrupted"]);
        // The other modes are unchanged.
        let kept = |mode: Rerun| runs.iter().filter(|s| mode.keeps(s, &current)).count();
        assert_eq!(
            (kept(Rerun::None), kept(Rerun::Failed), kept(Rerun::All)),
            (7, 6, 0)
        );
    }
}
