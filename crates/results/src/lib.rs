//! rnnlab-results: the one owner of the results folder's format (docs/results.md).
//!
//! Everything rnnlab writes under `results/<sweep>/` and everything it reads back goes through
//! this crate: where each file lives ([`Layout`], [`RunFiles`]), the `summary.json` schema
//! ([`Summary`], [`Status`], [`Baseline`]) with its format version and readers tolerant of
//! older files, the headers and rows of `metrics.csv`, `breakdown.csv` and `gradflow.csv`
//! ([`files`]), and the one atomic write ([`write_atomic`]) with its temporaries cleanup.
//! The runner (rnnlab-train), the report (rnnlab-report), `rnnlab eval` and the test fixtures
//! use it, so the format is written down once.
//!
//! Dependencies are serde and csv only: a report-only build reads results without libtorch.
mod atomic;
mod csv_file;
mod error;
pub mod eval;
pub mod files;
mod layout;
mod params;
pub mod search;
mod summary;

pub use atomic::{remove_temporaries, temporary_path, write_atomic, write_atomic_with};
pub use error::ResultsError;
pub use layout::{Layout, RunFiles};
pub use params::{read_params, write_params};
pub use search::{read_rung, write_rung, GroupDecision, RungDecision, TrialScore};
pub use summary::{
    read_summary, write_summary, Baseline, Build, Divergence, DivergenceRule, Status, Summary,
    FORMAT_VERSION,
};
