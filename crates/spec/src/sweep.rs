use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::evalset::EvalSets;
use crate::search::{Search, SearchPlan};
use crate::validate::{parse_sweep, Diag};
use crate::{Claim, Limits, Rejected, ReportHints, Run, SpecError, SpecWarning};

/// A sweep as written in YAML: a base run, the axes to vary, the seeds, and the claims.
/// `docs/sweeps.md` documents every field.
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
    pub report: ReportHints,
    /// An equal-budget hyperparameter search per variant × grid point (`docs/sweeps.md`,
    /// "search"). Default: none (each grid point runs once per seed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<Search>,
    /// Named sets of external test files that `rnnlab run` scores the saved runs on when they
    /// finish, for claims on `eval.SET` (docs/eval.md). Default: none.
    #[serde(default, skip_serializing_if = "EvalSets::is_empty")]
    pub eval: EvalSets,
}

fn default_seeds() -> Vec<u64> {
    vec![1]
}

/// A sweep that passed validation, its runs in order, and any warnings to show.
#[derive(Debug, Clone)]
pub struct Expanded {
    pub sweep: Sweep,
    pub runs: Vec<Run>,
    pub warnings: Vec<SpecWarning>,
    /// The search's groups, trials, rungs and confirmation seeds, when the sweep has a
    /// `search:` block; its trial runs are `runs`.
    pub search: Option<SearchPlan>,
}

impl Sweep {
    /// Reads, validates and expands a sweep file: what `rnnlab validate` and `rnnlab run` call.
    /// On failure, every error found (each with file, YAML path, `line:column` and what to
    /// do) and the warnings.
    pub fn load_and_expand(path: &Path) -> Result<Expanded, Rejected> {
        Sweep::load_and_expand_with(path, &Limits::default())
    }

    /// [`Sweep::load_and_expand`] within `limits` (`--max-runs`). The file is read only up to
    /// one byte past `limits.max_bytes`, so a huge file (or `/dev/zero`) costs nothing.
    pub fn load_and_expand_with(path: &Path, limits: &Limits) -> Result<Expanded, Rejected> {
        match read_bounded(path, limits.max_bytes) {
            Ok(text) => Sweep::parse_and_expand_with(&text, path, limits),
            Err(source) => Err(Rejected {
                errors: vec![SpecError::Read {
                    path: path.to_owned(),
                    source,
                }],
                warnings: Vec::new(),
            }),
        }
    }

    /// [`Sweep::load_and_expand`] on text; `path` names the file in messages.
    pub fn parse_and_expand(text: &str, path: &Path) -> Result<Expanded, Rejected> {
        Sweep::parse_and_expand_with(text, path, &Limits::default())
    }

    /// [`Sweep::parse_and_expand`] within `limits`.
    pub fn parse_and_expand_with(
        text: &str,
        path: &Path,
        limits: &Limits,
    ) -> Result<Expanded, Rejected> {
        let mut diag = Diag::new(path, Some(text)).with_limits(*limits);
        let sweep = parse_sweep(text, &mut diag);
        let runs = match &sweep {
            Some(sweep) => crate::expand::expand(sweep, &mut diag),
            None => Vec::new(),
        };
        finish(sweep, runs, diag)
    }

    /// Validates and expands a sweep built in code or already parsed. Errors carry YAML paths
    /// but no positions: there is no text to point into.
    pub fn validate(&self, path: &Path) -> Result<Expanded, Rejected> {
        let mut diag = Diag::new(path, None);
        let runs = crate::expand::expand(self, &mut diag);
        finish(Some(self.clone()), runs, diag)
    }

    /// Reads, validates and returns a sweep; the first error if it is invalid. No bound on the
    /// number of runs: this reads sweeps already run (a results folder's `sweep.yaml`, which
    /// `rnnlab run --max-runs` may have let past the default).
    pub fn load(path: &Path) -> Result<Sweep, SpecError> {
        Sweep::load_and_expand_with(path, &Limits::any_runs())
            .map(|e| e.sweep)
            .map_err(first)
    }

    /// Parses and validates sweep text; the first error if it is invalid. No bound on the
    /// number of runs, as [`Sweep::load`].
    pub fn parse(text: &str, path: &Path) -> Result<Sweep, SpecError> {
        Sweep::parse_and_expand_with(text, path, &Limits::any_runs())
            .map(|e| e.sweep)
            .map_err(first)
    }

    /// The runs of a sweep, in a deterministic order: variants (as written), then grid points
    /// (the last axis fastest), then seeds. The first error if the sweep is invalid.
    pub fn expand(&self, path: &Path) -> Result<Vec<Run>, SpecError> {
        self.validate(path).map(|e| e.runs).map_err(first)
    }

    /// The task kinds the sweep's runs use, each once, in run order (a grid may vary
    /// `task.kind`); their metrics are [`metric::task`](crate::metric::task)'s. Empty when the
    /// sweep does not expand.
    pub fn task_kinds(&self) -> Vec<&'static str> {
        let mut diag = Diag::new(Path::new("sweep.yaml"), None);
        let runs = crate::expand::expand(self, &mut diag);
        crate::claim::task_kinds(&runs)
    }

    /// The sweep's axes and their levels as text, as runs' `params` name them: `variant`
    /// first (when there are variants), then the grid axes in order.
    pub fn axes(&self) -> Vec<(String, Vec<String>)> {
        let mut axes = Vec::new();
        if !self.variants.is_empty() {
            axes.push((
                "variant".to_string(),
                self.variants.keys().map(yaml_scalar).collect(),
            ));
        }
        for (k, v) in &self.grid {
            let levels = match v {
                Value::Sequence(values) => values.iter().map(yaml_scalar).collect(),
                _ => Vec::new(),
            };
            axes.push((yaml_scalar(k), levels));
        }
        axes
    }
}

fn finish(sweep: Option<Sweep>, runs: Vec<Run>, diag: Diag<'_>) -> Result<Expanded, Rejected> {
    let (errors, warnings) = diag.into_errors();
    match sweep {
        Some(sweep) if errors.is_empty() => Ok(Expanded {
            search: crate::search::plan_of(&sweep, &runs),
            sweep,
            runs,
            warnings,
        }),
        _ => Err(Rejected { errors, warnings }),
    }
}

/// The file's text, reading at most `max + 1` bytes: enough for the size check to refuse a
/// larger file without holding it.
fn read_bounded(path: &Path, max: usize) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)?;
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}

fn first(rejected: Rejected) -> SpecError {
    rejected
        .errors
        .into_iter()
        .next()
        .expect("a rejected sweep has at least one error")
}

/// A YAML scalar as plain text (`lstm`, `100`, `0.5`, `true`); other values as flow YAML.
/// This is how levels appear in run params, claims and labels.
pub fn yaml_scalar(v: &Value) -> String {
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
    fn expansion_is_deterministic_and_independent_of_key_order() {
        let reordered = SWEEP.replace(
            "model: { cell: lstm, hidden: 32 }",
            "model: { hidden: 32, cell: lstm }",
        );
        // Without this the test would compare SWEEP with itself once SWEEP's text changes.
        assert_ne!(
            reordered, SWEEP,
            "the reordering no longer applies to SWEEP"
        );
        let ids = |text: &str| -> Vec<String> {
            let e = Sweep::parse_and_expand(text, Path::new("s.yaml")).unwrap();
            e.runs.into_iter().map(|r| r.id).collect()
        };
        assert_eq!(ids(SWEEP), ids(SWEEP));
        assert_eq!(ids(SWEEP), ids(&reordered));
    }

    #[test]
    fn unknown_fields_are_rejected_with_position() {
        let bad = SWEEP.replace("hidden: 32", "hiden: 32");
        let err = Sweep::parse(&bad, Path::new("s.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("s.yaml: base.model.hiden (line 5 column 24): unknown field `hiden`"),
            "{err}"
        );
        assert!(err.contains("did you mean `hidden`?"), "{err}");
    }

    #[test]
    fn a_sweep_built_in_code_validates_without_positions() {
        let mut sweep = Sweep::parse(SWEEP, Path::new("s.yaml")).unwrap();
        sweep.seeds.clear();
        let err = sweep.expand(Path::new("s.yaml")).unwrap_err();
        assert_eq!(err.location(), None);
        assert!(err.to_string().contains("seeds"), "{err}");
    }

    #[test]
    fn anchors_and_merge_keys_resolve() {
        let text = "name: a\nbase:\n  task: &t { kind: adding, length: 20 }\n\
                    variants:\n  short: { task: *t }\n  long: { task: { <<: *t, length: 30 } }\n";
        let runs = Sweep::parse_and_expand(text, Path::new("s.yaml"))
            .unwrap()
            .runs;
        let lengths: Vec<String> = runs
            .iter()
            .map(|r| serde_json::to_value(&r.config.task).unwrap()["length"].to_string())
            .collect();
        assert_eq!(lengths, ["20", "30"]);
    }

    #[test]
    fn task_kinds_are_those_of_the_runs() {
        let sweep = Sweep::parse(SWEEP, Path::new("s.yaml")).unwrap();
        assert_eq!(sweep.task_kinds(), ["copy"]);
        let text = SWEEP.replace("task.length: [50, 100]", "task.kind: [adding, copy]");
        let text = text.replace("task.length: 100 }", "task.kind: copy }");
        let sweep = Sweep::parse(&text, Path::new("s.yaml")).unwrap();
        assert_eq!(sweep.task_kinds(), ["adding", "copy"]);
    }

    #[test]
    fn axes_list_variant_then_grid_levels() {
        let text = SWEEP.replace(
            "seeds:",
            "variants: { a: {}, b: { model: { layers: 2 } } }\nseeds:",
        );
        let sweep = Sweep::parse(&text, Path::new("s.yaml")).unwrap();
        let axes = sweep.axes();
        assert_eq!(axes[0], ("variant".into(), vec!["a".into(), "b".into()]));
        assert_eq!(axes[2].1, vec!["50".to_string(), "100".into()]);
    }
}
