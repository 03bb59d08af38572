//! Gradient norms through time from every run's gradflow.csv.

use polars::prelude::*;
use rnnlab_results::files::gradflow as gf;

use super::floats;
use super::polars_err;
use super::read::read;
use crate::load::Results;
use crate::stats::Describe;
use crate::ReportError;

/// ‖∂L/∂h_t‖ at one distance from the loss, over the seeds of a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct GradPoint {
    pub group: usize,
    /// 0 forward, 1 backward (bidirectional models): the two directions read the sequence
    /// from opposite ends, so their norms are never pooled.
    pub direction: usize,
    pub distance: f64,
    pub norm: Describe,
}

/// gradflow.csv of every run (columns in rnnlab_results::files::gradflow): `step`, `t`,
/// `norm`, and optionally `layer`, `direction` (default 0) and `distance` (steps between h_t
/// and the loss; default max(t) - t of the run). Keeps each run's last probed step and first
/// layer (layer 0: the gradient that has to travel furthest), then averages the norm over
/// seeds per direction and distance.
pub fn gradflow(results: &Results) -> Result<Vec<GradPoint>, ReportError> {
    let mut out = Vec::new();
    for table in read(results, "gradflow.csv", &[], |_| None, |g| g)? {
        let header = &table.header;
        let has = |c: &str| header.iter().any(|h| h == c);
        let norm = if has(gf::NORM) { gf::NORM } else { "grad_norm" };
        for need in [gf::STEP, gf::T, norm] {
            if !has(need) {
                return Err(ReportError::Csv {
                    path: table.paths[0].clone(),
                    line: Some(1),
                    message: format!(
                        "gradflow.csv needs a `{need}` column ({})",
                        gf::HEADER.join(",")
                    ),
                });
            }
        }
        let distance = if has("distance") {
            col("distance")
        } else {
            col("t")
                .max()
                .over([col("file")])
                .map_err(polars_err(&results.dir))?
                - col("t")
        };
        let direction = if has(gf::DIRECTION) {
            col(gf::DIRECTION)
        } else {
            lit(0.0)
        };
        let mut lf = table.frame.lazy();
        if has(gf::LAYER) {
            lf = lf.filter(col(gf::LAYER).eq(lit(0.0)));
        }
        let last_step = col("step")
            .max()
            .over([col("file")])
            .map_err(polars_err(&results.dir))?;
        let df = lf
            .filter(col("step").eq(last_step))
            .with_columns([distance.alias("dist"), direction.alias("dir")])
            .filter(col(norm).is_finite())
            .group_by([col("group"), col("dir"), col("dist")])
            .agg([
                col(norm).count().cast(DataType::Float64).alias("n"),
                col(norm).mean().alias("mean"),
                col(norm).std(1).alias("sd"),
            ])
            .collect()
            .map_err(polars_err(&table.paths[0]))?;
        let dir = &results.dir;
        let (groups, dist) = (floats(&df, "group", dir)?, floats(&df, "dist", dir)?);
        let directions = floats(&df, "dir", dir)?;
        let (n, mean, sd) = (
            floats(&df, "n", dir)?,
            floats(&df, "mean", dir)?,
            floats(&df, "sd", dir)?,
        );
        for i in 0..df.height() {
            out.push(GradPoint {
                group: groups[i] as usize,
                direction: directions[i] as usize,
                distance: dist[i],
                norm: Describe::from_moments(n[i] as usize, mean[i], sd[i]),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.group, a.direction)
            .cmp(&(b.group, b.direction))
            .then(a.distance.total_cmp(&b.distance))
    });
    Ok(out)
}
