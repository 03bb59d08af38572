//! The polars side: summaries aggregated over seeds, and the per-evaluation files of every run
//! (metrics.csv, breakdown.csv, gradflow.csv) scanned lazily and aggregated per variant.
//!
//! Why polars here: a large sweep has thousands of runs with dozens of evaluation rows each; the
//! files are read in parallel into one frame per header line (`read`: runs of different task
//! kinds, with different metric columns, never share a schema; every column is Float64 but the
//! few text ones, so an all-empty column cannot turn into text) and aggregated with polars'
//! group-by.

mod breakdown;
mod curves;
mod gradflow;
mod read;
mod summaries;

use std::path::Path;

use polars::prelude::*;

use crate::ReportError;

pub use breakdown::{breakdown, bucket_order, Bucket};
pub use curves::{curves, curves_by, CurvePoint};
pub use gradflow::{gradflow, GradPoint};
pub use summaries::{group_stats, GroupStats};

pub(super) fn polars_err(path: &Path) -> impl Fn(PolarsError) -> ReportError + '_ {
    move |e| ReportError::Polars {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// A column as f64 values, null as NaN.
pub(super) fn floats(df: &DataFrame, name: &str, path: &Path) -> Result<Vec<f64>, ReportError> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Float64))
        .map_err(polars_err(path))?;
    let ca = c.f64().map_err(polars_err(path))?;
    Ok(ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

pub(super) fn strings(df: &DataFrame, name: &str, path: &Path) -> Result<Vec<String>, ReportError> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::String))
        .map_err(polars_err(path))?;
    let ca = c.str().map_err(polars_err(path))?;
    Ok(ca
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect())
}
