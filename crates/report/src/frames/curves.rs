//! Learning curves from every run's metrics.csv.

use std::path::PathBuf;

use polars::prelude::*;

use super::{file_groups, floats, locate, scan, strings};
use crate::load::Results;
use crate::stats::Describe;
use crate::ReportError;

/// One point of a learning curve: a metric at a step, over the seeds of a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    pub group: usize,
    pub split: String,
    pub step: f64,
    pub stats: Describe,
}

/// Learning curves: `column` of metrics.csv per variant, split and step, over seeds.
pub fn curves(results: &Results, column: &str) -> Result<Vec<CurvePoint>, ReportError> {
    let identity: Vec<usize> = (0..results.groups.len()).collect();
    curves_by(results, column, &identity)
}

/// Learning curves with the runs of several variants pooled: `line_of[group]` is the line a
/// group's runs belong to, and [`CurvePoint::group`] is then that line's index.
pub fn curves_by(
    results: &Results,
    column: &str,
    line_of: &[usize],
) -> Result<Vec<CurvePoint>, ReportError> {
    let text = ["split"];
    let mut points = Vec::new();
    for (header, files) in file_groups(results, "metrics.csv")? {
        let files: Vec<(PathBuf, usize)> =
            files.into_iter().map(|(p, g)| (p, line_of[g])).collect();
        if !header.iter().any(|h| h == column) || !header.iter().any(|h| h == "step") {
            continue;
        }
        let df = scan(&header, &files, &text)
            .and_then(|lf| {
                lf.filter(col(column).is_finite())
                    .group_by([col("group"), col("split"), col("step")])
                    .agg([
                        col(column).count().cast(DataType::Float64).alias("n"),
                        col(column).mean().alias("mean"),
                        col(column).std(1).alias("sd"),
                    ])
                    .collect()
            })
            .map_err(|e| locate(&files, &header, &text, e))?;
        let dir = &results.dir;
        let (groups, splits, steps) = (
            floats(&df, "group", dir)?,
            strings(&df, "split", dir)?,
            floats(&df, "step", dir)?,
        );
        let (n, mean, sd) = (
            floats(&df, "n", dir)?,
            floats(&df, "mean", dir)?,
            floats(&df, "sd", dir)?,
        );
        for i in 0..df.height() {
            points.push(CurvePoint {
                group: groups[i] as usize,
                split: splits[i].clone(),
                step: steps[i],
                stats: Describe::from_moments(n[i] as usize, mean[i], sd[i]),
            });
        }
    }
    points.sort_by(|a, b| {
        (a.group, &a.split)
            .cmp(&(b.group, &b.split))
            .then(a.step.total_cmp(&b.step))
    });
    Ok(points)
}
