//! Reading a results folder (docs/results.md): the sweep as run, and every run's params and
//! summary. The per-evaluation files (metrics.csv, breakdown.csv, gradflow.csv) are scanned
//! with polars in `frames`, not here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rnnlab_spec::Sweep;
use serde::Deserialize;
use serde_yaml::Value;

use crate::hints::Hints;
use crate::ReportError;

/// A run's `summary.json`. Every field is optional so that a runner adding fields, or an old
/// run missing some, still loads; metrics that are NaN in the run are `null` in JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Summary {
    pub id: Option<String>,
    pub status: String,
    pub steps: Option<f64>,
    #[serde(rename = "final")]
    pub final_metrics: BTreeMap<String, Option<f64>>,
    pub best: BTreeMap<String, Option<f64>>,
    pub steps_to_solve: Option<f64>,
    pub params: Option<f64>,
    pub wall_s: Option<f64>,
    pub steps_per_s: Option<f64>,
    pub baselines: BTreeMap<String, BaselineValue>,
    pub error: Option<String>,
    pub device: Option<String>,
    pub rnnlab: Option<String>,
    pub libtorch: Option<String>,
    /// The CPU the run used, if the runner records it.
    pub cpu: Option<String>,
}

/// A no-learning reference score: `{"metric": "mse", "value": 0.16667}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BaselineValue {
    pub metric: String,
    pub value: Option<f64>,
}

impl Summary {
    /// The value of a metric reference: `final.<m>`, `best.<m>`, `steps_to_solve`, `wall_s`,
    /// `steps_per_s`, `params`, `steps`, or `solved` (1 when the run met its stop criterion).
    pub fn value(&self, metric: &str) -> Option<f64> {
        let v = if let Some(m) = metric.strip_prefix("final.") {
            self.final_metrics.get(m).copied().flatten()
        } else if let Some(m) = metric.strip_prefix("best.") {
            self.best.get(m).copied().flatten()
        } else {
            match metric {
                "steps_to_solve" => self.steps_to_solve,
                "wall_s" => self.wall_s,
                "steps_per_s" => self.steps_per_s,
                "params" => self.params,
                "steps" => self.steps,
                "solved" => Some(if self.solved() { 1.0 } else { 0.0 }),
                "diverged" => Some(if self.status == "diverged" { 1.0 } else { 0.0 }),
                _ => None,
            }
        };
        v.filter(|x| x.is_finite())
    }

    pub fn solved(&self) -> bool {
        self.status == "solved" || self.steps_to_solve.is_some()
    }
}

/// One axis of the sweep: a parameter that varies across runs (the seed excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub name: String,
    /// Its levels, in display order: numeric order when every level is a number, else the
    /// order of the sweep file, else alphabetical.
    pub levels: Vec<String>,
    pub numeric: bool,
}

impl Axis {
    /// `task.length` → `length`: the name used in legends.
    pub fn short(&self) -> &str {
        short_name(&self.name)
    }
}

pub fn short_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// A run with a summary.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub id: String,
    pub dir: PathBuf,
    /// Index into [`Results::cells`].
    pub cell: usize,
    pub seed: String,
    pub summary: Summary,
}

/// A variant: one grid point, every seed of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Its level on each axis, in [`Results::axes`] order.
    pub levels: Vec<String>,
    /// Indices into [`Results::runs`].
    pub runs: Vec<usize>,
}

/// A loaded results folder.
#[derive(Debug, Clone)]
pub struct Results {
    pub dir: PathBuf,
    pub sweep: Sweep,
    pub hints: Hints,
    pub axes: Vec<Axis>,
    pub cells: Vec<Cell>,
    /// Sorted by cell, then seed.
    pub runs: Vec<RunRecord>,
    /// Run folders without a summary yet (running, or never started).
    pub pending: usize,
    /// Runs whose id is not in the sweep's current expansion (the sweep file changed since);
    /// left out of every table.
    pub stale: usize,
}

impl Results {
    /// Loads `dir`: `sweep.yaml` and every `runs/<id>/` with a `summary.json`.
    pub fn load(dir: &Path) -> Result<Results, ReportError> {
        let sweep_path = dir.join("sweep.yaml");
        let runs_dir = dir.join("runs");
        if !sweep_path.is_file() || !runs_dir.is_dir() {
            return Err(ReportError::NotResults {
                path: dir.to_owned(),
            });
        }
        let text = std::fs::read_to_string(&sweep_path).map_err(ReportError::io(&sweep_path))?;
        let sweep = Sweep::parse(&text, &sweep_path).map_err(|e| ReportError::Sweep {
            path: sweep_path.clone(),
            message: e.to_string(),
        })?;
        let hints = Hints::from(&sweep.report);
        // The ids the sweep expands to now; None when the spec cannot expand it (then every run
        // in the folder counts).
        let current: Option<std::collections::HashSet<String>> = sweep
            .expand(&sweep_path)
            .ok()
            .map(|runs| runs.into_iter().map(|r| r.id).collect());

        let mut entries: Vec<PathBuf> = std::fs::read_dir(&runs_dir)
            .map_err(ReportError::io(&runs_dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();

        let mut pending = 0;
        let mut stale = 0;
        let mut loaded: Vec<Loaded> = Vec::new();
        for run_dir in entries {
            let id = run_dir
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let summary_path = run_dir.join("summary.json");
            if !summary_path.is_file() {
                pending += 1;
                continue;
            }
            if current.as_ref().is_some_and(|ids| !ids.contains(&id)) {
                stale += 1;
                continue;
            }
            let text =
                std::fs::read_to_string(&summary_path).map_err(ReportError::io(&summary_path))?;
            let summary: Summary = serde_json::from_str(&text).map_err(|e| ReportError::Json {
                path: summary_path.clone(),
                message: e.to_string(),
            })?;
            let params = read_params(&run_dir.join("params.json"))?;
            loaded.push((params, id, run_dir, summary));
        }
        if loaded.is_empty() {
            return Err(ReportError::NoRuns {
                path: dir.to_owned(),
            });
        }

        // Axes: the parameters of the first run, in its order, then any others seen later.
        let mut names: Vec<String> = Vec::new();
        for (params, ..) in &loaded {
            for (k, _) in params {
                if k != "seed" && !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
        let axes: Vec<Axis> = names
            .iter()
            .map(|name| {
                let mut levels: Vec<String> = Vec::new();
                for (params, ..) in &loaded {
                    let v = lookup(params, name).to_string();
                    if !levels.contains(&v) {
                        levels.push(v);
                    }
                }
                order_levels(name, levels, &sweep)
            })
            .collect();

        // Cells, in axis-level order.
        let key = |params: &[(String, String)]| -> Vec<usize> {
            axes.iter()
                .map(|a| {
                    let v = lookup(params, &a.name);
                    a.levels.iter().position(|l| l == v).unwrap_or(usize::MAX)
                })
                .collect()
        };
        let seed_key = |s: &str| (s.parse::<f64>().unwrap_or(f64::INFINITY), s.to_string());
        loaded.sort_by(|a, b| {
            key(&a.0).cmp(&key(&b.0)).then_with(|| {
                let (x, y) = (
                    seed_key(lookup(&a.0, "seed")),
                    seed_key(lookup(&b.0, "seed")),
                );
                x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(a.1.cmp(&b.1))
            })
        });
        let mut cells: Vec<Cell> = Vec::new();
        let mut runs = Vec::with_capacity(loaded.len());
        for (params, id, dir, summary) in loaded {
            let levels: Vec<String> = axes
                .iter()
                .map(|a| lookup(&params, &a.name).to_string())
                .collect();
            if cells.last().map(|c| &c.levels) != Some(&levels) {
                cells.push(Cell {
                    levels,
                    runs: Vec::new(),
                });
            }
            let cell = cells.len() - 1;
            cells[cell].runs.push(runs.len());
            runs.push(RunRecord {
                id,
                dir,
                cell,
                seed: lookup(&params, "seed").to_string(),
                summary,
            });
        }
        Ok(Results {
            dir: dir.to_owned(),
            sweep,
            hints,
            axes,
            cells,
            runs,
            pending,
            stale,
        })
    }

    /// `model.cell=lstm task.length=100`, or `all runs` for a sweep without axes.
    pub fn cell_label(&self, cell: usize) -> String {
        if self.axes.is_empty() {
            return "all runs".into();
        }
        self.axes
            .iter()
            .zip(&self.cells[cell].levels)
            .map(|(a, l)| format!("{}={}", a.name, l))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The label of a cell on the axes other than `except` (legends of charts whose x axis is
    /// `except`), with short axis names: `cell=lstm skip=none`.
    pub fn series_label(&self, cell: usize, except: &[usize]) -> String {
        let parts: Vec<String> = self
            .axes
            .iter()
            .enumerate()
            .filter(|(i, _)| !except.contains(i))
            .map(|(i, a)| format!("{}={}", a.short(), self.cells[cell].levels[i]))
            .collect();
        if parts.is_empty() {
            "all runs".into()
        } else {
            parts.join(" ")
        }
    }

    pub fn axis_index(&self, name: &str) -> Option<usize> {
        self.axes.iter().position(|a| a.name == name)
    }

    /// Finite values of `metric` over the runs of `cell`.
    pub fn cell_values(&self, cell: usize, metric: &str) -> Vec<f64> {
        self.cells[cell]
            .runs
            .iter()
            .filter_map(|&r| self.runs[r].summary.value(metric))
            .collect()
    }

    /// The sweep's `base` value at a dotted path (`stop.solved.metric`).
    pub fn base_value(&self, path: &str) -> Option<&Value> {
        path.split('.')
            .try_fold(&self.sweep.base, |node, key| node.get(key))
    }

    /// The level of run `run` for a parameter: an axis, or else the run's config.yaml (for a
    /// `where` on a parameter that does not vary).
    pub fn run_param(&self, run: usize, name: &str) -> Option<String> {
        if let Some(i) = self.axis_index(name) {
            return Some(self.cells[self.runs[run].cell].levels[i].clone());
        }
        if name == "seed" {
            return Some(self.runs[run].seed.clone());
        }
        let path = self.runs[run].dir.join("config.yaml");
        let text = std::fs::read_to_string(path).ok()?;
        let doc: Value = serde_yaml::from_str(&text).ok()?;
        let v = name.split('.').try_fold(&doc, |node, key| node.get(key))?;
        Some(scalar(v))
    }
}

/// A run as read: params (in order), id, folder, summary.
type Loaded = (Vec<(String, String)>, String, PathBuf, Summary);

fn lookup<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Reads params.json keeping its key order (JSON is YAML, and YAML mappings keep order; a
/// serde_json map would sort the keys).
fn read_params(path: &Path) -> Result<Vec<(String, String)>, ReportError> {
    let text = std::fs::read_to_string(path).map_err(ReportError::io(path))?;
    let map: serde_yaml::Mapping = serde_yaml::from_str(&text).map_err(|e| ReportError::Json {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(map.iter().map(|(k, v)| (scalar(k), scalar(v))).collect())
}

/// A YAML scalar as the text params.json holds: the spec's own rendering, so levels read back
/// from results match the ones the sweep expanded to.
pub(crate) use rnnlab_spec::yaml_scalar as scalar;

fn order_levels(name: &str, mut levels: Vec<String>, sweep: &Sweep) -> Axis {
    let numbers: Option<Vec<f64>> = levels.iter().map(|l| l.parse::<f64>().ok()).collect();
    if let Some(mut pairs) = numbers.map(|n| n.into_iter().zip(levels.clone()).collect::<Vec<_>>())
    {
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        return Axis {
            name: name.to_string(),
            levels: pairs.into_iter().map(|(_, l)| l).collect(),
            numeric: true,
        };
    }
    let written: Vec<String> = if name == "variant" {
        sweep.variants.keys().map(scalar).collect()
    } else {
        sweep
            .grid
            .get(name)
            .and_then(Value::as_sequence)
            .map(|s| s.iter().map(scalar).collect())
            .unwrap_or_default()
    };
    levels.sort_by_key(|l| {
        (
            written.iter().position(|w| w == l).unwrap_or(usize::MAX),
            l.clone(),
        )
    });
    Axis {
        name: name.to_string(),
        levels,
        numeric: false,
    }
}
