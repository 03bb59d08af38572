//! The polars side: summaries aggregated over seeds, and the per-evaluation files of every run
//! (metrics.csv, breakdown.csv, gradflow.csv) scanned lazily and aggregated per variant.
//!
//! Why polars here: a large sweep has thousands of runs with dozens of evaluation rows each;
//! one lazy multi-file scan with a group-by reads them in parallel without holding every row as
//! a Rust struct. Files are grouped by their header line so that runs of different task kinds
//! (different metric columns) never share a schema; every column is read as Float64 except the
//! few text ones, so an all-empty column cannot turn into text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;

use crate::load::Results;
use crate::stats::Describe;
use crate::ReportError;

/// A metric over the seeds of one variant, with its run-status rates.
#[derive(Debug, Clone, PartialEq)]
pub struct CellStats {
    pub cell: usize,
    pub runs: usize,
    pub solved_rate: f64,
    pub diverged_rate: f64,
    pub median_steps_to_solve: f64,
    /// One per requested metric, in the order asked.
    pub metrics: Vec<Describe>,
}

fn polars_err(path: &Path) -> impl Fn(PolarsError) -> ReportError + '_ {
    move |e| ReportError::Polars {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// Aggregates run summaries per variant: n, mean, sd (and from them the 95% interval) of
/// each metric, the solved and diverged rates, and the median steps to solve.
pub fn cell_stats(results: &Results, metrics: &[String]) -> Result<Vec<CellStats>, ReportError> {
    let n = results.runs.len();
    let f64_col = |name: &str, f: &dyn Fn(usize) -> Option<f64>| {
        Column::new(name.into(), (0..n).map(f).collect::<Vec<Option<f64>>>())
    };
    let mut columns = vec![
        Column::new(
            "cell".into(),
            results
                .runs
                .iter()
                .map(|r| r.cell as u32)
                .collect::<Vec<_>>(),
        ),
        f64_col("solved", &|i| results.runs[i].summary.value("solved")),
        f64_col("diverged", &|i| results.runs[i].summary.value("diverged")),
        f64_col("steps_to_solve", &|i| {
            results.runs[i].summary.value("steps_to_solve")
        }),
    ];
    for (k, m) in metrics.iter().enumerate() {
        columns.push(f64_col(&format!("m{k}"), &|i| {
            results.runs[i].summary.value(m)
        }));
    }
    let df = DataFrame::new(n, columns).map_err(polars_err(&results.dir))?;
    let mut aggs = vec![
        len().cast(DataType::Float64).alias("runs"),
        col("solved").mean().alias("solved_rate"),
        col("diverged").mean().alias("diverged_rate"),
        col("steps_to_solve").median().alias("median_steps"),
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
        .group_by([col("cell")])
        .agg(aggs)
        .sort(["cell"], Default::default())
        .collect()
        .map_err(polars_err(&results.dir))?;
    let get = |name: &str| floats(&out, name, &results.dir);
    let cells = out
        .column("cell")
        .and_then(|c| c.cast(&DataType::Float64))
        .and_then(|c| Ok(c.f64()?.iter().collect::<Vec<_>>()))
        .map_err(polars_err(&results.dir))?;
    let (runs, solved, diverged, median) = (
        get("runs")?,
        get("solved_rate")?,
        get("diverged_rate")?,
        get("median_steps")?,
    );
    let mut per_metric = Vec::new();
    for k in 0..metrics.len() {
        per_metric.push((
            get(&format!("n{k}"))?,
            get(&format!("mean{k}"))?,
            get(&format!("sd{k}"))?,
        ));
    }
    Ok((0..out.height())
        .map(|i| CellStats {
            cell: cells[i].unwrap_or(0.0) as usize,
            runs: runs[i] as usize,
            solved_rate: solved[i],
            diverged_rate: diverged[i],
            median_steps_to_solve: median[i],
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

/// A column as f64 values, null as NaN.
fn floats(df: &DataFrame, name: &str, path: &Path) -> Result<Vec<f64>, ReportError> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Float64))
        .map_err(polars_err(path))?;
    let ca = c.f64().map_err(polars_err(path))?;
    Ok(ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

fn strings(df: &DataFrame, name: &str, path: &Path) -> Result<Vec<String>, ReportError> {
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

/// One point of a learning curve: a metric at a step, over the seeds of a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    pub cell: usize,
    pub split: String,
    pub step: f64,
    pub stats: Describe,
}

/// Files by header line: (path, cell) of each.
type FileGroups = BTreeMap<Vec<String>, Vec<(PathBuf, usize)>>;

/// Files of one kind (`metrics.csv`, ...) of every run, grouped by header line: each group
/// can be scanned with one schema. Runs without the file are skipped.
fn file_groups(results: &Results, file: &str) -> Result<FileGroups, ReportError> {
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
        groups.entry(header).or_default().push((path, run.cell));
    }
    Ok(groups)
}

/// A lazy scan of the files of one group with a `path` column, joined to their cell.
fn scan(
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
    let cells: Vec<u32> = files.iter().map(|(_, c)| *c as u32).collect();
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
            Column::new("cell".into(), cells),
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
fn locate(
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

/// Learning curves: `column` of metrics.csv per variant, split and step, over seeds.
pub fn curves(results: &Results, column: &str) -> Result<Vec<CurvePoint>, ReportError> {
    let identity: Vec<usize> = (0..results.cells.len()).collect();
    curves_by(results, column, &identity)
}

/// Learning curves with the runs of several variants pooled: `group[cell]` is the line a
/// cell's runs belong to, and [`CurvePoint::cell`] is then that line's index.
pub fn curves_by(
    results: &Results,
    column: &str,
    group: &[usize],
) -> Result<Vec<CurvePoint>, ReportError> {
    let text = ["split"];
    let mut points = Vec::new();
    for (header, files) in file_groups(results, "metrics.csv")? {
        let files: Vec<(PathBuf, usize)> = files.into_iter().map(|(p, c)| (p, group[c])).collect();
        if !header.iter().any(|h| h == column) || !header.iter().any(|h| h == "step") {
            continue;
        }
        let df = scan(&header, &files, &text)
            .and_then(|lf| {
                lf.filter(col(column).is_finite())
                    .group_by([col("cell"), col("split"), col("step")])
                    .agg([
                        col(column).count().cast(DataType::Float64).alias("n"),
                        col(column).mean().alias("mean"),
                        col(column).std(1).alias("sd"),
                    ])
                    .collect()
            })
            .map_err(|e| locate(&files, &header, &text, e))?;
        let dir = &results.dir;
        let (cells, splits, steps) = (
            floats(&df, "cell", dir)?,
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
                cell: cells[i] as usize,
                split: splits[i].clone(),
                step: steps[i],
                stats: Describe::from_moments(n[i] as usize, mean[i], sd[i]),
            });
        }
    }
    points.sort_by(|a, b| {
        (a.cell, &a.split)
            .cmp(&(b.cell, &b.split))
            .then(a.step.total_cmp(&b.step))
    });
    Ok(points)
}

/// One bucket of breakdown.csv over the seeds of a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub cell: usize,
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
    let text = ["by", "bucket"];
    let mut out = Vec::new();
    for (header, files) in file_groups(results, "breakdown.csv")? {
        for need in ["by", "bucket", "accuracy"] {
            if !header.iter().any(|h| h == need) {
                return Err(ReportError::Csv {
                    path: files[0].0.clone(),
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
        let df = scan(&header, &files, &text)
            .and_then(|lf| {
                lf.group_by([col("cell"), col("by"), col("bucket")])
                    .agg(aggs)
                    .collect()
            })
            .map_err(|e| locate(&files, &header, &text, e))?;
        let dir = &results.dir;
        let (cells, by, bucket) = (
            floats(&df, "cell", dir)?,
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
                cell: cells[i] as usize,
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
        (a.cell, &a.by)
            .cmp(&(b.cell, &b.by))
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

/// ‖∂L/∂h_t‖ at one distance from the loss, over the seeds of a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct GradPoint {
    pub cell: usize,
    pub distance: f64,
    pub norm: Describe,
}

/// gradflow.csv of every run: columns `step`, `layer`, `t`, `norm` (or `grad_norm`), and
/// optionally `distance` (steps between h_t and the loss; default max(t) - t of the run).
/// Keeps each run's last probed step and first layer (layer 0: the gradient that has to travel
/// furthest), then averages the norm over seeds per distance.
pub fn gradflow(results: &Results) -> Result<Vec<GradPoint>, ReportError> {
    let mut out = Vec::new();
    for (header, files) in file_groups(results, "gradflow.csv")? {
        let has = |c: &str| header.iter().any(|h| h == c);
        let norm = if has("norm") { "norm" } else { "grad_norm" };
        for need in ["step", "t", norm] {
            if !has(need) {
                return Err(ReportError::Csv {
                    path: files[0].0.clone(),
                    line: Some(1),
                    message: format!("gradflow.csv needs a `{need}` column (step,layer,t,norm)"),
                });
            }
        }
        let distance = if has("distance") {
            col("distance")
        } else {
            col("t")
                .max()
                .over([col("path")])
                .map_err(polars_err(&results.dir))?
                - col("t")
        };
        let mut lf = scan(&header, &files, &[]).map_err(|e| locate(&files, &header, &[], e))?;
        if has("layer") {
            lf = lf.filter(col("layer").eq(lit(0.0)));
        }
        let last_step = col("step")
            .max()
            .over([col("path")])
            .map_err(polars_err(&results.dir))?;
        let df = lf
            .filter(col("step").eq(last_step))
            .with_columns([distance.alias("dist")])
            .filter(col(norm).is_finite())
            .group_by([col("cell"), col("dist")])
            .agg([
                col(norm).count().cast(DataType::Float64).alias("n"),
                col(norm).mean().alias("mean"),
                col(norm).std(1).alias("sd"),
            ])
            .collect()
            .map_err(|e| locate(&files, &header, &[], e))?;
        let dir = &results.dir;
        let (cells, dist) = (floats(&df, "cell", dir)?, floats(&df, "dist", dir)?);
        let (n, mean, sd) = (
            floats(&df, "n", dir)?,
            floats(&df, "mean", dir)?,
            floats(&df, "sd", dir)?,
        );
        for i in 0..df.height() {
            out.push(GradPoint {
                cell: cells[i] as usize,
                distance: dist[i],
                norm: Describe::from_moments(n[i] as usize, mean[i], sd[i]),
            });
        }
    }
    out.sort_by(|a, b| a.cell.cmp(&b.cell).then(a.distance.total_cmp(&b.distance)));
    Ok(out)
}
