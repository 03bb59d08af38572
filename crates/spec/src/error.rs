use std::fmt;
use std::path::PathBuf;

use crate::locate::Location;

/// Everything that can be wrong with a sweep file. Each error names the file and, where it
/// applies, the YAML path and `line:column`, and says what to do:
///
/// `experiments/x.yaml: base.model.hiden (line 7 column 5): unknown field `hiden` in model; ...`
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not YAML; the message carries the parser's own position.
    #[error("{path}: {message}")]
    Yaml {
        path: PathBuf,
        location: Option<Location>,
        message: String,
    },
    #[error("{path}: {at}{}: {message}", in_parens(.location))]
    Invalid {
        path: PathBuf,
        /// The YAML path of the offending key or value, e.g. `base.model.hidden`.
        at: String,
        /// Where that key or value is in the file, when the file's text is at hand.
        location: Option<Location>,
        message: String,
    },
}

impl SpecError {
    /// The position in the file the error concerns, if known.
    pub fn location(&self) -> Option<Location> {
        match self {
            SpecError::Read { .. } => None,
            SpecError::Yaml { location, .. } | SpecError::Invalid { location, .. } => *location,
        }
    }
}

/// Something suspicious that does not stop the sweep (an `exclude` that matches nothing,
/// dropout on a single layer). Formatted like [`SpecError::Invalid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecWarning {
    pub path: PathBuf,
    pub at: String,
    pub location: Option<Location>,
    pub message: String,
}

impl fmt::Display for SpecWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}{}: {}",
            self.path.display(),
            self.at,
            in_parens(&self.location),
            self.message
        )
    }
}

fn in_parens(location: &Option<Location>) -> String {
    location.map(|l| format!(" ({l})")).unwrap_or_default()
}

/// A sweep that failed validation: every error found, and the warnings.
#[derive(Debug)]
pub struct Rejected {
    pub errors: Vec<SpecError>,
    pub warnings: Vec<SpecWarning>,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Rejected {}
