//! `rnnlab report`: tables, charts and report.md for a results folder. The aggregates are
//! computed once; each section (crate::sections) sends its paragraphs, tables and figures to
//! the sinks, which write the CSV files and assemble report.md.

use std::path::{Path, PathBuf};

use crate::aggregate::Aggregates;
use crate::charts::Figure;
use crate::claims;
use crate::env::Environment;
use crate::load::Results;
use crate::sections;
use crate::sinks::{MarkdownDoc, Sink, Sinks, TableFiles};
use crate::ReportError;

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

    let agg = Aggregates::new(results)?;
    let outcome = claims::judge(results)?;

    let mut files = TableFiles::new(tables_dir);
    let mut doc = MarkdownDoc::default();
    let figures;
    {
        let mut sinks = Sinks(vec![&mut files as &mut dyn Sink, &mut doc]);
        let sweep = &results.sweep;
        sinks.paragraph(&format!("# {}", sweep.name));
        if !sweep.description.trim().is_empty() {
            sinks.paragraph(sweep.description.trim());
        }
        sections::runs::write(&mut sinks, &agg)?;
        sections::metrics::write(&mut sinks, &agg)?;
        sections::cost::write(&mut sinks, &agg)?;
        sections::effects::write(&mut sinks, &agg)?;
        figures = sections::charts::write(&mut sinks, &agg, &figures_dir, !options.no_charts)?;
        sections::claims::write(&mut sinks, &outcome)?;
        let env = options
            .environment
            .clone()
            .unwrap_or_else(|| Environment::collect(results));
        sections::environment::write(&mut sinks, &env);
    }
    let report_md = out.join("report.md");
    let text = doc.text.trim().to_string() + "\n";
    rnnlab_results::write_atomic(&report_md, text.as_bytes())?;
    Ok(ReportSummary {
        report_md,
        tables: files.written,
        figures,
        runs: results.runs.len(),
        variants: results.groups.len(),
        claims_hold: (!outcome.claims.is_empty()).then(|| outcome.passed()),
    })
}
