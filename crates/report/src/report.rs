//! `rnnlab report`: tables, charts and report.md for a results folder.
//!
//! The report is a sequence of events (a section starts, a paragraph, a table, a figure) sent
//! to every [`Sink`]. A sink implements only the hooks it cares about; the others default to
//! nothing (the shape of criterion.rs's `Report` trait). [`TableFiles`] writes each table as
//! `tables/<name>.csv`; [`MarkdownDoc`] assembles report.md. Adding an output (HTML, JSON) is
//! one more sink, and the CSV files and the Markdown can never disagree.

use std::path::{Path, PathBuf};

use crate::charts::{self, Figure};
use crate::claims::{self, CheckOutcome};
use crate::env::Environment;
use crate::frames::{self, CellStats};
use crate::hints::{default_charts, ChartSpec};
use crate::load::Results;
use crate::metric::{column, final_metrics, main_metric};
use crate::stats::{main_effects, Describe};
use crate::table::{n4, num, Csv, Exporter, Markdown, Table};
use crate::ReportError;

/// Rows of a table shown in report.md; the CSV always has them all.
pub const MARKDOWN_ROWS: usize = 60;

/// How to build a report.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Where to write; default `<results>/report`.
    pub out: Option<PathBuf>,
    /// Skip the charts (tables and report.md only).
    pub no_charts: bool,
    /// State this environment instead of probing it (for reproducible reports in tests).
    pub environment: Option<Environment>,
}

/// What a report wrote.
#[derive(Debug, Clone)]
pub struct ReportSummary {
    pub report_md: PathBuf,
    pub tables: Vec<PathBuf>,
    pub figures: Vec<Figure>,
    pub runs: usize,
    pub variants: usize,
    /// The claims' verdict (None: the sweep makes no claims).
    pub claims_hold: Option<bool>,
}

/// Receives the report as it is built. Every hook defaults to doing nothing.
pub trait Sink {
    fn section(&mut self, _title: &str) {}
    fn paragraph(&mut self, _markdown: &str) {}
    /// A table named `name` (its CSV file stem); `show` says whether report.md shows it.
    fn table(&mut self, _name: &str, _table: &Table, _show: bool) -> Result<(), ReportError> {
        Ok(())
    }
    fn figure(&mut self, _figure: &Figure, _caption: &str) {}
}

/// Writes every table as `<dir>/<name>.csv`.
pub struct TableFiles {
    pub dir: PathBuf,
    pub written: Vec<PathBuf>,
}

impl Sink for TableFiles {
    fn table(&mut self, name: &str, table: &Table, _show: bool) -> Result<(), ReportError> {
        let path = self.dir.join(format!("{name}.csv"));
        std::fs::write(&path, Csv.export(table)).map_err(ReportError::io(&path))?;
        self.written.push(path);
        Ok(())
    }
}

/// Assembles report.md; figures and tables are linked relative to the report folder.
#[derive(Default)]
pub struct MarkdownDoc {
    pub text: String,
}

impl Sink for MarkdownDoc {
    fn section(&mut self, title: &str) {
        if !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
        self.text.push_str(&format!("## {title}\n\n"));
    }
    fn paragraph(&mut self, markdown: &str) {
        self.text.push_str(markdown.trim_end());
        self.text.push_str("\n\n");
    }
    fn table(&mut self, name: &str, table: &Table, show: bool) -> Result<(), ReportError> {
        if !show {
            return Ok(());
        }
        let mut shown = table.clone();
        shown.rows.truncate(MARKDOWN_ROWS);
        self.text.push_str(&Markdown.export(&shown));
        if table.rows.len() > MARKDOWN_ROWS {
            self.text.push_str(&format!(
                "\n{} of {} rows shown; all in [tables/{name}.csv](tables/{name}.csv).\n",
                MARKDOWN_ROWS,
                table.rows.len()
            ));
        } else {
            self.text.push_str(&format!(
                "\nAs CSV: [tables/{name}.csv](tables/{name}.csv).\n"
            ));
        }
        self.text.push('\n');
        Ok(())
    }
    fn figure(&mut self, figure: &Figure, caption: &str) {
        self.text.push_str(&format!(
            "![{}](figures/{}.png)\n\n{} ([SVG](figures/{}.svg))\n\n",
            figure.title, figure.stem, caption, figure.stem
        ));
    }
}

/// Fans events out to several sinks.
struct Sinks<'a>(Vec<&'a mut dyn Sink>);

impl Sinks<'_> {
    fn section(&mut self, t: &str) {
        self.0.iter_mut().for_each(|s| s.section(t));
    }
    fn paragraph(&mut self, t: &str) {
        self.0.iter_mut().for_each(|s| s.paragraph(t));
    }
    fn table(&mut self, name: &str, table: &Table, show: bool) -> Result<(), ReportError> {
        self.0
            .iter_mut()
            .try_for_each(|s| s.table(name, table, show))
    }
    fn figure(&mut self, f: &Figure, caption: &str) {
        self.0.iter_mut().for_each(|s| s.figure(f, caption));
    }
}

/// The aggregated view of a results folder that tables and charts read.
pub struct Ctx<'a> {
    pub results: &'a Results,
    pub main: String,
    /// The metrics aggregated in `stats`, main first.
    pub metrics: Vec<String>,
    /// Per cell (index = cell).
    pub stats: Vec<CellStats>,
}

impl<'a> Ctx<'a> {
    pub fn new(results: &'a Results) -> Result<Ctx<'a>, ReportError> {
        let main = main_metric(results);
        let mut metrics = final_metrics(results, &main);
        for extra in ["params", "wall_s", "steps_per_s"] {
            metrics.push(extra.into());
        }
        let stats = frames::cell_stats(results, &metrics)?;
        Ok(Ctx {
            results,
            main,
            metrics,
            stats,
        })
    }

    pub fn describe(&self, cell: usize, metric: &str) -> Describe {
        match self.metrics.iter().position(|m| m == metric) {
            Some(k) => self.stats[cell].metrics[k],
            None => Describe::of(&self.results.cell_values(cell, metric)),
        }
    }

    /// Header cells for the axes.
    fn axis_header(&self) -> Vec<String> {
        if self.results.axes.is_empty() {
            vec!["variant".into()]
        } else {
            self.results.axes.iter().map(|a| a.name.clone()).collect()
        }
    }

    fn axis_cells(&self, cell: usize) -> Vec<String> {
        if self.results.axes.is_empty() {
            vec!["all runs".into()]
        } else {
            self.results.cells[cell].levels.clone()
        }
    }
}

const STATUSES: [&str; 5] = ["completed", "solved", "diverged", "failed", "interrupted"];

fn status_counts(results: &Results, runs: &[usize]) -> Vec<usize> {
    let mut counts = vec![0; STATUSES.len() + 1];
    for &r in runs {
        let s = results.runs[r].summary.status.as_str();
        match STATUSES.iter().position(|k| *k == s) {
            Some(i) => counts[i] += 1,
            None => counts[STATUSES.len()] += 1,
        }
    }
    counts
}

/// Per-variant statistics of one metric.
pub fn metric_table(ctx: &Ctx, metric: &str) -> Table {
    let mut header = ctx.axis_header();
    let first = header.len();
    header.extend(
        [
            "n",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high",
            "solved_rate",
            "diverged_rate",
            "median_steps_to_solve",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    for (cell, s) in ctx.stats.iter().enumerate() {
        let d = ctx.describe(cell, metric);
        let mut row = ctx.axis_cells(cell);
        row.extend([
            d.n.to_string(),
            n4(d.mean),
            n4(d.sd),
            n4(d.ci_low()),
            n4(d.ci_high()),
            n4(s.solved_rate),
            n4(s.diverged_rate),
            num(s.median_steps_to_solve, 6),
        ]);
        t.push(row);
    }
    t
}

/// One row per variant: axes, n, status counts, and the mean ± sd of the main metric.
fn overview_table(ctx: &Ctx) -> Table {
    let mut header = ctx.axis_header();
    let first = header.len();
    header.push("runs".into());
    header.extend(STATUSES.iter().map(|s| s.to_string()));
    header.push(format!("{} mean", ctx.main));
    header.push(format!("{} sd", ctx.main));
    let mut t = Table::new(header).numeric_from(first);
    for (cell, c) in ctx.results.cells.iter().enumerate() {
        let counts = status_counts(ctx.results, &c.runs);
        let d = ctx.describe(cell, &ctx.main);
        let mut row = ctx.axis_cells(cell);
        row.push(c.runs.len().to_string());
        row.extend(counts[..STATUSES.len()].iter().map(|n| n.to_string()));
        row.push(n4(d.mean));
        row.push(n4(d.sd));
        t.push(row);
    }
    t
}

/// The short plain-text table `rnnlab run` prints at the end of a sweep.
pub fn summary_text(results: &Results) -> Result<String, ReportError> {
    let ctx = Ctx::new(results)?;
    let mut header = ctx.axis_header();
    let first = header.len();
    header.extend(["n".to_string(), "status".into(), ctx.main.clone()]);
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first + 1] = false;
    for (cell, c) in results.cells.iter().enumerate() {
        let counts = status_counts(results, &c.runs);
        let mut status: Vec<String> = STATUSES
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        if counts[STATUSES.len()] > 0 {
            status.push(format!("{} other", counts[STATUSES.len()]));
        }
        let d = ctx.describe(cell, &ctx.main);
        let mut row = ctx.axis_cells(cell);
        row.push(c.runs.len().to_string());
        row.push(status.join(", "));
        row.push(if d.n >= 2 {
            format!("{} ± {}", n4(d.mean), n4(d.sd))
        } else {
            n4(d.mean)
        });
        t.push(row);
    }
    Ok(crate::table::Plain.export(&t))
}

fn cost_table(ctx: &Ctx) -> Table {
    let mut header = ctx.axis_header();
    let first = header.len();
    header.extend(
        [
            "n",
            "params",
            "wall_s_mean",
            "wall_s_sd",
            "steps_per_s_mean",
            "steps_per_s_sd",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    for cell in 0..ctx.results.cells.len() {
        let p = ctx.describe(cell, "params");
        let w = ctx.describe(cell, "wall_s");
        let s = ctx.describe(cell, "steps_per_s");
        let mut row = ctx.axis_cells(cell);
        row.extend([
            w.n.max(s.n).to_string(),
            num(p.mean, 8),
            n4(w.mean),
            n4(w.sd),
            n4(s.mean),
            n4(s.sd),
        ]);
        t.push(row);
    }
    t
}

fn runs_table(ctx: &Ctx) -> Table {
    let r = ctx.results;
    let mut header = vec!["run".to_string()];
    header.extend(r.axes.iter().map(|a| a.name.clone()));
    let first = header.len();
    header.extend(
        [
            "seed",
            "status",
            "steps",
            &ctx.main,
            "steps_to_solve",
            "wall_s",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first + 1] = false;
    for run in &r.runs {
        let mut row = vec![run.id.clone()];
        row.extend(r.cells[run.cell].levels.iter().cloned());
        let v = |m: &str| run.summary.value(m).map(|x| num(x, 6)).unwrap_or_default();
        row.extend([
            run.seed.clone(),
            run.summary.status.clone(),
            v("steps"),
            v(&ctx.main),
            v("steps_to_solve"),
            v("wall_s"),
        ]);
        t.push(row);
    }
    t
}

fn effects_table(ctx: &Ctx) -> Table {
    let r = ctx.results;
    let axes: Vec<String> = r.axes.iter().map(|a| a.name.clone()).collect();
    let cells: Vec<(Vec<String>, Vec<f64>)> = r
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| (c.levels.clone(), r.cell_values(i, &ctx.main)))
        .collect();
    let mut t = Table::new(["source", "variance_explained"]).numeric_from(1);
    for e in main_effects(&axes, &cells) {
        t.push(vec![e.source, format!("{:.3}", e.fraction)]);
    }
    t
}

fn curves_table(ctx: &Ctx, points: &[frames::CurvePoint]) -> Table {
    let mut header = ctx.axis_header();
    let first = header.len();
    header.extend(["split", "step", "n", "mean", "sd", "ci95_low", "ci95_high"].map(String::from));
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first] = false;
    for p in points {
        let mut row = ctx.axis_cells(p.cell);
        row.extend([
            p.split.clone(),
            num(p.step, 9),
            p.stats.n.to_string(),
            n4(p.stats.mean),
            n4(p.stats.sd),
            n4(p.stats.ci_low()),
            n4(p.stats.ci_high()),
        ]);
        t.push(row);
    }
    t
}

fn breakdown_table(ctx: &Ctx, buckets: &[frames::Bucket]) -> Table {
    let mut names: Vec<String> = buckets
        .iter()
        .flat_map(|b| b.baselines.iter().map(|(n, _)| n.clone()))
        .collect();
    names.sort();
    names.dedup();
    let mut header = ctx.axis_header();
    let first = header.len();
    header.extend(["by", "bucket", "n", "accuracy", "ci95_low", "ci95_high"].map(String::from));
    header.extend(names.iter().cloned());
    let mut t = Table::new(header).numeric_from(first + 1);
    t.numeric[first] = false;
    for b in buckets {
        let mut row = ctx.axis_cells(b.cell);
        row.extend([
            b.by.clone(),
            b.bucket.clone(),
            b.accuracy.n.to_string(),
            n4(b.accuracy.mean),
            n4(b.accuracy.ci_low()),
            n4(b.accuracy.ci_high()),
        ]);
        for n in &names {
            let v = b
                .baselines
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| *v)
                .unwrap_or(f64::NAN);
            row.push(n4(v));
        }
        t.push(row);
    }
    t
}

fn gradflow_table(ctx: &Ctx, points: &[frames::GradPoint]) -> Table {
    let mut header = ctx.axis_header();
    let first = header.len();
    header.extend(["distance", "n", "mean", "sd"].map(String::from));
    let mut t = Table::new(header).numeric_from(first);
    for p in points {
        let mut row = ctx.axis_cells(p.cell);
        row.extend([
            num(p.distance, 9),
            p.norm.n.to_string(),
            n4(p.norm.mean),
            n4(p.norm.sd),
        ]);
        t.push(row);
    }
    t
}

/// Removes earlier generated files so a report never shows stale charts or tables.
fn clear(dir: &Path, extensions: &[&str]) -> Result<(), ReportError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension()
            .is_some_and(|x| extensions.iter().any(|e| x == *e))
        {
            std::fs::remove_file(&p).map_err(ReportError::io(&p))?;
        }
    }
    Ok(())
}

/// Builds the report of a loaded results folder.
pub fn build(results: &Results, options: &ReportOptions) -> Result<ReportSummary, ReportError> {
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| results.dir.join("report"));
    let tables_dir = out.join("tables");
    let figures_dir = out.join("figures");
    for d in [&tables_dir, &figures_dir] {
        std::fs::create_dir_all(d).map_err(ReportError::io(d))?;
    }
    clear(&tables_dir, &["csv"])?;
    clear(&figures_dir, &["svg", "png"])?;

    let ctx = Ctx::new(results)?;
    let curve_column = column(&ctx.main).to_string();
    let curve_points = frames::curves(results, &curve_column)?;
    let buckets = frames::breakdown(results)?;
    let grads = frames::gradflow(results)?;
    let outcome = claims::judge(results)?;

    let mut files = TableFiles {
        dir: tables_dir,
        written: Vec::new(),
    };
    let mut doc = MarkdownDoc::default();
    let mut figures = Vec::new();
    {
        let mut sinks = Sinks(vec![&mut files as &mut dyn Sink, &mut doc]);
        let sweep = &results.sweep;
        sinks.paragraph(&format!("# {}", sweep.name));
        if !sweep.description.trim().is_empty() {
            sinks.paragraph(sweep.description.trim());
        }

        // Runs.
        sinks.section("Runs");
        let mut counts_line = format!(
            "{} runs of {} variants",
            results.runs.len(),
            results.cells.len()
        );
        if !results.axes.is_empty() {
            let axes: Vec<String> = results
                .axes
                .iter()
                .map(|a| format!("`{}` ({})", a.name, a.levels.join(", ")))
                .collect();
            counts_line.push_str(&format!(", varying {}", axes.join(", ")));
        }
        counts_line.push('.');
        if results.pending > 0 {
            counts_line.push_str(&format!(
                " {} more run folders have no summary yet (running or not started).",
                results.pending
            ));
        }
        if results.stale > 0 {
            counts_line.push_str(&format!(
                " {} runs from an earlier version of the sweep file are left out.",
                results.stale
            ));
        }
        sinks.paragraph(&counts_line);
        let all: Vec<usize> = (0..results.runs.len()).collect();
        let counts = status_counts(results, &all);
        let mut status = Table::new(["status", "runs"]).numeric_from(1);
        for (s, n) in STATUSES.iter().zip(&counts) {
            status.push(vec![s.to_string(), n.to_string()]);
        }
        if counts[STATUSES.len()] > 0 {
            status.push(vec!["other".into(), counts[STATUSES.len()].to_string()]);
        }
        sinks.table("status", &status, true)?;
        sinks.table("variants", &overview_table(&ctx), false)?;
        sinks.table("runs", &runs_table(&ctx), false)?;
        let failed: Vec<String> = results
            .runs
            .iter()
            .filter(|r| r.summary.status == "failed")
            .take(5)
            .map(|r| {
                format!(
                    "- `{}` ({}): {}",
                    r.id,
                    results.cell_label(r.cell),
                    r.summary
                        .error
                        .clone()
                        .unwrap_or_else(|| "no error message".into())
                )
            })
            .collect();
        if !failed.is_empty() {
            sinks.paragraph(&format!(
                "Failed runs (first five):\n\n{}",
                failed.join("\n")
            ));
        }

        // One table per final metric.
        for metric in ctx.metrics.iter().filter(|m| m.starts_with("final.")) {
            let main = if *metric == ctx.main {
                " (main metric)"
            } else {
                ""
            };
            sinks.section(&format!("`{metric}`{main}"));
            sinks.paragraph(&format!(
                "`{metric}` per variant over seeds: mean, sample standard deviation, 95% t interval of the mean; solved and diverged rates and the median steps to solve count every run."
            ));
            sinks.table(
                &crate::charts::stem(&[metric.as_str()]),
                &metric_table(&ctx, metric),
                true,
            )?;
        }
        sinks.section("Cost");
        sinks.table("cost", &cost_table(&ctx), true)?;

        // Main effects.
        let effects = effects_table(&ctx);
        if !effects.is_empty() && !results.axes.is_empty() {
            sinks.section("Main effects");
            let full: usize = results.axes.iter().map(|a| a.levels.len()).product();
            let with_values = (0..results.cells.len())
                .filter(|&c| !results.cell_values(c, &ctx.main).is_empty())
                .count();
            let caveat = if with_values < full {
                format!(
                    " {} of the {full} grid cells have no value (excluded, or every run failed or diverged), so the axes overlap: each fraction is that axis's share on its own, and together they can exceed 1.",
                    full - with_values
                )
            } else {
                String::new()
            };
            sinks.paragraph(&format!(
                "Fraction of the variance of `{}` explained by each axis alone (functional ANOVA marginals over the grid, as Greff et al. 2017 measure importance), by interactions between axes, and by seeds within a cell.{caveat}",
                ctx.main,
            ));
            sinks.table("main_effects", &effects, true)?;
        }

        // Charts.
        if !curve_points.is_empty() {
            sinks.table("curves", &curves_table(&ctx, &curve_points), false)?;
        }
        if !buckets.is_empty() {
            sinks.table("breakdown", &breakdown_table(&ctx, &buckets), false)?;
        }
        if !grads.is_empty() {
            sinks.table("gradflow", &gradflow_table(&ctx, &grads), false)?;
        }
        if !options.no_charts {
            let mut bys: Vec<String> = buckets.iter().map(|b| b.by.clone()).collect();
            bys.sort();
            bys.dedup();
            let specs = match &results.hints.charts {
                Some(c) => c.clone(),
                None => default_charts(results, &bys, !grads.is_empty()),
            };
            let mut drawn = Vec::new();
            for spec in &specs {
                if let Some((plot, stem, caption)) =
                    chart(&ctx, spec, &curve_points, &buckets, &grads)?
                {
                    if plot.is_empty() {
                        continue;
                    }
                    let fig = charts::render(&plot, &figures_dir, &stem)?;
                    drawn.push((fig, caption));
                }
            }
            if !drawn.is_empty() {
                sinks.section("Charts");
                for (fig, caption) in &drawn {
                    sinks.figure(fig, caption);
                }
            }
            figures = drawn.into_iter().map(|(f, _)| f).collect();
        }

        // Claims.
        sinks.section("Claims");
        if outcome.claims.is_empty() {
            sinks.paragraph("The sweep makes no claims.");
        } else {
            sinks.paragraph(&format!("{outcome}"));
            sinks.table("claims", &outcome.csv_table(), false)?;
        }

        // Environment.
        sinks.section("Environment");
        let env = options
            .environment
            .clone()
            .unwrap_or_else(|| Environment::collect(results));
        sinks.paragraph(&env.markdown());
    }
    let report_md = out.join("report.md");
    let text = doc.text.trim().to_string() + "\n";
    std::fs::write(&report_md, text).map_err(ReportError::io(&report_md))?;
    Ok(ReportSummary {
        report_md,
        tables: files.written,
        figures,
        runs: results.runs.len(),
        variants: results.cells.len(),
        claims_hold: (!outcome.claims.is_empty()).then(|| outcome.passed()),
    })
}

type Drawn = Option<(charts::Plot, String, String)>;

/// Builds one chart spec into a plot, its file stem and its caption; None when the results
/// have nothing to draw for it.
fn chart(
    ctx: &Ctx,
    spec: &ChartSpec,
    curves: &[frames::CurvePoint],
    buckets: &[frames::Bucket],
    grads: &[frames::GradPoint],
) -> Result<Drawn, ReportError> {
    let r = ctx.results;
    let axis = |name: &str| {
        r.axis_index(name).ok_or_else(|| ReportError::Sweep {
            path: r.dir.join("sweep.yaml"),
            message: format!(
                "report.charts: `{name}` is not an axis of the sweep ({})",
                r.axes
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    };
    let metric_or_main = |m: &Option<String>| m.clone().unwrap_or_else(|| ctx.main.clone());
    Ok(match spec {
        ChartSpec::Curves { metric } => {
            let m = metric_or_main(metric);
            // One line per variant when they fit; else per combination of the leading axes,
            // with the runs of the others pooled.
            let (kept, pooled) = charts::series_axes(r, usize::MAX);
            let owned;
            let (pts, labels): (&[frames::CurvePoint], Vec<String>) = if pooled.is_empty() {
                let labels = (0..r.cells.len()).map(|c| r.series_label(c, &[])).collect();
                if column(&m) == column(&ctx.main) {
                    (curves, labels)
                } else {
                    owned = frames::curves(r, column(&m))?;
                    (&owned[..], labels)
                }
            } else {
                let mut keys: Vec<Vec<String>> = Vec::new();
                let mut labels = Vec::new();
                let mut group = Vec::new();
                for (cell, c) in r.cells.iter().enumerate() {
                    let key: Vec<String> = kept.iter().map(|&i| c.levels[i].clone()).collect();
                    let g = match keys.iter().position(|k| *k == key) {
                        Some(g) => g,
                        None => {
                            keys.push(key);
                            let except: Vec<usize> = pooled.clone();
                            labels.push(r.series_label(cell, &except));
                            keys.len() - 1
                        }
                    };
                    group.push(g);
                }
                owned = frames::curves_by(r, column(&m), &group)?;
                (&owned[..], labels)
            };
            let note = charts::pooled_note(r, &pooled);
            // A run that stops early has no later evaluations, so a line's later points average
            // only the runs still training; say so rather than let a dip read as forgetting.
            let early = r
                .runs
                .iter()
                .any(|run| matches!(run.summary.status.as_str(), "solved" | "diverged"));
            charts::curves::plot(pts, &m, &labels, &note).map(|mut p| {
                if early {
                    p.note.push_str("; runs that stopped early leave the mean");
                }
                let caption = format!(
                    "Learning curves of `{}` on the {} split, one line per {}: mean over {}, shaded 95% confidence band.{}",
                    column(&m),
                    charts::curves::split(pts).unwrap_or("valid"),
                    if pooled.is_empty() { "variant".to_string() } else { format!("level of {}", kept.iter().map(|&i| format!("`{}`", r.axes[i].name)).collect::<Vec<_>>().join(" × ")) },
                    if pooled.is_empty() { "seeds" } else { "runs" },
                    if early { " Runs that stopped early (solved or diverged) have no later points: past a run's last evaluation, a line is the mean of the runs still training." } else { "" },
                );
                (p, charts::stem(&["curves", column(&m)]), caption)
            })
        }
        ChartSpec::Versus { x, metric } => {
            let m = metric_or_main(metric);
            let a = axis(x)?;
            Some((
                charts::versus::plot(ctx, a, &m),
                charts::stem(&[m.as_str(), "vs", x]),
                format!("`{m}` against `{x}`, one line per combination of the other axes: mean over seeds with 95% intervals; dashed: the task's no-learning baselines for this metric."),
            ))
        }
        ChartSpec::Bars { x, series, metric } => {
            let m = metric_or_main(metric);
            let a = axis(x)?;
            let s = series.as_deref().map(axis).transpose()?;
            let stem = match series {
                Some(sn) => charts::stem(&[m.as_str(), "by", x, "and", sn]),
                None => charts::stem(&[m.as_str(), "by", x]),
            };
            Some((
                charts::bars::plot(ctx, a, s, &m),
                stem,
                format!("`{m}` by `{x}`{}: mean over seeds, whiskers the 95% interval.", series.as_deref().map(|s| format!(" and `{s}`")).unwrap_or_default()),
            ))
        }
        ChartSpec::Divergence { x } => {
            let a = axis(x)?;
            Some((
                charts::divergence::plot(ctx, a),
                charts::stem(&["divergence", "vs", x]),
                format!("Fraction of runs that diverged against `{x}`."),
            ))
        }
        ChartSpec::Breakdown { by } => charts::breakdown::plot(ctx, buckets, by).map(|p| {
            (
                p,
                charts::stem(&["breakdown", by]),
                format!("Final test accuracy by {by} (breakdown.csv), one line per variant with 95% intervals; dashed: baselines scored on the same buckets."),
            )
        }),
        ChartSpec::Gradflow => charts::gradflow::plot(ctx, grads).map(|p| {
            (
                p,
                "gradflow".to_string(),
                "‖∂L/∂h_t‖ against the distance from the loss (gradflow.csv; first layer, last probed step), log scale, one line per variant.".to_string(),
            )
        }),
    })
}

/// The claims of a loaded folder (for `check`).
pub fn check(results: &Results) -> Result<CheckOutcome, ReportError> {
    claims::judge(results)
}
