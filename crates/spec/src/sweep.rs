use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::{Run, RunConfig, SpecError};

/// A sweep as written in YAML: a base run, the axes to vary, the seeds, and the claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// Name of the sweep; also the results folder `results/<name>/`.
    pub name: String,
    /// The question the sweep answers, one or two sentences. Default empty.
    #[serde(default)]
    pub description: String,
    /// The run every grid point starts from: `task`, `model`, `train`, `stop`.
    pub base: Value,
    /// Dotted paths to lists of values; the sweep runs their cartesian product, in the order
    /// written (the last axis varies fastest). Default: none.
    #[serde(default)]
    pub grid: Mapping,
    /// Named partial overrides of `base`, each crossed with the grid. Default: none.
    #[serde(default)]
    pub variants: Mapping,
    /// One run per seed for every grid point. Default `[1]`.
    #[serde(default = "default_seeds")]
    pub seeds: Vec<u64>,
    /// Partial matches (`{ path: value, ... }`) of grid points to leave out. Default: none.
    #[serde(default)]
    pub exclude: Vec<Mapping>,
    /// What the sweep is expected to show; judged by `rnnlab check`. Default: none.
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// Chart hints for `rnnlab report`. Default: chosen from the sweep's axes.
    #[serde(default)]
    pub report: Value,
}

fn default_seeds() -> Vec<u64> {
    vec![1]
}

/// An expected outcome: under `where`, `metric` compares as `expect` across the levels of `by`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub name: String,
    #[serde(default, rename = "where")]
    pub filter: Mapping,
    pub metric: String,
    pub expect: String,
    pub by: String,
}

impl Sweep {
    /// Reads and parses a sweep file.
    pub fn load(path: &Path) -> Result<Sweep, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.to_owned(),
            source,
        })?;
        Sweep::parse(&text, path)
    }

    /// Parses sweep YAML; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Sweep, SpecError> {
        serde_yaml::from_str(text).map_err(|e| SpecError::Yaml {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    /// Expands the sweep into its runs, in a deterministic order: variants, then grid points
    /// (last axis fastest), then seeds.
    pub fn expand(&self, path: &Path) -> Result<Vec<Run>, SpecError> {
        let invalid = |at: String, message: String| SpecError::Invalid {
            path: PathBuf::from(path),
            at,
            message,
        };
        let mut variants: Vec<(Option<String>, Value)> = Vec::new();
        if self.variants.is_empty() {
            variants.push((None, Value::Null));
        }
        for (name, overrides) in &self.variants {
            variants.push((Some(yaml_scalar(name)), overrides.clone()));
        }
        let axes: Vec<(String, Vec<Value>)> = self
            .grid
            .iter()
            .map(|(k, v)| match v {
                Value::Sequence(values) if !values.is_empty() => {
                    Ok((yaml_scalar(k), values.clone()))
                }
                _ => Err(invalid(
                    format!("grid.{}", yaml_scalar(k)),
                    "a grid axis must be a non-empty list of values".into(),
                )),
            })
            .collect::<Result<_, _>>()?;

        let mut runs = Vec::new();
        for (variant, overrides) in &variants {
            for point in cartesian(&axes) {
                let mut doc = self.base.clone();
                merge(&mut doc, overrides);
                let mut params = Vec::new();
                if let Some(v) = variant {
                    params.push(("variant".to_string(), v.clone()));
                }
                for (axis, value) in axes.iter().map(|(k, _)| k).zip(&point) {
                    set_path(&mut doc, axis, value.clone());
                    params.push((axis.clone(), yaml_scalar(value)));
                }
                if self
                    .exclude
                    .iter()
                    .any(|e| excluded(e, &doc, variant.as_deref()))
                {
                    continue;
                }
                for &seed in &self.seeds {
                    let mut with_seed = doc.clone();
                    set_path(&mut with_seed, "seed", Value::from(seed));
                    let config: RunConfig = serde_yaml::from_value(with_seed).map_err(|e| {
                        invalid(format!("base (at {})", describe(&params)), e.to_string())
                    })?;
                    let mut params = params.clone();
                    params.push(("seed".to_string(), seed.to_string()));
                    runs.push(Run::new(config, params));
                }
            }
        }
        Ok(runs)
    }
}

fn describe(params: &[(String, String)]) -> String {
    if params.is_empty() {
        return "the base run".into();
    }
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every combination of one value per axis, the last axis varying fastest.
fn cartesian(axes: &[(String, Vec<Value>)]) -> Vec<Vec<Value>> {
    let mut points = vec![Vec::new()];
    for (_, values) in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(v.clone());
                    q
                })
            })
            .collect();
    }
    points
}

/// Deep-merges `over` into `base`: mappings merge key by key, anything else replaces.
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (_, Value::Null) => {}
        (Value::Mapping(b), Value::Mapping(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Sets `a.b.c` in a YAML document, creating mappings on the way.
fn set_path(doc: &mut Value, path: &str, value: Value) {
    let mut node = doc;
    for key in path.split('.') {
        if !node.is_mapping() {
            *node = Value::Mapping(Mapping::new());
        }
        let Value::Mapping(map) = node else {
            unreachable!()
        };
        node = map.entry(Value::from(key)).or_insert(Value::Null);
    }
    *node = value;
}

/// Reads `a.b.c` from a YAML document.
pub(crate) fn get_path<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(doc, |node, key| node.get(key))
}

fn excluded(pattern: &Mapping, doc: &Value, variant: Option<&str>) -> bool {
    pattern.iter().all(|(k, v)| {
        let key = yaml_scalar(k);
        if key == "variant" {
            return variant == Some(yaml_scalar(v).as_str());
        }
        get_path(doc, &key) == Some(v)
    })
}

/// A YAML scalar as plain text (`lstm`, `100`, `0.5`, `true`); other values as flow YAML.
pub(crate) fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .replace('\n', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SWEEP: &str = r#"
name: cells
base:
  task: { kind: copy, length: 100 }
  model: { cell: lstm, hidden: 32 }
grid:
  model.cell: [rnn_tanh, lstm, gru]
  task.length: [50, 100]
seeds: [1, 2]
exclude:
  - { model.cell: rnn_tanh, task.length: 100 }
"#;

    #[test]
    fn expands_the_grid_in_order_without_excluded_points() {
        let sweep = Sweep::parse(SWEEP, Path::new("s.yaml")).unwrap();
        let runs = sweep.expand(Path::new("s.yaml")).unwrap();
        let labels: Vec<String> = runs.iter().map(Run::label).collect();
        assert_eq!(labels.len(), (3 * 2 - 1) * 2);
        assert_eq!(labels[0], "model.cell=rnn_tanh task.length=50 seed=1");
        assert_eq!(labels[2], "model.cell=lstm task.length=50 seed=1");
        assert!(!labels
            .iter()
            .any(|l| l.contains("rnn_tanh task.length=100")));
        assert_eq!(runs[0].config.model.hidden, 32);
        let mut ids: Vec<&str> = runs.iter().map(|r| r.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), runs.len(), "run ids are unique");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let bad = SWEEP.replace("hidden: 32", "hiden: 32");
        let sweep = Sweep::parse(&bad, Path::new("s.yaml")).unwrap();
        let err = sweep.expand(Path::new("s.yaml")).unwrap_err().to_string();
        assert!(err.contains("hiden"), "{err}");
    }
}
