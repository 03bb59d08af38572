//! Metric references (`final.recall_accuracy`, `best.mse`, `steps_to_solve`, ...): which one
//! leads a report, and which way is better.

use crate::load::{scalar, Results};

/// Whether larger values of a metric are better: accuracies and rates yes; losses, errors,
/// times and steps no.
pub fn higher_is_better(metric: &str) -> bool {
    let m = metric.rsplit('.').next().unwrap_or(metric);
    !(m.contains("loss")
        || m.contains("mse")
        || m.contains("error")
        || m == "wall_s"
        || m == "steps_to_solve"
        || m == "steps"
        || m == "params"
        || m == "diverged")
}

/// The main metric of a results folder: the `report: metric:` hint; else the stop
/// criterion's metric; else the task's headline metric; else the first accuracy the runs
/// report; else the loss. Always a `final.*` reference the runs have, when they have any.
pub fn main_metric(results: &Results) -> String {
    let known = |m: &str| results.runs.iter().any(|r| r.summary.value(m).is_some());
    if let Some(m) = &results.hints.metric {
        return m.clone();
    }
    let mut candidates: Vec<String> = Vec::new();
    if let Some(m) = results.base_value("stop.solved.metric") {
        candidates.push(format!("final.{}", scalar(m)));
    }
    if let Some(kind) = results.base_value("task.kind") {
        let m = match scalar(kind).as_str() {
            "copy" => "recall_accuracy",
            "adding" => "mse",
            _ => "accuracy",
        };
        candidates.push(format!("final.{m}"));
    }
    let mut finals: Vec<&String> = results
        .runs
        .iter()
        .flat_map(|r| r.summary.final_metrics.keys())
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
        .flat_map(|r| r.summary.final_metrics.keys())
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
