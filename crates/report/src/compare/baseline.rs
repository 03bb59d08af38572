//! What `rnnlab compare` compares: the summary of a results folder (one row per variant ×
//! `final.*` metric, each run's value with its seed) and its committed form
//! (`--save-baseline`, docs/results.md "Baselines").
//!
//! Three file formats are read. The current one keeps every run,
//! `variant,metric,seed,value,build,cpu`, so that the gate can pair runs by seed and run exact
//! tests, and knows on which processor the runs were made (libtorch's kernels need not give
//! bit-identical results on another one); a row whose runs all lack a finite value is one line
//! with empty seed and value. The one before it lacks `cpu`. The oldest,
//! `variant,metric,n,mean,sd`, keeps moments only: against it the gate falls back to Welch's
//! test and says so.

use std::collections::BTreeSet;
use std::path::Path;

use crate::load::Results;
use crate::metric::{final_metrics, main_metric};
use crate::stats::Describe;
use crate::table::{Csv, Exporter, Table};
use crate::ReportError;

/// The per-run header (the form `--save-baseline` writes).
pub const RUNS_HEADER: [&str; 6] = ["variant", "metric", "seed", "value", "build", "cpu"];
/// The per-run header before the processor was recorded, still read.
pub const RUNS_HEADER_NO_CPU: [&str; 5] = ["variant", "metric", "seed", "value", "build"];
/// The old moment-only header, still read.
pub const MOMENTS_HEADER: [&str; 5] = ["variant", "metric", "n", "mean", "sd"];

/// One run's value of a metric.
#[derive(Debug, Clone, PartialEq)]
pub struct RunValue {
    pub seed: String,
    pub value: f64,
}

/// One row of a summary: a metric of a variant over its seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub variant: String,
    pub metric: String,
    pub stats: Describe,
    /// Every run with a finite value, in seed order; None for a moment-only baseline.
    pub runs: Option<Vec<RunValue>>,
}

impl SummaryRow {
    /// A row from the runs' values.
    pub fn of_runs(variant: &str, metric: &str, mut runs: Vec<RunValue>) -> SummaryRow {
        runs.sort_by(|a, b| natural(&a.seed, &b.seed));
        let values: Vec<f64> = runs.iter().map(|r| r.value).collect();
        SummaryRow {
            variant: variant.into(),
            metric: metric.into(),
            stats: Describe::of(&values),
            runs: Some(runs),
        }
    }

    pub fn values(&self) -> Option<Vec<f64>> {
        self.runs
            .as_ref()
            .map(|r| r.iter().map(|r| r.value).collect())
    }
}

/// A side of a comparison: its rows and the builds that made its runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub rows: Vec<SummaryRow>,
    /// Distinct `Build`s of the runs (`rnnlab X commit Y libtorch Z`), sorted.
    pub builds: BTreeSet<String>,
    /// Distinct processors (summary.json `cpu`) of the runs; empty when not recorded.
    pub cpus: BTreeSet<String>,
    /// True for an old `variant,metric,n,mean,sd` file.
    pub moments_only: bool,
}

/// Seeds compare as numbers when both are, so that 10 sorts after 9.
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    }
}

/// The summary of a results folder: every `final.*` metric of every variant, main metric
/// first.
pub fn summarize(results: &Results) -> Snapshot {
    let main = main_metric(results);
    let metrics = final_metrics(results, &main);
    let mut rows = Vec::new();
    for (g, group) in results.groups.iter().enumerate() {
        for m in &metrics {
            let runs = group
                .runs
                .iter()
                .filter_map(|&r| {
                    let run = &results.runs[r];
                    crate::load::value(&run.summary, m).map(|value| RunValue {
                        seed: run.seed.clone(),
                        value,
                    })
                })
                .collect();
            rows.push(SummaryRow::of_runs(&results.group_label(g), m, runs));
        }
    }
    let builds = results
        .runs
        .iter()
        .map(|r| r.summary.build().to_string())
        .collect();
    let cpus = results
        .runs
        .iter()
        .map(|r| r.summary.cpu.clone())
        .filter(|c| !c.is_empty())
        .collect();
    Snapshot {
        rows,
        builds,
        cpus,
        moments_only: false,
    }
}

/// The build and processor of every run of a results folder, by variant and seed (for the
/// CSV).
fn builds_by_run(results: &Results) -> Vec<(String, String, String, String)> {
    results
        .runs
        .iter()
        .map(|r| {
            (
                results.group_label(r.group),
                r.seed.clone(),
                r.summary.build().to_string(),
                r.summary.cpu.clone(),
            )
        })
        .collect()
}

/// Full precision: Rust prints the shortest text that reads back as the same f64, so a
/// comparison against the file is the same as against the folder (bit-identical values stay
/// identical).
fn full(x: f64) -> String {
    if x.is_finite() {
        format!("{x:e}")
    } else {
        String::new()
    }
}

/// The committed form of a results folder: `variant,metric,seed,value,build,cpu`.
pub fn summary_csv(results: &Results) -> String {
    let snapshot = summarize(results);
    let builds = builds_by_run(results);
    let made_by = |variant: &str, seed: &str| {
        builds
            .iter()
            .find(|(v, s, ..)| v == variant && s == seed)
            .map(|(_, _, b, c)| (b.clone(), c.clone()))
            .unwrap_or_default()
    };
    let mut t = Table::new(RUNS_HEADER);
    for r in &snapshot.rows {
        let runs = r.runs.as_deref().unwrap_or_default();
        if runs.is_empty() {
            t.push(vec![
                r.variant.clone(),
                r.metric.clone(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
            ]);
        }
        for run in runs {
            let (build, cpu) = made_by(&r.variant, &run.seed);
            t.push(vec![
                r.variant.clone(),
                r.metric.clone(),
                run.seed.clone(),
                full(run.value),
                build,
                cpu,
            ]);
        }
    }
    Csv.export(&t)
}

/// A summary from a results folder or a committed CSV (either format).
pub fn load_summary(path: &Path) -> Result<Snapshot, ReportError> {
    if path.is_dir() {
        return Ok(summarize(&Results::load_confirmed(path)?));
    }
    let text = std::fs::read_to_string(path).map_err(ReportError::io(path))?;
    let mut lines = text.lines();
    let header = lines.next().map(split_csv).unwrap_or_default();
    let moments_only = if header == MOMENTS_HEADER {
        true
    } else if header == RUNS_HEADER || header == RUNS_HEADER_NO_CPU {
        false
    } else {
        return Err(ReportError::Baseline {
            path: path.to_owned(),
            message: format!(
                "the header is `{}`, expected `{}` (or the older `{}`)",
                header.join(","),
                RUNS_HEADER.join(","),
                MOMENTS_HEADER.join(",")
            ),
        });
    };
    let mut snapshot = Snapshot {
        moments_only,
        ..Snapshot::default()
    };
    // (variant, metric) in file order, with the runs read so far.
    let mut grouped: Vec<(String, String, Vec<RunValue>)> = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| ReportError::Csv {
            path: path.to_owned(),
            line: Some(i + 2),
            message,
        };
        let f = split_csv(line);
        if f.len() != header.len() {
            return Err(bad(format!(
                "{} fields, expected {}",
                f.len(),
                header.len()
            )));
        }
        let num = |s: &str| -> Result<f64, ReportError> {
            if s.is_empty() {
                return Ok(f64::NAN);
            }
            s.parse().map_err(|_| bad(format!("`{s}` is not a number")))
        };
        if moments_only {
            snapshot.rows.push(SummaryRow {
                variant: f[0].clone(),
                metric: f[1].clone(),
                stats: Describe::from_moments(num(&f[2])? as usize, num(&f[3])?, num(&f[4])?),
                runs: None,
            });
            continue;
        }
        if !f[4].is_empty() {
            snapshot.builds.insert(f[4].clone());
        }
        if let Some(cpu) = f.get(5).filter(|c| !c.is_empty()) {
            snapshot.cpus.insert(cpu.clone());
        }
        let at = match grouped
            .iter()
            .position(|(v, m, _)| *v == f[0] && *m == f[1])
        {
            Some(at) => at,
            None => {
                grouped.push((f[0].clone(), f[1].clone(), Vec::new()));
                grouped.len() - 1
            }
        };
        let value = num(&f[3])?;
        if value.is_finite() {
            grouped[at].2.push(RunValue {
                seed: f[2].clone(),
                value,
            });
        }
    }
    snapshot.rows.extend(
        grouped
            .into_iter()
            .map(|(v, m, runs)| SummaryRow::of_runs(&v, &m, runs)),
    );
    Ok(snapshot)
}

/// Splits one CSV line, honouring double quotes.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}
