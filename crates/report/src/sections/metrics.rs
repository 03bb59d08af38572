//! One section per final metric, the main one first: its per-variant statistics.

use crate::aggregate::Aggregates;
use crate::charts::stem;
use crate::sinks::Sink;
use crate::tables;
use crate::ReportError;
use rnnlab_spec::DivergedRule;

pub fn write(out: &mut dyn Sink, agg: &Aggregates) -> Result<(), ReportError> {
    let early = agg
        .results
        .runs
        .iter()
        .any(|r| r.summary.status == crate::load::Status::Solved);
    for metric in agg.metrics.iter().filter(|m| m.starts_with("final.")) {
        let main = if *metric == agg.main {
            " (main metric)"
        } else {
            ""
        };
        out.section(&format!("`{metric}`{main}"));
        out.paragraph(&format!(
            "`{metric}` per variant over its runs. `n` is the runs used of the variant's runs; `runs out` says which were left out and why (failed and interrupted runs have no value). {} `solved` and `diverged` count every run; `median_steps_to_solve` is the Kaplan-Meier median (unsolved runs censored at the step they stopped, failed runs left out), `not reached` while fewer than half of the runs solved.",
            rule_sentence(agg)
        ));
        if early {
            out.paragraph("Solved runs stopped early, at the first evaluation that met `stop.solved`: their `final.*` is the test metric at the step they stopped, not after the full step budget.");
        }
        out.table(
            &stem(&[metric.as_str()]),
            &tables::metric(agg, metric),
            true,
        )?;
    }
    Ok(())
}

/// How the tables count diverged runs, in words.
fn rule_sentence(agg: &Aggregates) -> &'static str {
    match agg.results.hints.diverged {
        DivergedRule::Worst => "A diverged run without a value counts as the worst value (`report.diverged: worst`, as claims count it): the worst value cannot be averaged, so a variant with one has no mean, sd or interval, only its `median` with diverged runs counted, `diverged` when half or more of its runs diverged. Otherwise mean, sample standard deviation and 95% t interval of the mean, and the median, over the runs used.",
        DivergedRule::Exclude => "Diverged runs without a value are left out (`report.diverged: exclude`) and counted in `runs out`: mean, sample standard deviation, 95% t interval of the mean and median over the runs with a value.",
    }
}
