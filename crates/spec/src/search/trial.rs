//! The trials of one grid point, and the checked form of a block that validated: one config
//! per sampled point, each the grid point's resolved config with the point's values written
//! in, so a trial run is an ordinary run (its id, resume and sharding are the grid's).
use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::check::{nested, Checked};
use super::{points, Dimension, Search, SpaceSpec};
use crate::diagnostics::Diag;
use crate::locate::{Target, YamlPath};
use crate::sweep::yaml_scalar;
use crate::{Run, RunConfig, Severity, Sweep};

fn at() -> YamlPath {
    YamlPath::top("search")
}

/// The trials of one grid point: its `config` with each new point written in, and the params
/// that name them (`trial`, then each searched path in `space` order). Repeated points are
/// left out (their trials share the first one's runs). Problems a trial's values cause are
/// reported at `search.space`.
pub(crate) fn trials(
    checked: &Checked,
    config: &RunConfig,
    params: &[(String, String)],
    diag: &mut Diag<'_>,
) -> Vec<(RunConfig, Vec<(String, String)>)> {
    let before: Vec<(String, String)> = config
        .check()
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect();
    let mut out = Vec::new();
    for (k, point) in checked.points.iter().enumerate() {
        if checked.first[k] != k {
            continue;
        }
        let mut trial_params = params.to_vec();
        trial_params.push(("trial".to_string(), k.to_string()));
        let mut doc = serde_yaml::to_value(config).unwrap_or(Value::Null);
        for (d, v) in checked.space.iter().zip(point) {
            set(&mut doc, &d.path, v.clone());
            trial_params.push((d.path.clone(), yaml_scalar(v)));
        }
        let config: RunConfig = match serde_yaml::from_value(doc) {
            Ok(c) => c,
            Err(e) => {
                let d = &checked.space[0];
                let msg = format!(
                    "trial {k} ({}) does not make a run config: {e}",
                    label(&trial_params)
                );
                diag.error(&at().key("space").key(&d.path), Target::Key, msg);
                continue;
            }
        };
        let mut bad = false;
        for p in config.check() {
            if before.contains(&(p.path.clone(), p.message.clone())) {
                continue;
            }
            let culprit = checked
                .space
                .iter()
                .find(|d| p.path == d.path || nested(&p.path, &d.path) || nested(&d.path, &p.path))
                .map_or_else(|| at().key("space"), |d| at().key("space").key(&d.path));
            let msg = format!(
                "{}: {} (trial {k}: {})",
                p.path,
                p.message,
                label(&trial_params)
            );
            match p.severity {
                Severity::Error => {
                    bad = true;
                    diag.error(&culprit, Target::Key, msg);
                }
                Severity::Warning => diag.warn(&culprit, Target::Key, msg),
            }
        }
        if !bad {
            out.push((config, trial_params));
        }
    }
    out
}

fn label(params: &[(String, String)]) -> String {
    let parts: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.join(" ")
}

/// Writes `value` at the dotted `path` of a config document, replacing what was there.
fn set(doc: &mut Value, path: &str, value: Value) {
    let mut node = doc;
    let segs: Vec<&str> = path.split('.').collect();
    for seg in &segs[..segs.len() - 1] {
        if !node.get(*seg).is_some_and(Value::is_mapping) {
            if let Value::Mapping(m) = node {
                m.insert(Value::from(*seg), Value::Mapping(Mapping::new()));
            }
        }
        let Some(next) = node.get_mut(*seg) else {
            return;
        };
        node = next;
    }
    if let Value::Mapping(m) = node {
        m.insert(Value::from(segs[segs.len() - 1]), value);
    }
}

/// The checked form of a block that validated (no diagnostics): its dimensions and points.
fn checked_of(search: &Search) -> Option<Checked> {
    let space = search
        .space
        .iter()
        .map(|(k, v)| {
            let spec: SpaceSpec = serde_yaml::from_value(v.clone()).ok()?;
            Some(Dimension {
                path: yaml_scalar(k),
                space: spec.to_space().ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(with_points(search, space))
}

pub(super) fn with_points(search: &Search, space: Vec<Dimension>) -> Checked {
    let points = points(search.seed, search.trials, &space);
    // Hashing keeps this linear: a sweep may have up to `max_runs` trials.
    let mut seen: HashMap<&[Value], usize> = HashMap::new();
    let first = points
        .iter()
        .enumerate()
        .map(|(k, p)| *seen.entry(p.as_slice()).or_insert(k))
        .collect();
    Checked {
        space,
        points,
        first,
    }
}

/// The plan of a sweep that expanded without errors into `runs`; `None` without a search.
pub(crate) fn plan_of(sweep: &Sweep, runs: &[Run]) -> Option<super::SearchPlan> {
    let search = sweep.search.as_ref()?;
    let checked = checked_of(search)?;
    Some(super::SearchPlan::build(
        search,
        &checked,
        &sweep.seeds,
        runs,
    ))
}
