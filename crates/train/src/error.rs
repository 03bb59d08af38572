use std::path::PathBuf;

/// Errors of the trainer and the results store, each naming the file or run it concerns.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("results folder {path} holds a different sweep named `{name}`: {message}")]
    Conflict {
        path: PathBuf,
        name: String,
        message: String,
    },
    #[error("run {id}: {message}")]
    Run { id: String, message: String },
    #[error("{0}")]
    Options(String),
}
