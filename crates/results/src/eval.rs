//! `eval/<set>/`: what `rnnlab run` (a sweep's `eval:` sets) and `rnnlab eval` write about
//! saved runs scored on an external file (docs/eval.md). A run's table has breakdown.csv's columns with `last_noun` always present
//! (the overall row first, then the buckets); scoring a whole results folder also writes
//! `summary.csv`: each bucket's accuracy over the scored runs of each group of runs that differ
//! only by seed, with how many of the group's runs were scored, so a finding cites one file
//! that one command regenerates.
use std::path::Path;

use crate::files::{breakdown, num, write_csv, BreakdownRow, CsvFile};
use crate::ResultsError;

/// The columns of one run's table (`rnnlab eval RUN --out x.csv`, `eval/<data>/<run-id>.csv`).
pub const RUN_HEADER: [&str; 5] = [
    breakdown::BY,
    breakdown::BUCKET,
    breakdown::N,
    breakdown::ACCURACY,
    breakdown::LAST_NOUN,
];

/// The columns of `eval/<data>/summary.csv`; see [`SummaryRow`].
pub const SUMMARY_HEADER: [&str; 10] = [
    "group",
    "by",
    "bucket",
    "n",
    "runs",
    "runs_total",
    "mean",
    "min",
    "max",
    "last_noun",
];

/// The summary's file name inside `eval/<data>/`.
pub const SUMMARY: &str = "summary.csv";

/// One bucket of one group in `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The runs' parameters without the seed (`model.cell=lstm`), `all` when only the seed
    /// varies.
    pub group: String,
    pub by: String,
    pub bucket: String,
    /// Sentences scored in the bucket (the same for every run of a group: the vocabulary and
    /// the file are).
    pub n: f64,
    /// The group's runs scored, and all of its runs: one without saved weights or not
    /// finished is counted and not scored.
    pub runs: usize,
    pub runs_total: usize,
    /// Accuracy over the scored runs.
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// The last-noun heuristic on the same sentences, when the file gives it.
    pub last_noun: Option<f64>,
}

/// Writes one run's table atomically.
pub fn write_run_table(path: &Path, rows: &[BreakdownRow]) -> Result<(), ResultsError> {
    let records = rows.iter().map(|r| {
        vec![
            r.by.clone(),
            r.bucket.clone(),
            format!("{}", r.n),
            format!("{}", r.accuracy),
            num(r.last_noun),
        ]
    });
    write_csv(path, &RUN_HEADER, records)
}

/// Writes `summary.csv` atomically.
pub fn write_summary(path: &Path, rows: &[SummaryRow]) -> Result<(), ResultsError> {
    let records = rows.iter().map(|r| {
        vec![
            r.group.clone(),
            r.by.clone(),
            r.bucket.clone(),
            format!("{}", r.n),
            r.runs.to_string(),
            r.runs_total.to_string(),
            format!("{}", r.mean),
            format!("{}", r.min),
            format!("{}", r.max),
            num(r.last_noun),
        ]
    });
    write_csv(path, &SUMMARY_HEADER, records)
}

/// The accuracy in one row of a run's table (`eval/<set>/<run-id>.csv`): the bucket `bucket`
/// of `by`, or the overall row when `bucket` is None. None when the run has no table (not
/// scored) or the table no such row.
pub fn read_accuracy(
    path: &Path,
    bucket: Option<(&str, &str)>,
) -> Result<Option<f64>, ResultsError> {
    if !path.is_file() {
        return Ok(None);
    }
    let (by, bucket) = bucket.unwrap_or((OVERALL.0, OVERALL.1));
    let mut file = CsvFile::open(path)?;
    let find = |name: &str| file.column(name);
    let (Some(b), Some(k), Some(a)) = (
        find(breakdown::BY),
        find(breakdown::BUCKET),
        find(breakdown::ACCURACY),
    ) else {
        return Ok(None);
    };
    for rec in file.rows() {
        let rec = rec?;
        if rec.get(b) == Some(by) && rec.get(k) == Some(bucket) {
            return Ok(rec.get(a).and_then(|v| v.parse().ok()));
        }
    }
    Ok(None)
}

/// Reads a run's table back (`eval/<set>/<run-id>.csv`), rows in file order.
pub fn read_run_table(path: &Path) -> Result<Vec<BreakdownRow>, ResultsError> {
    let mut file = CsvFile::open(path)?;
    let columns = RUN_HEADER.map(|name| file.column(name));
    let [Some(by), Some(bucket), Some(n), Some(accuracy), last_noun] = columns else {
        let lacks = format!(
            "not a run's eval table: its header lacks one of {}",
            RUN_HEADER[..4].join(", ")
        );
        return Err(ResultsError::Csv {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, lacks).into(),
        });
    };
    let mut rows = Vec::new();
    for rec in file.rows() {
        let rec = rec?;
        let text = |i: usize| rec.get(i).unwrap_or_default().to_owned();
        let number = |i: Option<usize>| {
            i.and_then(|i| rec.get(i))
                .and_then(|v| v.parse::<f64>().ok())
        };
        rows.push(BreakdownRow {
            by: text(by),
            bucket: text(bucket),
            n: number(Some(n)).unwrap_or(f64::NAN),
            accuracy: number(Some(accuracy)).unwrap_or(f64::NAN),
            last_noun: number(last_noun),
        });
    }
    Ok(rows)
}

/// The `by` and `bucket` of a run table's first row, the whole file's accuracy.
pub const OVERALL: (&str, &str) = ("overall", "all");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_table_keeps_an_empty_last_noun_column_and_the_summary_its_counts() {
        let dir = tempfile::tempdir().unwrap();
        let row = BreakdownRow {
            by: "overall".into(),
            bucket: "all".into(),
            n: 7.0,
            accuracy: 0.5,
            last_noun: None,
        };
        let table = dir.path().join("r.csv");
        write_run_table(&table, &[row]).unwrap();
        let text = std::fs::read_to_string(&table).unwrap();
        assert_eq!(text, "by,bucket,n,accuracy,last_noun\noverall,all,7,0.5,\n");
        let summary = SummaryRow {
            group: "model.cell=lstm".into(),
            by: "attractors".into(),
            bucket: "1".into(),
            n: 3.0,
            runs: 4,
            runs_total: 5,
            mean: 0.25,
            min: 0.0,
            max: 1.0 / 3.0,
            last_noun: Some(0.0),
        };
        assert_eq!(read_accuracy(&table, None).unwrap(), Some(0.5));
        assert_eq!(read_run_table(&table).unwrap()[0].accuracy, 0.5);
        assert_eq!(read_run_table(&table).unwrap()[0].last_noun, None);
        assert_eq!(
            read_accuracy(&table, Some(("attractors", "1"))).unwrap(),
            None
        );
        assert_eq!(
            read_accuracy(&dir.path().join("none.csv"), None).unwrap(),
            None
        );
        let path = dir.path().join(SUMMARY);
        write_summary(&path, &[summary]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(SUMMARY_HEADER.join(",").as_str()));
        assert_eq!(
            lines.next(),
            Some("model.cell=lstm,attractors,1,3,4,5,0.25,0,0.3333333333333333,0")
        );
    }
}
