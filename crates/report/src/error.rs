use std::path::PathBuf;

/// Everything that can go wrong while reading a results folder or writing a report. Each
/// variant names the file concerned and says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: not a results folder (no sweep.yaml or no runs/); pass the folder `rnnlab run` wrote, results/<sweep>/")]
    NotResults { path: PathBuf },

    #[error("{path}: no finished runs yet (no runs/<id>/summary.json); run the sweep first with `rnnlab run`")]
    NoRuns { path: PathBuf },

    /// A `search:` sweep whose search has not confirmed any winner yet: there is nothing to
    /// compare (the comparison is of confirmation runs), only the search's progress to report.
    #[error("{path}: the search has {trials} finished trial runs but no confirmation run yet; `rnnlab report` shows its progress, and a comparison needs the confirmed winners: run the sweep on to finish the search")]
    Unconfirmed { path: PathBuf, trials: usize },

    #[error("{path}: cannot read or write")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: {message}; the sweep file as run is copied here by `rnnlab run`: fix it or run the sweep again")]
    Sweep { path: PathBuf, message: String },

    /// The sweep file as run does not validate; the spec's error (with its line) is the cause.
    #[error("{path}: the sweep file as run does not validate; it is copied here by `rnnlab run`: fix it or run the sweep again")]
    SweepFile {
        path: PathBuf,
        #[source]
        source: rnnlab_spec::SpecError,
    },

    /// A run's file that does not read (the error names it and says what to do).
    #[error(transparent)]
    Results(#[from] rnnlab_results::ResultsError),

    #[error("{path}{}: {message}; delete the run folder and run the sweep again", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Csv {
        path: PathBuf,
        /// 1-based line number, when known.
        line: Option<usize>,
        message: String,
    },

    #[error("{path}: claim `{claim}`: {message}; fix the claim in the sweep file")]
    Claim {
        path: PathBuf,
        claim: String,
        message: String,
    },

    #[error("{path}: not a baseline: {message}; pass a results folder or a CSV written by `rnnlab compare --save-baseline`")]
    Baseline { path: PathBuf, message: String },

    #[error("{path}: cannot draw the chart: {message}")]
    Chart { path: PathBuf, message: String },

    #[error("{path}: {message}")]
    Polars { path: PathBuf, message: String },
}

impl ReportError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ReportError {
        let path = path.into();
        move |source| ReportError::Io { path, source }
    }
}
