//! The polars side: summaries aggregated over seeds, and the per-evaluation files of every run
//! (metrics.csv, breakdown.csv, gradflow.csv) scanned lazily and aggregated per variant.
//!
//! Why polars here: a large sweep has thousands of runs with dozens of evaluation rows each;
//! one lazy multi-file scan with a group-by reads them in parallel without holding every row as
//! a Rust struct. Files are grouped by their header line so that runs of different task kinds
//! (different metric columns) never share a schema; every column is read as Float64 except the
//! few text ones, so an all-empty column cannot turn into text.

mod breakdown;
mod curves;
mod gradflow;
mod summaries;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;

use crate::load::Results;
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

/// Files by header line: (path, group) of each.
type FileGroups = BTreeMap<Vec<String>, Vec<(PathBuf, usize)>>;

/// Files of one kind (`metrics.csv`, ...) of every run, grouped by header line: each group
/// can be scanned with one schema. Runs without the file are skipped.
pub(super) fn file_groups(results: &Results, file: &str) -> Result<FileGroups, ReportError> {
    use std::io::BufRead;
    let mut groups = FileGroups::new();
    for run in &results.runs {
        let path = run.dir.join(file);
        let f = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(ReportError::Io { path, source: e }),
        };
        let mut header = String::new();
        std::io::BufReader::new(f)
            .read_line(&mut header)
            .map_err(ReportError::io(&path))?;
        let header: Vec<String> = header
            .trim_end()
            .split(',')
            .map(|s| s.trim().to_string())
            .collect();
        if header.len() < 2 {
            return Err(ReportError::Csv {
                path,
                line: Some(1),
                message: "no header line".into(),
            });
        }
        groups.entry(header).or_default().push((path, run.group));
    }
    Ok(groups)
}

/// A lazy scan of the files of one group with a `path` column, joined to their group.
pub(super) fn scan(
    header: &[String],
    files: &[(PathBuf, usize)],
    text_columns: &[&str],
) -> Result<LazyFrame, PolarsError> {
    let schema: Schema = header
        .iter()
        .map(|h| {
            let dtype = if text_columns.contains(&h.as_str()) {
                DataType::String
            } else {
                DataType::Float64
            };
            Field::new(h.as_str().into(), dtype)
        })
        .collect();
    let paths: Vec<String> = files
        .iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let groups: Vec<u32> = files.iter().map(|(_, c)| *c as u32).collect();
    let sources: Vec<PlRefPath> = paths.iter().map(|p| PlRefPath::new(p.as_str())).collect();
    let lf = LazyCsvReader::new_paths(sources.into())
        .with_schema(Some(Arc::new(schema)))
        .with_has_header(true)
        .with_include_file_paths(Some("path".into()))
        .finish()?;
    let map = DataFrame::new(
        paths.len(),
        vec![
            Column::new("path".into(), paths),
            Column::new("group".into(), groups),
        ],
    )?;
    Ok(lf.join(
        map.lazy(),
        [col("path")],
        [col("path")],
        JoinArgs::new(JoinType::Inner),
    ))
}

/// After polars failed on a group of files, finds the first bad line by hand so the error
/// names it: a row with the wrong number of fields or a number that does not parse.
pub(super) fn locate(
    files: &[(PathBuf, usize)],
    header: &[String],
    text_columns: &[&str],
    e: PolarsError,
) -> ReportError {
    for (path, _) in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate().skip(1) {
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(',').collect();
            if fields.len() != header.len() {
                return ReportError::Csv {
                    path: path.clone(),
                    line: Some(i + 1),
                    message: format!("{} fields, the header has {}", fields.len(), header.len()),
                };
            }
            for (f, h) in fields.iter().zip(header) {
                let f = f.trim();
                if !text_columns.contains(&h.as_str()) && !f.is_empty() && f.parse::<f64>().is_err()
                {
                    return ReportError::Csv {
                        path: path.clone(),
                        line: Some(i + 1),
                        message: format!("column `{h}`: `{f}` is not a number"),
                    };
                }
            }
        }
    }
    ReportError::Csv {
        path: files.first().map(|(p, _)| p.clone()).unwrap_or_default(),
        line: None,
        message: e.to_string(),
    }
}
