use std::path::PathBuf;

use rnnlab_results::ResultsError;

/// Errors of the trainer and the results store, each naming the file or run it concerns.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A results file could not be written or read (the error names it).
    #[error(transparent)]
    Results(#[from] ResultsError),
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("run {id}: {message}")]
    Run { id: String, message: String },
    #[error("{0}")]
    Options(String),
}
