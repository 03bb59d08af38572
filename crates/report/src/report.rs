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
    /// Runs in the main tables (for a search: its confirmation runs).
    pub runs: usize,
    pub variants: usize,
    /// A search's trial runs with a summary (shown in "Search" only); 0 without a search.
    pub trials: usize,
    /// The claims' verdict (None: the sweep makes no claims, or they wait).
    pub claims_hold: Option<bool>,
    /// Why the claims wait for a search's confirmation runs, when they do.
    pub claims_waiting: Option<String>,
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

    // A search with no confirmation run yet has nothing to aggregate: its report is the
    // search's progress.
    let agg = match results.runs.is_empty() {
        true => None,
        false => Some(Aggregates::new(results)?),
    };
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
        let draw = !options.no_charts;
        let mut drawn = Vec::new();
        match &agg {
            Some(agg) => sections::runs::write(&mut sinks, agg)?,
            None => {
                sinks.section("Runs");
                sinks.paragraph("No confirmation runs yet: no group's search has picked its winner, so there is nothing to compare. The tables, charts and claims of a search use its confirmation runs only (each winner on the confirmation seeds); the trials so far are in \"Search\".");
            }
        }
        if let Some(search) = &results.search {
            drawn.extend(crate::search::write(
                &mut sinks,
                results,
                search,
                &figures_dir,
                draw,
            )?);
        }
        if let Some(agg) = &agg {
            sections::metrics::write(&mut sinks, agg)?;
            sections::cost::write(&mut sinks, agg)?;
            sections::effects::write(&mut sinks, agg)?;
            drawn.extend(sections::charts::write(
                &mut sinks,
                agg,
                &figures_dir,
                draw,
            )?);
        }
        figures = drawn;
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
        trials: results.tuning,
        claims_hold: (!outcome.claims.is_empty() && outcome.waiting.is_none())
            .then(|| outcome.passed()),
        claims_waiting: outcome.waiting.clone(),
    })
}
