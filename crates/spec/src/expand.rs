//! Expansion with checks: every grid point of every variant is resolved into a run config,
//! remembering which line of the sweep set each value, so that a problem found in a resolved
//! config (a bad type, lr <= 0, a bidirectional language model) is reported where it was
//! written. A value written once in `base` is checked in every run; the report is deduplicated.
use std::collections::{BTreeMap, HashMap};

use serde_yaml::{Mapping, Value};

use crate::claim::{check_claim, check_metric};
use crate::hints::check_chart;
use crate::locate::{Target, YamlPath};
use crate::schema::{check_config_path, task_fields, Node, TASK_KINDS};
use crate::suggest::{did_you_mean, list};
use crate::sweep::yaml_scalar;
use crate::validate::{missing, unknown_field, Diag};
use crate::{Run, RunConfig, Severity, Sweep};

/// Validates `sweep` and returns its runs (meaningless when `diag` recorded errors).
pub(crate) fn expand(sweep: &Sweep, diag: &mut Diag<'_>) -> Vec<Run> {
    check_name(&sweep.name, diag);
    check_seeds(&sweep.seeds, diag);
    let axes = grid_axes(sweep, diag);
    let variants = variants(sweep, diag);
    let excludes = excludes(sweep, diag);
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
                hits.iter().for_each(|&i| matched[i] = true);
                continue;
            }
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
    let axis_levels = sweep.axes();
    check_claims(
        sweep,
        &axis_levels,
        complete.then_some(runs.as_slice()),
        diag,
    );
    check_report(sweep, &axis_levels, diag);
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

type Variant = (Option<String>, Option<Value>);

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

/// A run config being assembled, with the sweep path that set each config path.
#[derive(Default)]
struct Resolved {
    doc: Mapping,
    /// Config path (`model.hidden`) -> where the sweep wrote it.
    sources: BTreeMap<String, YamlPath>,
}

impl Resolved {
    /// Deep-merges `value` at `at` (a config path): mappings key by key, anything else replaces.
    fn merge(&mut self, at: &[String], value: &Value, src: &YamlPath) {
        match value {
            Value::Null if at.is_empty() => {}
            Value::Mapping(map) => {
                self.sources
                    .entry(at.join("."))
                    .or_insert_with(|| src.clone());
                if !at.is_empty() && !self.node(at).is_some_and(Value::is_mapping) {
                    self.set(at, Value::Mapping(Mapping::new()));
                }
                for (k, v) in map {
                    let key = yaml_scalar(k);
                    let mut path = at.to_vec();
                    path.push(key.clone());
                    self.merge(&path, v, &src.key(&key));
                }
            }
            _ => {
                self.set(at, value.clone());
                self.sources.insert(at.join("."), src.clone());
            }
        }
    }

    /// Replaces whatever is at `at` by `value` (a grid level).
    fn replace(&mut self, at: &[String], value: &Value, src: &YamlPath) {
        let prefix = at.join(".");
        self.sources
            .retain(|k, _| k != &prefix && !k.starts_with(&format!("{prefix}.")));
        self.set(at, Value::Null);
        self.sources.insert(prefix, src.clone());
        self.merge(at, value, src);
    }

    fn node(&self, at: &[String]) -> Option<&Value> {
        let (first, rest) = at.split_first()?;
        rest.iter()
            .try_fold(self.doc.get(first.as_str())?, |n, k| n.get(k.as_str()))
    }

    fn set(&mut self, at: &[String], value: Value) {
        let Some((last, parents)) = at.split_last() else {
            return;
        };
        let mut map = &mut self.doc;
        for key in parents {
            let slot = map
                .entry(Value::from(key.as_str()))
                .or_insert(Value::Mapping(Mapping::new()));
            if !slot.is_mapping() {
                *slot = Value::Mapping(Mapping::new());
            }
            let Value::Mapping(next) = slot else {
                return;
            };
            map = next;
        }
        map.insert(Value::from(last.as_str()), value);
    }

    /// Where the sweep set `path` or, failing that, its nearest written ancestor.
    fn source(&self, path: &str) -> YamlPath {
        let mut p = path;
        loop {
            if let Some(src) = self.sources.get(p) {
                return src.clone();
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => {
                    return self
                        .sources
                        .get("")
                        .cloned()
                        .unwrap_or_else(|| YamlPath::top("base"))
                }
            }
        }
    }

    /// Checks the assembled config against the schema and the range rules, reporting each
    /// problem where it was written; the typed config when there is no error.
    fn check(mut self, seed: u64, diag: &mut Diag<'_>) -> Option<RunConfig> {
        let raised_before = diag.raised;
        let task = self.task_node(diag);
        let mut doc = std::mem::take(&mut self.doc);
        // Bad entries are reported and removed, so the rest still gets its range checks.
        self.walk(&mut doc, &Node::Run, "", task.as_ref(), diag);
        task.as_ref()?;
        doc.insert(Value::from("seed"), Value::from(seed));
        let config: RunConfig = match serde_yaml::from_value(Value::Mapping(doc)) {
            Ok(c) => c,
            Err(e) => {
                diag.error(&self.source(""), Target::Value, e.to_string());
                return None;
            }
        };
        for p in config.check() {
            let at = self.source(&p.path);
            let message = format!("{}: {}", p.path, p.message);
            match p.severity {
                Severity::Error => diag.error(&at, Target::Value, message),
                Severity::Warning => diag.warn(&at, Target::Value, message),
            }
        }
        (diag.raised == raised_before).then_some(config)
    }

    /// The task's kind, checked; `None` (error recorded) when there is no usable kind.
    fn task_node(&self, diag: &mut Diag<'_>) -> Option<Node> {
        let Some(task) = self.doc.get("task").filter(|t| t.is_mapping()) else {
            diag.error(
                &self.source("task"),
                Target::Value,
                format!(
                    "every run needs a task: add e.g. `task: {{ kind: copy, length: 100 }}` to \
                     `base`; kinds: {}",
                    list(TASK_KINDS.iter().copied())
                ),
            );
            return None;
        };
        let Some(kind) = task.get("kind") else {
            diag.error(
                &self.source("task"),
                Target::Value,
                format!(
                    "the task needs a `kind`: one of {}",
                    list(TASK_KINDS.iter().copied())
                ),
            );
            return None;
        };
        let kind = yaml_scalar(kind);
        if task_fields(&kind).is_none() {
            diag.error(
                &self.source("task.kind"),
                Target::Value,
                format!(
                    "unknown task kind `{kind}`{}; expected one of {}",
                    did_you_mean(&kind, TASK_KINDS.iter().copied()),
                    list(TASK_KINDS.iter().copied())
                ),
            );
            return None;
        }
        Some(Node::Task(kind))
    }

    /// How an unknown-field message names `node`; for a task whose kind was set somewhere else
    /// (a grid axis, a variant), also where, since that is what makes the field unknown.
    fn describe(&self, node: &Node) -> String {
        let Node::Task(_) = node else {
            return node.name();
        };
        let kind_at = self.source("task.kind");
        let task_at = self.source("task");
        if kind_at == task_at.key("kind") {
            node.name()
        } else {
            format!("{} (set at {kind_at})", node.name())
        }
    }

    /// Checks the keys and values of `map` (config path `at`) against `node`, removing bad
    /// entries so that one problem is reported once, where it was written.
    fn walk(
        &self,
        map: &mut Mapping,
        node: &Node,
        at: &str,
        task: Option<&Node>,
        diag: &mut Diag<'_>,
    ) {
        let fields = node.fields();
        let keys: Vec<Value> = map.keys().cloned().collect();
        for key in keys {
            let name = yaml_scalar(&key);
            let path = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            };
            let src = self.source(&path);
            if *node == Node::Run && name == "seed" {
                diag.error(
                    &src,
                    Target::Key,
                    "the seed is not part of `base` or a variant: list seeds in the top-level `seeds:`",
                );
                map.remove(&key);
                continue;
            }
            if !fields.contains(&name.as_str()) {
                diag.error(
                    &src,
                    Target::Key,
                    unknown_field(&name, &self.describe(node), &fields),
                );
                map.remove(&key);
                continue;
            }
            let child = match node.child(&name) {
                // Without a usable kind the task was reported already; its fields cannot be judged.
                Some(Node::AnyTask) => match task {
                    Some(t) => Some(t.clone()),
                    None => continue,
                },
                other => other,
            };
            let value = map.get_mut(&key).expect("key taken from this map");
            match (child, value) {
                (Some(_), Value::Null) => {
                    map.remove(&key);
                }
                (Some(child), Value::Mapping(inner)) => {
                    self.walk(inner, &child, &path, task, diag);
                }
                (Some(_), other) => {
                    diag.error(
                        &src,
                        Target::Value,
                        format!(
                            "`{path}` is a mapping of fields, not `{}`; e.g. `{path}: {{ {} }}`",
                            yaml_scalar(other),
                            example(&path)
                        ),
                    );
                    map.remove(&key);
                }
                (None, value) => {
                    if let Err(e) = node.probe(&name, value) {
                        diag.error(
                            &src,
                            Target::Value,
                            explain(&path, &e, node.default_of(&name)),
                        );
                        map.remove(&key);
                    }
                }
            }
        }
    }
}

fn example(path: &str) -> &'static str {
    match path {
        "task" => "kind: copy, length: 100",
        "model" => "cell: lstm, hidden: 64",
        "train" => "lr: 1.0e-3, steps: 2000",
        "train.clip" => "kind: norm, max: 1.0",
        "stop" => "solved: { metric: accuracy, at_least: 0.99 }",
        _ => "metric: accuracy, at_least: 0.99",
    }
}

/// Turns serde's message about one field into advice: the closest variant for a misspelt
/// name, or the default as an example of a value of the right type.
fn explain(path: &str, serde_message: &str, default: Option<Value>) -> String {
    if let Some(rest) = serde_message.strip_prefix("unknown variant `") {
        // "unknown variant `x`, expected one of `a`, `b`": names sit between backticks.
        let names: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let given = rest.split('`').next().unwrap_or_default();
        return format!(
            "`{path}`: unknown value `{given}`{}; expected one of {}",
            did_you_mean(given, names.iter().copied()),
            list(names.iter().copied())
        );
    }
    let example = default
        .map(|d| format!("; e.g. `{path}: {}`", yaml_scalar(&d)))
        .unwrap_or_default();
    format!("`{path}`: {serde_message}{example}")
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

fn check_claims(
    sweep: &Sweep,
    axes: &[(String, Vec<String>)],
    runs: Option<&[Run]>,
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
        for (key, message) in check_claim(claim, axes, runs) {
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
    }
}

fn check_report(sweep: &Sweep, axes: &[(String, Vec<String>)], diag: &mut Diag<'_>) {
    let report = YamlPath::top("report");
    if let Some(Err(e)) = sweep.report.metric.as_deref().map(check_metric) {
        diag.error(&report.key("metric"), Target::Value, e);
    }
    for (i, chart) in sweep.report.charts.iter().flatten().enumerate() {
        let at = report.key("charts").index(i);
        for (key, message) in check_chart(chart, axes) {
            diag.error(&at.key(key), Target::Value, message);
        }
    }
}
