//! Metric references (`final.recall_accuracy`, `best.mse`, `steps_to_solve`, ...): which one
//! leads a report, and which way is better.

use crate::load::{scalar, Results};

/// Whether larger values of a metric are better: the metric catalogue's answer
/// ([`rnnlab_spec::higher_is_better`]), the same one training and claims use.
pub fn higher_is_better(metric: &str) -> bool {
    rnnlab_spec::higher_is_better(metric)
}

/// The main metric of a results folder: the `report: metric:` hint; else the stop
/// criterion's metric; else the catalogue's main metric of the runs' task kinds when they
/// share one (a grid may vary `task.kind`), else a metric all those kinds report; else the
/// first accuracy the runs report; else the loss. Always a `final.*` reference the runs have,
/// when they have any.
pub fn main_metric(results: &Results) -> String {
    let known = |m: &str| {
        results
            .runs
            .iter()
            .any(|r| crate::load::value(&r.summary, m).is_some())
    };
    if let Some(m) = &results.hints.metric {
        return m.clone();
    }
    let mut candidates: Vec<String> = Vec::new();
    if let Some(m) = results.base_value("stop.solved.metric") {
        candidates.push(format!("final.{}", scalar(m)));
    }
    let kinds = results.sweep.task_kinds();
    if let Some(m) = rnnlab_spec::metric::shared_main(&kinds) {
        candidates.push(format!("final.{m}"));
    }
    for m in rnnlab_spec::metric::common(&kinds) {
        if m != "loss" {
            candidates.push(format!("final.{m}"));
        }
    }
    let mut finals: Vec<&String> = results
        .runs
        .iter()
        .flat_map(|r| r.summary.final_.keys())
        .collect();
    finals.sort();
    finals.dedup();
    if let Some(acc) = finals.iter().find(|k| k.contains("accuracy")) {
        candidates.push(format!("final.{acc}"));
    }
    candidates.push("final.loss".into());
    candidates
        .iter()
        .find(|m| known(m))
        .cloned()
        .unwrap_or_else(|| candidates[0].clone())
}

/// Every `final.*` metric the runs report, the main one first, the rest alphabetical.
pub fn final_metrics(results: &Results, main: &str) -> Vec<String> {
    let mut all: Vec<String> = results
        .runs
        .iter()
        .flat_map(|r| r.summary.final_.keys())
        .map(|k| format!("final.{k}"))
        .collect();
    all.sort();
    all.dedup();
    all.retain(|m| m != main);
    let mut out = vec![main.to_string()];
    out.extend(all);
    out
}

/// The metrics.csv column a metric reference is about (`final.mse` → `mse`).
pub fn column(metric: &str) -> &str {
    metric
        .strip_prefix("final.")
        .or_else(|| metric.strip_prefix("best."))
        .unwrap_or(metric)
}

/// A human name for an axis label: `final.recall_accuracy` → `recall accuracy (test, final)`.
pub fn label(metric: &str) -> String {
    let name = column(metric).replace('_', " ");
    if metric.starts_with("final.") {
        format!("{name} (test, final)")
    } else if metric.starts_with("best.") {
        format!("{name} (valid, best)")
    } else {
        match metric {
            "wall_s" => "wall time (s)".into(),
            "steps_per_s" => "steps per second".into(),
            "steps_to_solve" => "steps to solve".into(),
            "params" => "trainable parameters".into(),
            _ => name,
        }
    }
}
