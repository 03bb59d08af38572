use std::path::PathBuf;

/// Everything that can be wrong with a sweep file. Each error names the file and, where it
/// applies, the YAML path and `line:column`, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Yaml { path: PathBuf, message: String },
    #[error("{path}: {at}: {message}")]
    Invalid {
        path: PathBuf,
        /// The YAML path of the offending value, e.g. `base.model.hidden` (with ` (line L column C)`
        /// appended when it could be located).
        at: String,
        message: String,
    },
}
