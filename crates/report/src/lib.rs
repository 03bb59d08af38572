//! rnnlab-report: from a results folder (docs/results.md) to tables, charts, a report, claim
//! checks and baseline comparisons. Reads files and spec types only: no libtorch.
//!
//! - [`report`]: `report/tables/*.csv`, `report/figures/*.svg|png`, `report/report.md`.
//! - [`check`]: the sweep's claims, judged by exact tests chosen from the metric (`verdict`),
//!   Holm-corrected, with the smallest reachable p and n used/total.
//! - [`compare`] / [`save_baseline`]: regressions against a baseline by exact tests, with
//!   each row's power (compare/gate.rs).
//! - [`summary_table`]: the short table `rnnlab run` prints when a sweep ends.
//!
//! For a `search:` sweep every one of these sees the confirmation runs only (each group's
//! winner on the confirmation seeds); the trials are in the report's "Search" section, and the
//! claims wait until the confirmations have finished (docs/search.md).
//!
//! Optional per-run files the report reads when present, with the columns
//! `rnnlab_results::files` declares: `breakdown.csv` (`by,bucket,n,accuracy`, then one column
//! per baseline scored on the same buckets, e.g. `last_noun`) and `gradflow.csv`
//! (`step,layer,direction,t,distance,norm`; files without `direction` or `distance` read as
//! forward, distance max t - t).

mod aggregate;
mod charts;
mod claims;
mod compare;
mod env;
mod error;
mod frames;
mod load;
mod metric;
mod report;
mod search;
mod sections;
mod series;
mod sinks;
/// Statistics (Welch, bootstrap, ANOVA, exact tests). Not part of the API: public only while
/// the exact tests being added have no caller in the crate yet (else they are dead code).
#[doc(hidden)]
pub mod stats;
pub mod synthetic;
mod table;
mod tables;
mod verdict;

use std::path::Path;

pub use charts::Figure;
pub use claims::{CheckOutcome, ClaimResult};
pub use compare::{BaselineComparison, CompareOptions, CompareRow, Processors, Test, Verdict};
pub use env::Environment;
pub use error::ReportError;
pub use report::{ReportOptions, ReportSummary};
pub use stats::Describe;

use aggregate::Aggregates;
use load::Results;
use table::{Exporter, Plain};

/// For the crate's own tests of chart internals (the embedded font, which axes split a chart's
/// lines); not part of the API.
#[doc(hidden)]
pub mod internals {
    pub use crate::charts::{render_rgb, Line, Plot, SIZE};
    pub use crate::load::Results;
    pub use crate::series::series_axes;
}

/// Writes the report of the results folder `dir` (into `dir/report` unless
/// `options.out` says otherwise).
pub fn report(dir: &Path, options: &ReportOptions) -> Result<ReportSummary, ReportError> {
    let results = Results::load(dir)?;
    report::build(&results, options)
}

/// Judges the sweep's claims. `outcome.passed()` is false when one fails; `Display` is a
/// Markdown table.
pub fn check(dir: &Path) -> Result<CheckOutcome, ReportError> {
    claims::judge(&Results::load(dir)?)
}

/// Compares the results folder (or summary CSV) `current` with `baseline` (a results folder or
/// a CSV written by [`save_baseline`]).
pub fn compare(
    current: &Path,
    baseline: &Path,
    options: &CompareOptions,
) -> Result<BaselineComparison, ReportError> {
    let cur = compare::load_summary(current)?;
    let base = compare::load_summary(baseline)?;
    Ok(compare::compare_summaries(&cur, &base, options))
}

/// Writes the committed form of `dir` (one line per run: variant, metric, seed, value, build;
/// docs/results.md "Baselines") to `file`; returns the number of variant × metric rows.
pub fn save_baseline(dir: &Path, file: &Path) -> Result<usize, ReportError> {
    let results = Results::load_confirmed(dir)?;
    let rows = compare::summarize(&results).rows.len();
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(ReportError::io(parent))?;
    }
    rnnlab_results::write_atomic(file, compare::summary_csv(&results).as_bytes())?;
    Ok(rows)
}

/// A short plain-text table of a results folder: one row per variant with its parameters, n,
/// status counts and the mean ± sd of the main final metric. For a search, the variants'
/// confirmation runs; before there are any, one line on the search's progress.
pub fn summary_table(dir: &Path) -> Result<String, ReportError> {
    let results = Results::load(dir)?;
    if let (Some(s), true) = (&results.search, results.runs.is_empty()) {
        return Ok(format!(
            "no confirmation runs yet: {} trial runs finished, {} of {} groups have a winner, {} rungs decided\n",
            results.tuning,
            s.decided(),
            s.winners.len(),
            s.rungs.len()
        ));
    }
    let agg = Aggregates::of_summaries(&results)?;
    Ok(Plain.export(&tables::summary(&agg)))
}
