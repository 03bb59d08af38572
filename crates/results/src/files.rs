//! The CSV files of a run: their headers, their rows, and how a row is written. Readers
//! (the report's frames) take the column names from here.
use std::path::Path;

pub(crate) use crate::csv_file::{num, write_csv, CsvFile};
use crate::ResultsError;

/// `metrics.csv`: one row per evaluation, in step order. The task's metric columns (from the
/// spec's metric catalogue) go between [`METRICS_HEAD`] and [`METRICS_TAIL`].
pub mod metrics {
    /// The fixed columns before the task's metrics.
    pub const HEAD: [&str; 3] = [STEP, SPLIT, LOSS];
    /// The fixed columns after the task's metrics.
    pub const TAIL: [&str; 3] = [GRAD_NORM, CLIP_RATE, ELAPSED_S];
    pub const STEP: &str = "step";
    /// `train` (running mean since the last row), `valid` or `test`.
    pub const SPLIT: &str = "split";
    pub const LOSS: &str = "loss";
    pub const GRAD_NORM: &str = "grad_norm";
    pub const CLIP_RATE: &str = "clip_rate";
    pub const ELAPSED_S: &str = "elapsed_s";
    /// Columns that hold text, not numbers.
    pub const TEXT: [&str; 1] = [SPLIT];
}
pub use metrics::{HEAD as METRICS_HEAD, TAIL as METRICS_TAIL};

/// `breakdown.csv`: per-bucket accuracy of the final test evaluation, then one column per
/// heuristic scored on the same examples (agreement: `last_noun`).
pub mod breakdown {
    pub const HEADER: [&str; 4] = [BY, BUCKET, N, ACCURACY];
    /// The metadata key: attractors, distance, construction, interveners, label, position.
    pub const BY: &str = "by";
    pub const BUCKET: &str = "bucket";
    pub const N: &str = "n";
    pub const ACCURACY: &str = "accuracy";
    /// The sequential-recency heuristic's accuracy on the same examples.
    pub const LAST_NOUN: &str = "last_noun";
    pub const TEXT: [&str; 2] = [BY, BUCKET];
}

/// `gradflow.csv`: ‖∂L/∂h_t‖ (L2 over the batch) by probed step, layer, direction and time.
pub mod gradflow {
    pub const HEADER: [&str; 6] = [STEP, LAYER, DIRECTION, T, DISTANCE, NORM];
    pub const STEP: &str = "step";
    pub const LAYER: &str = "layer";
    /// 0 forward, 1 backward (bidirectional models).
    pub const DIRECTION: &str = "direction";
    pub const T: &str = "t";
    /// Steps between h_t and where the loss is read (for the backward direction, from the
    /// start of the sequence).
    pub const DISTANCE: &str = "distance";
    pub const NORM: &str = "norm";
}

/// One row of `metrics.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsRow {
    pub step: usize,
    pub split: &'static str,
    pub loss: f64,
    /// Task metrics, in the header's column order; None where not measured.
    pub metrics: Vec<Option<f64>>,
    pub grad_norm: Option<f64>,
    pub clip_rate: Option<f64>,
    pub elapsed_s: f64,
}

/// One row of `breakdown.csv`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BreakdownRow {
    pub by: String,
    pub bucket: String,
    pub n: f64,
    pub accuracy: f64,
    /// The last-noun heuristic's accuracy on the same examples, where the metadata tells.
    pub last_noun: Option<f64>,
}

/// One row of `gradflow.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradflowRow {
    pub step: usize,
    pub layer: usize,
    pub direction: usize,
    pub t: usize,
    pub distance: usize,
    pub norm: f64,
}

/// The header of a `metrics.csv` whose task reports `columns` (besides `loss`).
pub fn metrics_header<'a>(columns: &[&'a str]) -> Vec<&'a str> {
    let mut header: Vec<&str> = METRICS_HEAD.to_vec();
    header.extend_from_slice(columns);
    header.extend_from_slice(&METRICS_TAIL);
    header
}

/// Rewrites `metrics.csv` with all rows so far.
pub fn write_metrics(
    path: &Path,
    columns: &[&str],
    rows: &[MetricsRow],
) -> Result<(), ResultsError> {
    let records = rows.iter().map(|r| {
        let mut rec = vec![
            r.step.to_string(),
            r.split.to_string(),
            format!("{}", r.loss),
        ];
        rec.extend(r.metrics.iter().map(|m| num(*m)));
        rec.extend([
            num(r.grad_norm),
            num(r.clip_rate),
            format!("{:.3}", r.elapsed_s),
        ]);
        rec
    });
    write_csv(path, &metrics_header(columns), records)
}

/// The `valid` rows' values of `column` in a `metrics.csv`, as (step, value) in file order;
/// an empty cell reads as NaN. For the search runner's rung decisions (the report scans the
/// file with polars).
pub fn read_valid(path: &Path, column: &str) -> Result<Vec<(usize, f64)>, ResultsError> {
    let mut file = CsvFile::open(path)?;
    let find = |name: &str| file.column(name);
    let (Some(step), Some(split), Some(col)) =
        (find(metrics::STEP), find(metrics::SPLIT), find(column))
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for rec in file.rows() {
        let rec = rec?;
        if rec.get(split) != Some("valid") {
            continue;
        }
        let Some(s) = rec.get(step).and_then(|s| s.parse().ok()) else {
            continue;
        };
        let v = rec
            .get(col)
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN);
        out.push((s, v));
    }
    Ok(out)
}

/// The gradient norm `distance` steps before the loss at the last probe of a `gradflow.csv`,
/// on the bottom layer's forward direction (layer 0, direction 0): what `grad.D` claims read.
/// None when the file is missing or has no such row.
pub fn read_gradient_at(path: &Path, distance: usize) -> Result<Option<f64>, ResultsError> {
    if !path.is_file() {
        return Ok(None);
    }
    let mut file = CsvFile::open(path)?;
    let columns = gradflow::HEADER.map(|name| file.column(name));
    let [Some(step), Some(layer), Some(direction), _, Some(at), Some(norm)] = columns else {
        return Ok(None);
    };
    // The last probe's step, and its norm at `distance` if it has one: an earlier probe's
    // value is not the run's (the chart reads the same last probe).
    let (mut last, mut value): (Option<usize>, Option<f64>) = (None, None);
    for rec in file.rows() {
        let rec = rec?;
        let number = |i: usize| rec.get(i).and_then(|v| v.parse::<usize>().ok());
        let Some(s) = number(step) else { continue };
        if number(layer) != Some(0) || number(direction) != Some(0) {
            continue;
        }
        if last.is_none_or(|l| s > l) {
            (last, value) = (Some(s), None);
        }
        if Some(s) == last && number(at) == Some(distance) {
            value = rec.get(norm).and_then(|v| v.parse().ok());
        }
    }
    Ok(value)
}

/// Writes `breakdown.csv`; the `last_noun` column only when some row has it.
pub fn write_breakdown(path: &Path, rows: &[BreakdownRow]) -> Result<(), ResultsError> {
    let with_last = rows.iter().any(|r| r.last_noun.is_some());
    let mut header = breakdown::HEADER.to_vec();
    if with_last {
        header.push(breakdown::LAST_NOUN);
    }
    let records = rows.iter().map(|r| {
        let mut rec = vec![
            r.by.clone(),
            r.bucket.clone(),
            format!("{}", r.n),
            format!("{}", r.accuracy),
        ];
        if with_last {
            rec.push(num(r.last_noun));
        }
        rec
    });
    write_csv(path, &header, records)
}

/// Writes `gradflow.csv`.
pub fn write_gradflow(path: &Path, rows: &[GradflowRow]) -> Result<(), ResultsError> {
    let records = rows.iter().map(|r| {
        vec![
            r.step.to_string(),
            r.layer.to_string(),
            r.direction.to_string(),
            r.t.to_string(),
            r.distance.to_string(),
            format!("{:e}", r.norm),
        ]
    });
    write_csv(path, &gradflow::HEADER, records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_rows_line_up_with_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metrics.csv");
        let rows = [MetricsRow {
            step: 100,
            split: "train",
            loss: 0.5,
            metrics: vec![None, Some(0.25)],
            grad_norm: Some(1.5),
            clip_rate: Some(0.0),
            elapsed_s: 2.0,
        }];
        write_metrics(&path, &["accuracy", "recall_accuracy"], &rows).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "step,split,loss,accuracy,recall_accuracy,grad_norm,clip_rate,elapsed_s\n\
             100,train,0.5,,0.25,1.5,0,2.000\n"
        );
    }

    #[test]
    fn valid_values_read_back_by_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metrics.csv");
        let row = |step, split, mse| MetricsRow {
            step,
            split,
            loss: 1.0,
            metrics: vec![mse],
            grad_norm: None,
            clip_rate: None,
            elapsed_s: 0.0,
        };
        let rows = [
            row(100, "train", None),
            row(100, "valid", Some(0.5)),
            row(200, "valid", None),
            row(200, "test", Some(0.1)),
        ];
        write_metrics(&path, &["mse"], &rows).unwrap();
        let got = read_valid(&path, "mse").unwrap();
        assert_eq!(got[0], (100, 0.5));
        assert_eq!(got.len(), 2);
        assert!(got[1].1.is_nan());
        assert!(read_valid(&path, "accuracy").unwrap().is_empty());
    }

    #[test]
    fn breakdown_has_last_noun_only_when_measured() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("breakdown.csv");
        let row = |last| BreakdownRow {
            by: "attractors".into(),
            bucket: "1".into(),
            n: 10.0,
            accuracy: 0.9,
            last_noun: last,
        };
        write_breakdown(&path, &[row(None)]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "by,bucket,n,accuracy\nattractors,1,10,0.9\n"
        );
        write_breakdown(&path, &[row(Some(0.0))]).unwrap();
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("by,bucket,n,accuracy,last_noun\n"));
    }

    #[test]
    fn gradflow_keeps_the_direction() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gradflow.csv");
        let row = GradflowRow {
            step: 0,
            layer: 0,
            direction: 1,
            t: 2,
            distance: 2,
            norm: 0.125,
        };
        write_gradflow(&path, &[row]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "step,layer,direction,t,distance,norm\n0,0,1,2,2,1.25e-1\n"
        );
    }

    #[test]
    fn the_gradient_at_a_distance_is_the_last_probes_bottom_forward_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gradflow.csv");
        let row = |step, layer, direction, distance, norm| GradflowRow {
            step,
            layer,
            direction,
            t: 9 - distance,
            distance,
            norm,
        };
        let rows = [
            row(0, 0, 0, 5, 1.0),
            row(100, 0, 0, 4, 2.0),
            row(100, 0, 0, 5, 3.0),
            row(100, 0, 1, 5, 4.0),
            row(100, 1, 0, 5, 5.0),
        ];
        write_gradflow(&path, &rows).unwrap();
        assert_eq!(read_gradient_at(&path, 5).unwrap(), Some(3.0));
        assert_eq!(read_gradient_at(&path, 4).unwrap(), Some(2.0));
        assert_eq!(read_gradient_at(&path, 7).unwrap(), None);
        // Distance 3 was probed at step 0 only: the last probe (step 100) has no such value.
        let early = [row(0, 0, 0, 3, 9.0), row(100, 0, 0, 5, 3.0)];
        write_gradflow(&path, &early).unwrap();
        assert_eq!(read_gradient_at(&path, 3).unwrap(), None);
        assert_eq!(
            read_gradient_at(&dir.path().join("no.csv"), 5).unwrap(),
            None
        );
    }
}
