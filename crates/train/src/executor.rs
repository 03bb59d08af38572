//! The sweep executor: runs on a rayon pool, finished runs skipped, failures isolated.
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use rnnlab_spec::Run;
use tch::Device;

use crate::summary::{stamped, Status, Summary};
use crate::{train_run, RunContext, Shard, Store, TrainError};

/// Hooks for progress display; every hook defaults to nothing. Called from worker threads.
pub trait Observer: Sync {
    fn run_started(&self, _run: &Run) {}
    fn evaluated(&self, _run: &Run, _step: usize, _steps: usize, _valid: &BTreeMap<String, f64>) {}
    fn run_finished(&self, _run: &Run, _summary: &Summary) {}
    /// A run whose earlier summary is kept, so that progress counts it as done.
    fn run_reused(&self, _run: &Run, _summary: &Summary) {}
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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .thread_name(|i| format!("rnnlab-run-{i}"))
        .build()
        .map_err(|e| {
            TrainError::Options(format!("cannot start {} worker threads: {e}", options.jobs))
        })?;
    let mine: Vec<&Run> = runs
        .iter()
        .enumerate()
        .filter(|(i, _)| options.shard.owns(*i))
        .map(|(_, r)| r)
        .collect();
    let records = pool.install(|| {
        mine.par_iter()
            .with_max_len(1)
            .map(|run| execute_one(store, run, options, observer))
            .collect::<Vec<_>>()
    });
    Ok(records)
}

fn execute_one(
    store: &Store,
    run: &Run,
    options: &ExecuteOptions,
    observer: &dyn Observer,
) -> RunRecord {
    if let Some(old) = store.summary(&run.id) {
        let keep = old.status.is_final()
            && match options.rerun {
                Rerun::None => true,
                Rerun::Failed => old.status != Status::Failed,
                Rerun::All => false,
            };
        if keep {
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
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| train_run(run, &ctx)));
    let summary = match outcome {
        Ok(Ok(summary)) => summary,
        Ok(Err(e)) => failed(store, run, options.device, e.to_string()),
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

/// Records a failed run; what it had written stays as it was.
fn failed(store: &Store, run: &Run, device: Device, error: String) -> Summary {
    let mut summary = stamped(&run.id, Status::Failed, device);
    summary.error = Some(error);
    // A failure to record the failure leaves the run without summary: it runs again next time.
    let _ = store.write_summary(&summary);
    summary
}
