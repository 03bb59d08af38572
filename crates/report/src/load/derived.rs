//! Values of metric references read from a run's other files than summary.json (`grad.D`,
//! `eval.SET`), for the references a sweep's claims and report use.
use rnnlab_results::{Layout, RunFiles};
use rnnlab_spec::{MetricRef, Sweep};

use super::{Status, Summary};
use crate::ReportError;

/// The references the sweep's claims and report use that are read from other files than
/// summary.json, each once.
pub(super) fn derived_refs(sweep: &Sweep) -> Vec<MetricRef> {
    let written = sweep.claims.iter().map(|c| c.metric.as_str());
    let charts = sweep.report.charts.iter().flatten();
    let charted = charts.filter_map(|c| c.metric().map(String::as_str));
    let mut refs: Vec<MetricRef> = Vec::new();
    for text in written.chain(sweep.report.metric.as_deref()).chain(charted) {
        if let Ok(r @ (MetricRef::Gradient(_) | MetricRef::Eval(_))) = MetricRef::parse(text) {
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
    }
    refs
}

/// Reads `refs` for one run into its summary's `derived` values: `grad.D` from its
/// gradflow.csv, `eval.SET...` from `eval/SET/<run-id>.csv`. Only a run that finished (completed
/// or solved) gets values, as only such a run has `final.*` ones: a diverged run's gradient or a
/// table left from before an interrupted re-run says nothing of the run, and a diverged run
/// without a value counts as the worst. A run without the file or the row gets no value, and
/// is counted as not measured like any other.
pub(super) fn derive(
    summary: &mut Summary,
    refs: &[MetricRef],
    files: &RunFiles,
    layout: &Layout,
) -> Result<(), ReportError> {
    if !matches!(summary.status, Status::Completed | Status::Solved) {
        return Ok(());
    }
    for r in refs {
        let value = match r {
            MetricRef::Gradient(d) => {
                rnnlab_results::files::read_gradient_at(&files.gradflow(), *d)?
            }
            MetricRef::Eval(e) => {
                let table = layout.eval(&e.set).join(format!("{}.csv", files.id()));
                let bucket = e.bucket.as_ref().map(|(b, k)| (b.as_str(), k.as_str()));
                rnnlab_results::eval::read_accuracy(&table, bucket)?
            }
            _ => None,
        };
        if let Some(v) = value {
            summary.derived.insert(r.to_string(), v);
        }
    }
    Ok(())
}
