//! Per-bucket accuracy from every run's breakdown.csv.

use polars::prelude::*;

use super::read::read;
use super::{floats, polars_err, strings};
use crate::load::Results;
use crate::stats::Describe;
use crate::ReportError;

/// One bucket of breakdown.csv over the seeds of a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub group: usize,
    /// What the buckets split by: `attractors`, `distance`, `position`.
    pub by: String,
    pub bucket: String,
    pub accuracy: Describe,
    /// Mean over seeds of each baseline column (e.g. `last_noun`).
    pub baselines: Vec<(String, f64)>,
}

/// breakdown.csv of every run, aggregated: columns `by`, `bucket`, `accuracy`, optionally
/// `n` (examples), and any further numeric columns taken as baselines' accuracies.
pub fn breakdown(results: &Results) -> Result<Vec<Bucket>, ReportError> {
    let mut out = Vec::new();
    for table in read(results, "breakdown.csv", &["by", "bucket"], |_| None, |g| g)? {
        let header = &table.header;
        for need in ["by", "bucket", "accuracy"] {
            if !header.iter().any(|h| h == need) {
                return Err(ReportError::Csv {
                    path: table.paths[0].clone(),
                    line: Some(1),
                    message: format!("breakdown.csv needs a `{need}` column (by,bucket,n,accuracy,<baselines>...)"),
                });
            }
        }
        let baseline_cols: Vec<&String> = header
            .iter()
            .filter(|h| !["by", "bucket", "accuracy", "n"].contains(&h.as_str()))
            .collect();
        let mut aggs = vec![
            col("accuracy")
                .count()
                .cast(DataType::Float64)
                .alias("n_runs"),
            col("accuracy").mean().alias("mean"),
            col("accuracy").std(1).alias("sd"),
        ];
        for (k, b) in baseline_cols.iter().enumerate() {
            aggs.push(col(b.as_str()).mean().alias(format!("b{k}")));
        }
        let df = table
            .frame
            .lazy()
            .group_by([col("group"), col("by"), col("bucket")])
            .agg(aggs)
            .collect()
            .map_err(polars_err(&table.paths[0]))?;
        let dir = &results.dir;
        let (groups, by, bucket) = (
            floats(&df, "group", dir)?,
            strings(&df, "by", dir)?,
            strings(&df, "bucket", dir)?,
        );
        let (n, mean, sd) = (
            floats(&df, "n_runs", dir)?,
            floats(&df, "mean", dir)?,
            floats(&df, "sd", dir)?,
        );
        let baselines: Vec<Vec<f64>> = (0..baseline_cols.len())
            .map(|k| floats(&df, &format!("b{k}"), dir))
            .collect::<Result<_, _>>()?;
        for i in 0..df.height() {
            out.push(Bucket {
                group: groups[i] as usize,
                by: by[i].clone(),
                bucket: bucket[i].clone(),
                accuracy: Describe::from_moments(n[i] as usize, mean[i], sd[i]),
                baselines: baseline_cols
                    .iter()
                    .zip(&baselines)
                    .map(|(name, v)| (name.to_string(), v[i]))
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.group, &a.by)
            .cmp(&(b.group, &b.by))
            .then(bucket_order(&a.bucket, &b.bucket))
    });
    Ok(out)
}

/// Buckets sort as numbers when they are numbers.
pub fn bucket_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    }
}
