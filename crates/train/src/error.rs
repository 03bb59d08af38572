use rnnlab_results::ResultsError;
use rnnlab_tasks::TaskError;

/// Errors of the trainer and the results store, each naming the file or run it concerns.
/// Display says what failed; the cause comes as `source()` (the CLI prints the chain).
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A results file could not be written or read (the error names it).
    #[error(transparent)]
    Results(#[from] ResultsError),
    #[error("run {id}: the task cannot be built")]
    Task {
        id: String,
        #[source]
        source: TaskError,
    },
    /// A checkpoint that cannot be written or does not fit the run (the message says what).
    #[error("run {id}: checkpoint {}: {reason}", path.display())]
    Checkpoint {
        id: String,
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("run {id}: cannot serialise the resolved config")]
    Config {
        id: String,
        #[source]
        source: serde_yaml::Error,
    },
    /// Options of the command (shards, jobs) that cannot be used; the message says why.
    #[error("{0}")]
    Options(String),
}
