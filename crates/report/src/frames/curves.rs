//! Learning curves from every run's metrics.csv.

use polars::prelude::*;

use super::read::read;
use super::{floats, polars_err, strings};
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
    let mut points = Vec::new();
    let wanted = |_: &[String]| Some(vec!["step".into(), "split".into(), column.to_string()]);
    for table in read(results, "metrics.csv", &["split"], wanted, |g| line_of[g])? {
        let header = &table.header;
        if !header.iter().any(|h| h == column) || !header.iter().any(|h| h == "step") {
            continue;
        }
        let df = table
            .frame
            .lazy()
            .filter(col(column).is_finite())
            .group_by([col("group"), col("split"), col("step")])
            .agg([
                col(column).count().cast(DataType::Float64).alias("n"),
                col(column).mean().alias("mean"),
                col(column).std(1).alias("sd"),
            ])
            .collect()
            .map_err(polars_err(&table.paths[0]))?;
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
