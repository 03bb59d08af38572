use std::path::PathBuf;

/// What went wrong reading or writing a results file; each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("{path}: cannot read or write")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not valid {what}; delete the run folder and run the sweep again (`rnnlab run` redoes runs without a summary)")]
    Parse {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: cannot read or write it as CSV")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
}

impl ResultsError {
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}
