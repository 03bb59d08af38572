//! Validation of the `search:` block, and the trials of one grid point.
//!
//! Checked like `grid`: every searched path exists in the schema and takes the values its
//! distribution draws, ranges are sane, a path is not also a grid axis, set by a variant or
//! named by an `exclude` (the search would overwrite it), and the seeds to confirm on are not
//! the tuning seeds. Every error is located at the key or value that causes it.
use serde_yaml::Value;

use super::{Dimension, Search, Space, SpaceSpec, SPACE_FORMS};
use crate::diagnostics::Diag;
use crate::expand::Variant;
use crate::locate::{Target, YamlPath};
use crate::schema::{check_config_path, fields_of, Node};
use crate::search::{Confirm, Halving, Select};
use crate::sweep::yaml_scalar;
use crate::{Run, Sweep};

/// A search block that validated: its dimensions and the points every group gets.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub space: Vec<Dimension>,
    /// Trial k's values, one per dimension.
    pub points: Vec<Vec<Value>>,
    /// For each trial, the first trial with the same point (itself when it is new).
    pub first: Vec<usize>,
}

fn at() -> YamlPath {
    YamlPath::top("search")
}

/// Parses the block's shape (`rnnlab validate` shows every unknown key with the closest one).
pub(crate) fn parse_search(value: &Value, diag: &mut Diag<'_>) -> Option<Search> {
    if !value.is_mapping() {
        diag.error(
            &at(),
            Target::Value,
            "`search` is a mapping: `{ trials: 24, space: { train.lr: { loguniform: [1.0e-4, \
             1.0e-1] } }, confirm: { seeds: [11, 12, 13] } }`",
        );
        return None;
    }
    let mut ok = diag.known_keys(&at(), value, fields_of::<Search>(), "search");
    for (key, fields) in [
        ("halving", fields_of::<Halving>()),
        ("select", fields_of::<Select>()),
        ("confirm", fields_of::<Confirm>()),
    ] {
        if let Some(part) = value.get(key) {
            ok &= diag.known_keys(&at().key(key), part, fields, &format!("search.{key}"));
        }
    }
    if !ok {
        return None;
    }
    diag.part(
        &at(),
        value,
        "see docs/sweeps.md, `search`, for the fields and an example",
    )
}

/// Checks everything that does not need the resolved runs; `None` (errors recorded) when the
/// block cannot be expanded.
pub(crate) fn check_search(
    sweep: &Sweep,
    axes: &[(String, Vec<Value>)],
    variants: &[Variant],
    diag: &mut Diag<'_>,
) -> Option<Checked> {
    let search = sweep.search.as_ref()?;
    let raised = diag.raised;
    if search.trials == 0 {
        diag.error(
            &at().key("trials"),
            Target::Value,
            "`trials` must be at least 1: the number of points every variant × grid point tries",
        );
    }
    if let Some(h) = &search.halving {
        if h.eta < 2 {
            diag.error(
                &at().key("halving").key("eta"),
                Target::Value,
                format!(
                    "`eta` is {}: at least 2 (1/eta of the trials go on at each rung; 3 is usual)",
                    h.eta
                ),
            );
        }
        if h.min_steps == 0 {
            diag.error(
                &at().key("halving").key("min_steps"),
                Target::Value,
                "`min_steps` must be at least 1: the steps every trial trains before the first cut",
            );
        }
    }
    check_confirm(&search.confirm.seeds, &sweep.seeds, diag);
    if let Some(select) = &search.select {
        if let Err(m) = super::plan::scope(&select.metric) {
            diag.error(&at().key("select").key("metric"), Target::Value, m);
        }
    }
    let space = check_space(search, sweep, axes, variants, diag);
    // More trials than runs allowed is the run bound's error (reported by the caller); drawing
    // them first would hold every point in memory.
    if diag.raised != raised || search.trials > diag.limits.max_runs {
        return None;
    }
    let checked = super::trial::with_points(search, space);
    let first = &checked.first;
    if let Some(k) = (0..first.len()).find(|&k| first[k] != k) {
        let repeats = (0..first.len()).filter(|&k| first[k] != k).count();
        diag.warn(
            &at().key("trials"),
            Target::Value,
            format!(
                "{repeats} of the {} trials repeat an earlier point (trial {k} draws trial {}'s): \
                 a repeat shares the earlier trial's runs, so the groups try fewer distinct \
                 points; widen the space or lower `trials`",
                first.len(),
                first[k]
            ),
        );
    }
    Some(checked)
}

fn check_confirm(confirm: &[u64], tuning: &[u64], diag: &mut Diag<'_>) {
    let seeds = at().key("confirm").key("seeds");
    if confirm.is_empty() {
        diag.error(
            &seeds,
            Target::Value,
            "list the seeds each winner is re-run on, e.g. `seeds: [11, 12, 13, 14, 15]` \
             (5 against 5 runs can reach p = 1/252)",
        );
    }
    for (i, s) in confirm.iter().enumerate() {
        if confirm[..i].contains(s) {
            diag.error(
                &seeds.index(i),
                Target::Value,
                format!("seed {s} is listed twice; remove one"),
            );
        } else if tuning.contains(s) {
            diag.error(
                &seeds.index(i),
                Target::Value,
                format!(
                    "seed {s} is also a tuning seed (top-level `seeds`): the winner was chosen \
                     on it, so confirming on it would reuse the selection's luck; pick a seed \
                     not in `seeds`"
                ),
            );
        }
    }
}

fn check_space(
    search: &Search,
    sweep: &Sweep,
    axes: &[(String, Vec<Value>)],
    variants: &[Variant],
    diag: &mut Diag<'_>,
) -> Vec<Dimension> {
    let space_at = at().key("space");
    if search.space.is_empty() {
        diag.error(
            &space_at,
            Target::Value,
            format!("`space` needs at least one searched path, e.g. `train.lr: {{ loguniform: [1.0e-4, 1.0e-1] }}`; distributions: {SPACE_FORMS}"),
        );
    }
    let mut out: Vec<Dimension> = Vec::new();
    for (key, value) in &search.space {
        let path = yaml_scalar(key);
        let here = space_at.key(&path);
        if let Err(p) = check_config_path(&path) {
            diag.error(
                &here,
                Target::Key,
                format!("no such config path: {}", p.message),
            );
            continue;
        }
        let overlaps = |a: &str| a == path || nested(a, &path) || nested(&path, a);
        if let Some(d) = out.iter().find(|d| overlaps(&d.path)) {
            let msg = format!("overlaps the searched path `{}`: one would overwrite the other; search the whole mapping or its fields, not both", d.path);
            diag.error(&here, Target::Key, msg);
            continue;
        }
        if let Some((axis, _)) = axes.iter().find(|(a, _)| overlaps(a)) {
            let msg = format!("`{path}` is also varied by the grid axis `{axis}`: a path is either a grid axis (every level run) or searched (levels drawn), not both; remove it from one");
            diag.error(&here, Target::Key, msg);
            continue;
        }
        if path == "train.steps" && search.halving.is_some() {
            let msg = "`train.steps` cannot be searched with `halving`: the rungs are fractions of one budget that every trial shares";
            diag.error(&here, Target::Key, msg);
            continue;
        }
        for (name, over) in variants {
            if let (Some(name), Some(over)) = (name, over) {
                if set_in(over, &path) {
                    let msg = format!("variant `{name}` sets `{path}`, which the search draws and would overwrite; remove it from the variant, or search it per variant in separate sweeps");
                    let segs = path
                        .split('.')
                        .fold(YamlPath::top("variants").key(name), |p, s| p.key(s));
                    diag.error(&segs, Target::Key, msg);
                }
            }
        }
        for (i, pattern) in sweep.exclude.iter().enumerate() {
            for k in pattern.keys().map(yaml_scalar) {
                if overlaps(&k) {
                    let msg = format!("`{k}` is searched: `exclude` matches grid points before their trials are drawn, so it cannot name a searched path; exclude by grid axes or `variant`");
                    diag.error(&YamlPath::top("exclude").index(i).key(&k), Target::Key, msg);
                }
            }
        }
        if let Some(space) = dimension(&path, value, &here, diag) {
            out.push(Dimension { path, space });
        }
    }
    out
}

/// `inner` lies below `outer` (`train.clip.max` below `train.clip`).
pub(super) fn nested(inner: &str, outer: &str) -> bool {
    inner.starts_with(&format!("{outer}."))
}

/// Whether a variant's override writes `path` (or something below it).
fn set_in(over: &Value, path: &str) -> bool {
    path.split('.')
        .try_fold(over, |node, seg| node.get(seg))
        .is_some()
}

/// One entry of `space`: its shape, its ranges, and that the config field takes what it draws.
fn dimension(path: &str, value: &Value, here: &YamlPath, diag: &mut Diag<'_>) -> Option<Space> {
    if !value.is_mapping() {
        let msg = format!(
            "a searched path maps to its distribution, not `{}`: {SPACE_FORMS}",
            yaml_scalar(value)
        );
        diag.error(here, Target::Value, msg);
        return None;
    }
    if !diag.known_keys(here, value, fields_of::<SpaceSpec>(), "a search space") {
        return None;
    }
    let spec: SpaceSpec = diag.part(here, value, "")?;
    let space = match spec.to_space() {
        Ok(s) => s,
        Err(m) => {
            diag.error(here, Target::Value, format!("`{path}`: {m}"));
            return None;
        }
    };
    let (key, samples): (&str, Vec<Value>) = match &space {
        Space::Uniform { low, high } => ("uniform", vec![Value::from(*low), Value::from(*high)]),
        Space::LogUniform { low, high } => {
            ("loguniform", vec![Value::from(*low), Value::from(*high)])
        }
        Space::Int { low, high } => ("int", vec![Value::from(*low), Value::from(*high)]),
        Space::Choice(values) => ("choice", values.clone()),
    };
    let mut ok = true;
    if let Some((node, field)) = owner(path) {
        for (i, v) in samples.iter().enumerate() {
            if let Err(e) = node.probe(field, v) {
                ok = false;
                let hint = match (&space, v) {
                    (Space::Uniform { .. } | Space::LogUniform { .. }, _) => {
                        "; an integer field takes `int: [low, high]` or `choice`"
                    }
                    _ => "",
                };
                let msg = format!("`{path}` cannot take `{}`: {e}{hint}", yaml_scalar(v));
                diag.error(&here.key(key).index(i), Target::Value, msg);
                break;
            }
        }
    }
    ok.then_some(space)
}

/// The mapping that owns the field at `path` and the field's name; `None` for task fields
/// (their type depends on the run's kind: those values are checked in every resolved run).
fn owner(path: &str) -> Option<(Node, &str)> {
    let (parents, field) = match path.rsplit_once('.') {
        Some((p, f)) => (p, f),
        None => ("", path),
    };
    let mut node = Node::Run;
    for seg in parents.split('.').filter(|s| !s.is_empty()) {
        node = node.child(seg)?;
    }
    match node {
        Node::AnyTask | Node::Run => None,
        _ => Some((node, field)),
    }
}

/// After expansion: the selection metric exists on the validation split of every task kind
/// the runs use, and `halving.min_steps` is below every group's `train.steps`.
pub(crate) fn check_runs(search: &Search, runs: &[Run], diag: &mut Diag<'_>) {
    let kinds = crate::claim::task_kinds(runs);
    if kinds.is_empty() {
        return;
    }
    if let Err(m) = super::plan::selection(search, &kinds) {
        let place = match &search.select {
            Some(_) => at().key("select").key("metric"),
            None => at(),
        };
        diag.error(&place, Target::Value, m);
    }
    if let Some(h) = &search.halving {
        let mut steps: Vec<usize> = runs.iter().map(|r| r.config.train.steps).collect();
        steps.sort_unstable();
        steps.dedup();
        let short: Vec<String> = steps
            .iter()
            .filter(|&&s| h.min_steps >= s)
            .map(usize::to_string)
            .collect();
        if !short.is_empty() {
            let msg = format!(
                "`min_steps` is {} but runs train only {} steps (`train.steps`): the first \
                 rung must come before the end; lower it (e.g. to {})",
                h.min_steps,
                short.join(", "),
                (steps[0] / 10).max(1)
            );
            diag.error(&at().key("halving").key("min_steps"), Target::Value, msg);
        }
        // A rung ranks trials by their validation value at its step, so every rung must be
        // an evaluation step; `train.steps` always is (the run evaluates at its end).
        let mut off: Vec<(usize, usize)> = runs
            .iter()
            .map(|r| &r.config.train)
            .flat_map(|t| {
                h.rungs(t.steps)
                    .into_iter()
                    .filter(move |&r| r < t.steps && r % t.eval_every.max(1) != 0)
                    .map(move |r| (r, t.eval_every))
            })
            .collect();
        off.sort_unstable();
        off.dedup();
        if let Some(&(rung, every)) = off.first() {
            let msg = format!(
                "the rung at step {rung} is not an evaluation step (`train.eval_every` is \
                 {every}): trials are ranked by their validation value at each rung; make \
                 `min_steps` a multiple of `eval_every` (e.g. {})",
                (h.min_steps / every.max(1)).max(1) * every
            );
            diag.error(&at().key("halving").key("min_steps"), Target::Value, msg);
        }
    }
}
