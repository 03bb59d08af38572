//! rnnlab-train: training runs and sweeps.
//!
//! [`train_run`] trains one [`RunConfig`](rnnlab_spec::RunConfig): data from its task's seeded
//! generator, a model from its seed, the optimizer, clipping, periodic evaluation, early stop
//! and divergence handling. [`execute`] runs a sweep's runs on a rayon pool, skipping finished
//! ones, isolating failures, and writing everything through the [`Store`]. [`bench`] times
//! training steps, batch generation and whole runs for `rnnlab bench`.
pub mod bench;
mod checkpoint;
mod clip;
mod data;
mod divergence;
mod error;
mod eval;
mod evalset;
mod executor;
mod metrics;
mod optim;
mod resume;
mod run;
mod search;
mod shard;
mod step;
mod store;
mod summary;

pub use error::TrainError;
pub use eval::{
    evaluate_file, load_run, EvalError, FileEvaluation, LoadedRun, PairScore, UnkMapping,
};
pub use executor::{execute, ExecuteOptions, Observer, Rerun, RunRecord};
pub use metrics::Evaluation;
pub use rnnlab_results::files::{BreakdownRow, MetricsRow};
pub use rnnlab_results::write_atomic;
pub use run::{train_run, train_run_profiled, RunContext};
pub use search::{confirmation_runs, execute_search, SearchOutcome, SearchState};
pub use shard::Shard;
pub use step::{Clock, Phases, Profile};
pub use store::Store;
pub use summary::{Status, Summary};
