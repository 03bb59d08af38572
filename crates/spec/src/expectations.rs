//! What a sweep says it expects, checked against the runs it expands to: its claims (axes,
//! levels, metrics, and whether their runs can pass the exact test at all) and its report hints.
use crate::claim::{check_claim, power_warning, stop_warning};
use crate::hints::check_chart;
use crate::locate::{Target, YamlPath};
use crate::validate::Diag;
use crate::{MetricRef, Run, Sweep};

/// The sweep's claims: errors where they name what the sweep lacks, a warning where their runs
/// are too few for the exact test to pass.
pub(crate) fn check_claims(
    sweep: &Sweep,
    axes: &[(String, Vec<String>)],
    runs: &[Run],
    complete: bool,
    diag: &mut Diag<'_>,
) {
    for (i, claim) in sweep.claims.iter().enumerate() {
        let at = YamlPath::top("claims").index(i);
        if sweep.claims[..i].iter().any(|c| c.name == claim.name) {
            diag.error(
                &at.key("name"),
                Target::Value,
                format!(
                    "two claims are named `{}`: give each its own name",
                    claim.name
                ),
            );
        }
        for (key, message) in check_claim(claim, axes, runs, complete) {
            let at = if key == "where" {
                // Point at the offending `where` key when the message names it.
                claim
                    .filter_levels()
                    .iter()
                    .find(|(k, _)| message.contains(&format!("`{k}`")))
                    .map(|(k, _)| at.key("where").key(k))
                    .unwrap_or_else(|| at.key("where"))
            } else {
                at.key(key)
            };
            diag.error(&at, Target::Value, message);
        }
        if let Ok(metric) = MetricRef::parse(&claim.metric) {
            let filter = claim.filter_levels();
            if let Some(message) =
                crate::evalset::check_source(&metric, sweep, &filter, Some(&claim.by), runs)
            {
                diag.error(&at.key("metric"), Target::Value, message);
            }
        }
        if complete {
            if let Some(message) = power_warning(claim, runs, sweep.claims.len()) {
                diag.warn(&at.key("expect"), Target::Value, message);
            }
            if let Some(message) = stop_warning(claim, runs) {
                diag.warn(&at.key("metric"), Target::Value, message);
            }
        }
    }
}

/// Report hints: the metric (checked against every task kind of the sweep's runs) and charts.
pub(crate) fn check_report(
    sweep: &Sweep,
    axes: &[(String, Vec<String>)],
    runs: &[Run],
    diag: &mut Diag<'_>,
) {
    let kinds = &crate::claim::task_kinds(runs)[..];
    let report = YamlPath::top("report");
    if let Some(metric) = sweep.report.metric.as_deref() {
        match MetricRef::parse(metric).and_then(|m| m.check_tasks(kinds).map(|()| m)) {
            Err(e) => diag.error(&report.key("metric"), Target::Value, e),
            Ok(m) => {
                if let Some(e) = crate::evalset::check_source(&m, sweep, &[], None, runs) {
                    diag.error(&report.key("metric"), Target::Value, e);
                }
            }
        }
    }
    for (i, chart) in sweep.report.charts.iter().flatten().enumerate() {
        let at = report.key("charts").index(i);
        for (key, message) in check_chart(chart, axes, kinds) {
            diag.error(&at.key(key), Target::Value, message);
        }
    }
}
