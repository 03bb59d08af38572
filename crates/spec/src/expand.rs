//! Expansion with checks: every grid point of every variant is resolved into a run config,
//! remembering which line of the sweep set each value, so that a problem found in a resolved
//! config (a bad type, lr <= 0, a bidirectional language model) is reported where it was
//! written. A value written once in `base` is checked in every run; the report is deduplicated.
use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use crate::expectations::{check_claims, check_report};
use crate::limits::too_many_runs;
use crate::locate::{Target, YamlPath};
use crate::resolve::Resolved;
use crate::schema::check_config_path;
use crate::suggest::{did_you_mean, list};
use crate::sweep::yaml_scalar;
use crate::validate::{missing, Diag};
use crate::{Run, RunConfig, Sweep};

/// Validates `sweep` and returns its runs (meaningless when `diag` recorded errors).
pub(crate) fn expand(sweep: &Sweep, diag: &mut Diag<'_>) -> Vec<Run> {
    check_name(&sweep.name, diag);
    check_seeds(&sweep.seeds, diag);
    let axes = grid_axes(sweep, diag);
    let variants = variants(sweep, diag);
    let excludes = excludes(sweep, diag);
    let search = crate::search::check_search(sweep, &axes, &variants, diag);
    let base_ok = match &sweep.base {
        Value::Mapping(_) => true,
        Value::Null => {
            diag.error(&YamlPath::top("base"), Target::Value, missing("base"));
            false
        }
        _ => {
            diag.error(
                &YamlPath::top("base"),
                Target::Value,
                "`base` is a mapping with `task` (required), `model`, `train` and `stop`",
            );
            false
        }
    };

    let mut runs = Vec::new();
    let mut origins: Vec<Origin> = Vec::new();
    let mut matched = vec![false; excludes.len()];
    // Repeated seeds are reported above; expanding them would only add duplicate runs.
    let mut seeds: Vec<u64> = Vec::new();
    for s in &sweep.seeds {
        if !seeds.contains(s) {
            seeds.push(*s);
        }
    }
    if seeds.is_empty() {
        seeds.push(0);
    }
    if too_many_runs(&variants, &axes, seeds.len(), sweep.search.as_ref(), diag) {
        return Vec::new();
    }
    // Whether every grid point resolved: claims can only be checked against complete runs.
    let mut complete = base_ok;
    let variants = if base_ok { variants } else { Vec::new() };
    for (variant, overrides) in &variants {
        for point in cartesian(&axes) {
            let mut r = Resolved::default();
            r.merge(&[], &sweep.base, &YamlPath::top("base"));
            if let Some((name, over)) = variant.as_ref().zip(overrides.as_ref()) {
                r.merge(&[], over, &YamlPath::top("variants").key(name));
            }
            let mut params = Vec::new();
            if let Some(v) = variant {
                params.push(("variant".to_string(), v.clone()));
            }
            for ((axis, values), &i) in axes.iter().zip(&point) {
                let src = YamlPath::top("grid").key(axis).index(i);
                let segs: Vec<String> = axis.split('.').map(String::from).collect();
                r.replace(&segs, &values[i], &src);
                params.push((axis.clone(), yaml_scalar(&values[i])));
            }
            let warned = diag.warnings.len();
            let Some(config) = r.check(seeds[0], diag) else {
                complete = false;
                continue;
            };
            let resolved = serde_yaml::to_value(&config).unwrap_or(Value::Null);
            let hits: Vec<usize> = excludes
                .iter()
                .enumerate()
                .filter(|(_, e)| excluded(e, &resolved, variant.as_deref()))
                .map(|(i, _)| i)
                .collect();
            if !hits.is_empty() {
                // A point left out of the sweep has nothing to warn about.
                diag.warnings.truncate(warned);
                hits.iter().for_each(|&i| matched[i] = true);
                continue;
            }
            // With a search, one config per trial (its sampled values written in).
            let trials = match &search {
                Some(s) => crate::search::trials(s, &config, &params, diag),
                None => vec![(config, params)],
            };
            for (config, params) in &trials {
                for &seed in &seeds {
                    let mut params = params.clone();
                    params.push(("seed".to_string(), seed.to_string()));
                    let config = RunConfig {
                        seed,
                        ..config.clone()
                    };
                    runs.push(Run::new(config, params));
                    origins.push(Origin {
                        variant: variant.clone(),
                        point: point.clone(),
                    });
                }
            }
        }
    }
    check_duplicates(&runs, &origins, &axes, diag);
    for (i, hit) in matched.iter().enumerate() {
        if !hit {
            diag.warn(
                &YamlPath::top("exclude").index(i),
                Target::Value,
                "matches no grid point, so it excludes nothing; check its values against \
                 the grid's levels, or remove it",
            );
        }
    }
    if let Some((s, _)) = sweep.search.as_ref().zip(search.as_ref()) {
        crate::search::check_runs(s, &runs, diag);
    }
    let axis_levels = sweep.axes();
    check_claims(sweep, &axis_levels, &runs, complete, diag);
    crate::evalset::check_eval_sets(sweep, &axis_levels, &runs, diag);
    check_report(sweep, &axis_levels, &runs, diag);
    runs
}

/// Where a run came from, to point at the value that makes two runs the same.
struct Origin {
    variant: Option<String>,
    point: Vec<usize>,
}

fn check_name(name: &str, diag: &mut Diag<'_>) {
    if name.is_empty() {
        diag.error(&YamlPath::top("name"), Target::Value, missing("name"));
        return;
    }
    let ok = !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        diag.error(
            &YamlPath::top("name"),
            Target::Value,
            format!(
                "`{name}` cannot name the results folder: use letters, digits, `-`, `_` and `.`, \
                 e.g. `cells-vs-length`"
            ),
        );
    }
}

fn check_seeds(seeds: &[u64], diag: &mut Diag<'_>) {
    let at = YamlPath::top("seeds");
    if seeds.is_empty() {
        diag.error(
            &at,
            Target::Value,
            "`seeds` is empty: list at least one seed, e.g. `seeds: [1, 2, 3]`",
        );
    }
    for (i, s) in seeds.iter().enumerate() {
        if seeds[..i].contains(s) {
            diag.error(
                &at.index(i),
                Target::Value,
                format!("seed {s} is listed twice: it would repeat the same runs; remove one"),
            );
        }
    }
}

/// The grid's valid axes, in order.
fn grid_axes(sweep: &Sweep, diag: &mut Diag<'_>) -> Vec<(String, Vec<Value>)> {
    let grid = YamlPath::top("grid");
    let mut axes: Vec<(String, Vec<Value>)> = Vec::new();
    for (key, values) in &sweep.grid {
        let axis = yaml_scalar(key);
        let at = grid.key(&axis);
        if let Err(p) = check_config_path(&axis) {
            diag.error(
                &at,
                Target::Key,
                format!("no such config path: {}", p.message),
            );
            continue;
        }
        if let Some((other, _)) = axes
            .iter()
            .find(|(a, _)| axis.starts_with(&format!("{a}.")) || a.starts_with(&format!("{axis}.")))
        {
            diag.error(
                &at,
                Target::Key,
                format!(
                    "overlaps the axis `{other}`: one would overwrite the other; vary the \
                     whole mapping or its fields, not both"
                ),
            );
            continue;
        }
        match values {
            Value::Sequence(v) if !v.is_empty() => axes.push((axis, v.clone())),
            Value::Sequence(_) => diag.error(
                &at,
                Target::Value,
                "an axis needs at least one value; remove it or list its levels",
            ),
            other => diag.error(
                &at,
                Target::Value,
                format!(
                    "an axis is a list of values, e.g. `{axis}: [{}]`; for a single value set \
                     it in `base` instead",
                    yaml_scalar(other)
                ),
            ),
        }
    }
    axes
}

pub(crate) type Variant = (Option<String>, Option<Value>);

/// The variants to cross with the grid; one unnamed variant when there are none.
fn variants(sweep: &Sweep, diag: &mut Diag<'_>) -> Vec<Variant> {
    if sweep.variants.is_empty() {
        return vec![(None, None)];
    }
    let mut out = Vec::new();
    for (name, over) in &sweep.variants {
        let name = yaml_scalar(name);
        match over {
            Value::Mapping(_) | Value::Null => out.push((Some(name), Some(over.clone()))),
            _ => diag.error(
                &YamlPath::top("variants").key(&name),
                Target::Value,
                "a variant is a partial override of `base`, e.g. `deep: { model: { layers: 3 } }`",
            ),
        }
    }
    out
}

/// The exclude patterns whose keys are all valid; invalid ones are reported and dropped.
fn excludes(sweep: &Sweep, diag: &mut Diag<'_>) -> Vec<Mapping> {
    let mut out = Vec::new();
    for (i, pattern) in sweep.exclude.iter().enumerate() {
        let at = YamlPath::top("exclude").index(i);
        let mut ok = !pattern.is_empty();
        if !ok {
            diag.error(
                &at,
                Target::Value,
                "an empty exclude would leave out every run; remove it",
            );
        }
        for (key, value) in pattern {
            let key = yaml_scalar(key);
            if key == "variant" {
                let names: Vec<String> = sweep.variants.keys().map(yaml_scalar).collect();
                let wanted = yaml_scalar(value);
                if !names.contains(&wanted) {
                    ok = false;
                    diag.error(
                        &at.key(&key),
                        Target::Value,
                        format!(
                            "no variant is named `{wanted}`{}; variants: {}",
                            did_you_mean(&wanted, names.iter().map(String::as_str)),
                            list(names.iter().map(String::as_str))
                        ),
                    );
                }
            } else if let Err(p) = check_config_path(&key) {
                ok = false;
                diag.error(
                    &at.key(&key),
                    Target::Key,
                    format!("no such config path: {}", p.message),
                );
            }
        }
        if ok {
            out.push(pattern.clone());
        }
    }
    out
}

/// Every combination of one index per axis, the last axis varying fastest.
fn cartesian(axes: &[(String, Vec<Value>)]) -> Vec<Vec<usize>> {
    let mut points = vec![Vec::new()];
    for (_, values) in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                (0..values.len()).map(move |i| {
                    let mut q = p.clone();
                    q.push(i);
                    q
                })
            })
            .collect();
    }
    points
}

/// Whether a resolved config (as YAML) and its variant match an exclude pattern.
fn excluded(pattern: &Mapping, config: &Value, variant: Option<&str>) -> bool {
    pattern.iter().all(|(k, v)| {
        let key = yaml_scalar(k);
        if key == "variant" {
            return variant == Some(yaml_scalar(v).as_str());
        }
        let actual = key.split('.').try_fold(config, |node, k| node.get(k));
        actual.is_some_and(|a| same(a, v))
    })
}

/// Equality of YAML values that treats `1` and `1.0` as the same number.
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Two runs with the same id would write the same folder: report each pair of grid points once,
/// at the value that makes the second repeat the first.
fn check_duplicates(
    runs: &[Run],
    origins: &[Origin],
    axes: &[(String, Vec<Value>)],
    diag: &mut Diag<'_>,
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, run) in runs.iter().enumerate() {
        let Some(&j) = seen.get(run.id.as_str()) else {
            seen.insert(&run.id, i);
            continue;
        };
        let (a, b) = (&origins[j], &origins[i]);
        let at = if a.variant != b.variant {
            YamlPath::top("variants").key(b.variant.as_deref().unwrap_or_default())
        } else {
            match (0..axes.len()).find(|&k| a.point[k] != b.point[k]) {
                Some(k) => YamlPath::top("grid").key(&axes[k].0).index(b.point[k]),
                None => YamlPath::top("grid"),
            }
        };
        let strip = |r: &Run| {
            let mut params = r.params.clone();
            params.retain(|(k, _)| k != "seed");
            params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        diag.error(
            &at,
            Target::Value,
            format!(
                "duplicate runs: `{}` and `{}` resolve to the same config (run id {}); remove \
                 the repeated value or variant",
                strip(&runs[j]),
                strip(run),
                run.id
            ),
        );
    }
}
