//! What the crate's tests share: expanding a sweep text and reading its errors.
use std::path::Path;

use crate::{Expanded, Rejected, Sweep};

/// `text` parsed and expanded as the sweep file `s.yaml`.
pub(crate) fn expand(text: &str) -> Result<Expanded, Rejected> {
    Sweep::parse_and_expand(text, Path::new("s.yaml"))
}

/// Every error message of `text`, one per line; panics when it expands.
pub(crate) fn errors(text: &str) -> String {
    match expand(text) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(r) => r
            .errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
