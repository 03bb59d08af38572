//! One grid point's run config, assembled from `base`, a variant and grid levels while
//! remembering which place in the sweep set each value, then checked: problems found in the
//! assembled config are reported where they were written.
use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use crate::locate::{Target, YamlPath};
use crate::schema::{task_fields, Node, TASK_KINDS};
use crate::suggest::{did_you_mean, list};
use crate::sweep::yaml_scalar;
use crate::validate::{unknown_field, Diag};
use crate::{RunConfig, Severity};

/// A run config being assembled, with the sweep path that set each config path.
#[derive(Default)]
pub(crate) struct Resolved {
    doc: Mapping,
    /// Config path (`model.hidden`) -> where the sweep wrote it.
    sources: BTreeMap<String, YamlPath>,
}

impl Resolved {
    /// Deep-merges `value` at `at` (a config path): mappings key by key, anything else replaces.
    pub(crate) fn merge(&mut self, at: &[String], value: &Value, src: &YamlPath) {
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
    pub(crate) fn replace(&mut self, at: &[String], value: &Value, src: &YamlPath) {
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
    pub(crate) fn check(mut self, seed: u64, diag: &mut Diag<'_>) -> Option<RunConfig> {
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
        let kind_at = self.source("task.kind");
        let kind_elsewhere = kind_at != self.source("task").key("kind");
        for p in config.check() {
            let at = self.source(&p.path);
            let mut message = format!("{}: {}", p.path, p.message);
            if kind_elsewhere && p.path.starts_with("stop.") {
                // Say where the kind the metric is checked against was set (a grid level).
                let kind = format!("task `{}`", config.task.kind());
                message = message.replacen(&kind, &format!("{kind} (set at {kind_at})"), 1);
            }
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
        "stop.diverged" => "loss_above_baseline: 10, evaluations: 2",
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
    // serde's words for a tagged value (`!name 3`) and for a non-name where a name belongs
    // speak of its own types; say it in the sweep's terms (both found by tests/fuzz.rs).
    if serde_message.contains("tagged enums do not support enum input") {
        return format!(
            "`{path}`: a YAML tag (`!name`) has no meaning in a sweep; write the value without \
             it{example}"
        );
    }
    let message = serde_message.replace("expected a Value::Tagged enum", "expected a name");
    format!("`{path}`: {message}{example}")
}
