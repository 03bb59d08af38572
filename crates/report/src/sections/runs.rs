//! "Runs": how many runs of how many variants, varying what; the status counts; the failed
//! runs' errors. Writes (without showing) the variants and runs tables.

use crate::aggregate::Aggregates;
use crate::load::Status;
use crate::sinks::Sink;
use crate::tables;
use crate::ReportError;

pub fn write(out: &mut dyn Sink, agg: &Aggregates) -> Result<(), ReportError> {
    let results = agg.results;
    out.section("Runs");
    let mut counts_line = format!(
        "{} runs of {} variants",
        results.runs.len(),
        results.groups.len()
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
    if let Some(time) = run_time(results) {
        counts_line.push(' ');
        counts_line.push_str(&time);
    }
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
    if results.tuning > 0 {
        counts_line.push_str(&format!(
            " These are the search's confirmation runs (each group's winner on the confirmation seeds); its {} trial runs are in \"Search\" and in no other table.",
            results.tuning
        ));
    }
    out.paragraph(&counts_line);
    out.table("status", &tables::status(agg), true)?;
    out.table("variants", &tables::variants(agg), false)?;
    out.table("runs", &tables::runs(agg), false)?;
    let failed: Vec<String> = results
        .runs
        .iter()
        .filter(|r| r.summary.status == Status::Failed)
        .take(5)
        .map(|r| {
            format!(
                "- `{}` ({}): {}",
                r.id,
                results.group_label(r.group),
                r.summary
                    .error
                    .clone()
                    .unwrap_or_else(|| "no error message".into())
            )
        })
        .collect();
    if !failed.is_empty() {
        out.paragraph(&format!(
            "Failed runs (first five):\n\n{}",
            failed.join("\n")
        ));
    }
    Ok(())
}

/// The runs' training time from their own `wall_s`: the sum and the longest, the figures a
/// sweep's cost is quoted from (sweep descriptions do not state times).
fn run_time(results: &crate::load::Results) -> Option<String> {
    let walls: Vec<f64> = results
        .runs
        .iter()
        .map(|r| r.summary.wall_s)
        .filter(|w| w.is_finite() && *w > 0.0)
        .collect();
    let longest = walls.iter().copied().fold(f64::NAN, f64::max);
    if walls.is_empty() {
        return None;
    }
    let sum: f64 = walls.iter().sum();
    Some(format!(
        "Training took {} s of run time summed over {} runs (the longest {} s).",
        sum.round(),
        walls.len(),
        longest.round()
    ))
}
