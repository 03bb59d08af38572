//! Run summaries aggregated per group over its seeds.

use polars::prelude::*;

use super::{floats, polars_err};
use crate::load::Results;
use crate::stats::Describe;
use crate::ReportError;

/// A metric over the seeds of one variant, with its run-status rates.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupStats {
    pub group: usize,
    pub runs: usize,
    pub solved_rate: f64,
    pub diverged_rate: f64,
    /// One per requested metric, in the order asked.
    pub metrics: Vec<Describe>,
}

/// Aggregates run summaries per variant: n, mean, sd (and from them the 95% interval) of
/// each metric's finite values, and the solved and diverged rates. (The tables count every
/// run through [`crate::aggregate::counting`]; these moments feed the charts and baseline comparisons.)
pub fn group_stats(results: &Results, metrics: &[String]) -> Result<Vec<GroupStats>, ReportError> {
    let n = results.runs.len();
    let f64_col = |name: &str, f: &dyn Fn(usize) -> Option<f64>| {
        Column::new(name.into(), (0..n).map(f).collect::<Vec<Option<f64>>>())
    };
    let mut columns = vec![
        Column::new(
            "group".into(),
            results
                .runs
                .iter()
                .map(|r| r.group as u32)
                .collect::<Vec<_>>(),
        ),
        f64_col("solved", &|i| {
            crate::load::value(&results.runs[i].summary, "solved")
        }),
        f64_col("diverged", &|i| {
            crate::load::value(&results.runs[i].summary, "diverged")
        }),
    ];
    for (k, m) in metrics.iter().enumerate() {
        columns.push(f64_col(&format!("m{k}"), &|i| {
            crate::load::value(&results.runs[i].summary, m)
        }));
    }
    let df = DataFrame::new(n, columns).map_err(polars_err(&results.dir))?;
    let mut aggs = vec![
        len().cast(DataType::Float64).alias("runs"),
        col("solved").mean().alias("solved_rate"),
        col("diverged").mean().alias("diverged_rate"),
    ];
    for k in 0..metrics.len() {
        let c = format!("m{k}");
        aggs.push(
            col(c.as_str())
                .count()
                .cast(DataType::Float64)
                .alias(format!("n{k}")),
        );
        aggs.push(col(c.as_str()).mean().alias(format!("mean{k}")));
        aggs.push(col(c.as_str()).std(1).alias(format!("sd{k}")));
    }
    let out = df
        .lazy()
        .group_by([col("group")])
        .agg(aggs)
        .sort(["group"], Default::default())
        .collect()
        .map_err(polars_err(&results.dir))?;
    let get = |name: &str| floats(&out, name, &results.dir);
    let groups = out
        .column("group")
        .and_then(|c| c.cast(&DataType::Float64))
        .and_then(|c| Ok(c.f64()?.iter().collect::<Vec<_>>()))
        .map_err(polars_err(&results.dir))?;
    let (runs, solved, diverged) = (get("runs")?, get("solved_rate")?, get("diverged_rate")?);
    let mut per_metric = Vec::new();
    for k in 0..metrics.len() {
        per_metric.push((
            get(&format!("n{k}"))?,
            get(&format!("mean{k}"))?,
            get(&format!("sd{k}"))?,
        ));
    }
    Ok((0..out.height())
        .map(|i| GroupStats {
            group: groups[i].unwrap_or(0.0) as usize,
            runs: runs[i] as usize,
            solved_rate: solved[i],
            diverged_rate: diverged[i],
            metrics: per_metric
                .iter()
                .map(|(n, mean, sd)| {
                    if n[i] < 1.0 {
                        Describe::of(&[])
                    } else {
                        Describe::from_moments(n[i] as usize, mean[i], sd[i])
                    }
                })
                .collect(),
        })
        .collect())
}
