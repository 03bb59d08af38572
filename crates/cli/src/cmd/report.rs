//! `rnnlab report`, `rnnlab check` and `rnnlab compare`: thin wrappers over rnnlab-report.
//!
//! Self-contained: main.rs adds `mod cmd { pub mod report; }` and three subcommands that
//! flatten these `Args` and exit with the returned code.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use rnnlab_report::{CompareOptions, Processors, ReportOptions, Verdict};

/// Tables, charts and report.md for a results folder.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The results folder `rnnlab run` wrote (results/<sweep>/).
    #[arg(value_name = "RESULTS_DIR")]
    pub results: PathBuf,
    /// Write the report into this folder instead of RESULTS_DIR/report.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Tables and report.md only, no charts.
    #[arg(long)]
    pub no_charts: bool,
}

/// Judge the sweep's claims; exit 1 if one fails.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The results folder `rnnlab run` wrote (results/<sweep>/).
    #[arg(value_name = "RESULTS_DIR")]
    pub results: PathBuf,
}

/// Compare results with a baseline; exit 1 on a regression.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// The results folder (or summary CSV) to judge.
    #[arg(value_name = "CURRENT")]
    pub current: PathBuf,
    /// Another results folder, or a summary CSV written by --save-baseline.
    #[arg(
        long,
        value_name = "BASELINE",
        required_unless_present = "save_baseline"
    )]
    pub baseline: Option<PathBuf>,
    /// Write CURRENT's runs (variant, metric, seed, value, build) to FILE, the form to commit.
    #[arg(long, value_name = "FILE")]
    pub save_baseline: Option<PathBuf>,
    /// Relative change below which a difference is noise.
    #[arg(long, default_value_t = 0.02, value_name = "FRACTION")]
    pub noise: f64,
    /// Significance level of the two-sided exact tests.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// An underpowered row worse by at least this factor fails anyway (a large change, not a
    /// test result); 1 turns that off.
    #[arg(long, default_value_t = 2.0, value_name = "FACTOR")]
    pub large: f64,
    /// Fail unless every row with values on both sides is bit-identical: for CI, whose sweep is
    /// deterministic, so any other outcome means the baseline came from a build whose
    /// computation differs and must be refreshed (the message says how). Not checked when the
    /// two sides record different processors: libtorch's kernels give other last bits on
    /// another CPU, and there the statistical gate decides alone.
    #[arg(long)]
    pub expect_identical: bool,
    /// Compare only this metric (repeatable), e.g. final.accuracy; default: all final metrics.
    #[arg(long = "metric", value_name = "METRIC")]
    pub metrics: Vec<String>,
}

/// Runs `rnnlab report`; returns the exit code.
pub fn run_report(args: &ReportArgs) -> anyhow::Result<i32> {
    let options = ReportOptions {
        out: args.out.clone(),
        no_charts: args.no_charts,
        environment: None,
    };
    let summary = rnnlab_report::report(&args.results, &options)
        .with_context(|| format!("rnnlab report {}", args.results.display()))?;
    println!(
        "{}: {} runs, {} variants, {} tables, {} charts",
        summary.report_md.display(),
        summary.runs,
        summary.variants,
        summary.tables.len(),
        summary.figures.len()
    );
    match summary.claims_hold {
        Some(true) => println!("every claim holds"),
        Some(false) => println!(
            "some claims fail: see `rnnlab check {}`",
            args.results.display()
        ),
        None => {}
    }
    Ok(0)
}

/// Runs `rnnlab check`: prints the claims table; 0 when every claim holds, 1 otherwise.
pub fn run_check(args: &CheckArgs) -> anyhow::Result<i32> {
    let outcome = rnnlab_report::check(&args.results)
        .with_context(|| format!("rnnlab check {}", args.results.display()))?;
    print!("{outcome}");
    Ok(if outcome.passed() { 0 } else { 1 })
}

/// Runs `rnnlab compare`: prints the comparison; 1 on a regression.
pub fn run_compare(args: &CompareArgs) -> anyhow::Result<i32> {
    if let Some(file) = &args.save_baseline {
        let rows = rnnlab_report::save_baseline(&args.current, file)
            .with_context(|| format!("rnnlab compare --save-baseline {}", file.display()))?;
        println!("wrote {} ({rows} rows)", file.display());
    }
    let Some(baseline) = &args.baseline else {
        return Ok(0);
    };
    let options = CompareOptions {
        noise: args.noise,
        alpha: args.alpha,
        large: args.large,
        metrics: args.metrics.clone(),
    };
    let comparison =
        rnnlab_report::compare(&args.current, baseline, &options).with_context(|| {
            format!(
                "rnnlab compare {} --baseline {}",
                args.current.display(),
                baseline.display()
            )
        })?;
    print!("{comparison}");
    if comparison.regressions() > 0 {
        return Ok(1);
    }
    if args.expect_identical && comparison.processors == Processors::Different {
        // Bit-identity is a property of build and processor together: on another CPU the gate
        // is the statistical one above.
        eprintln!(
            "note: not checked for bit-identical results: the baseline {} was made on another \
             processor than the current runs (see the notes above)",
            baseline.display()
        );
    } else if args.expect_identical {
        let differing: Vec<String> = comparison
            .rows
            .iter()
            .filter(|r| {
                !matches!(
                    r.verdict,
                    Verdict::Identical | Verdict::Untestable | Verdict::Missing
                )
            })
            .map(|r| format!("{} {}", r.variant, r.metric))
            .collect();
        if !differing.is_empty() {
            let sweep = args
                .current
                .file_name()
                .map_or_else(|| "<sweep>".into(), |n| n.to_string_lossy().into_owned());
            eprintln!(
                "error: {} row(s) differ from the baseline without a regression ({}): the \
                 baseline {} was made by a build that computes differently. If the change is \
                 intended, refresh it: scripts/rnnlab run experiments/{sweep}.yaml --results \
                 /tmp/refresh && scripts/rnnlab compare /tmp/refresh/{sweep} --save-baseline {}",
                differing.len(),
                differing.join(", "),
                baseline.display(),
                baseline.display()
            );
            return Ok(1);
        }
    }
    Ok(0)
}
