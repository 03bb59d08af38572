//! Reading a results folder (docs/results.md): the sweep as run, and every run's params and
//! summary. The per-evaluation files (metrics.csv, breakdown.csv, gradflow.csv) are scanned
//! with polars in `frames`, not here.

use std::path::{Path, PathBuf};

use std::sync::OnceLock;

use rayon::prelude::*;

use rnnlab_spec::{ReportHints, Sweep};
use serde_yaml::Value;

use rnnlab_results::{read_params, read_summary, Layout, RunFiles};

use crate::search::SearchResults;
use crate::ReportError;

pub use rnnlab_results::{Status, Summary};

mod axes;
mod derived;
use axes::order_levels;
pub use axes::Axis;
use derived::{derive, derived_refs};

/// The value of a metric reference in a run's summary: `final.<m>`, `best.<m>`,
/// `steps_to_solve`, `wall_s`, `steps_per_s`, `params`, `steps`, `solved` (1 when the run met
/// its stop criterion) or `diverged`; `grad.D` and `eval.SET` when [`Results::load`] read them
/// (see `derived`). None when not measured or not finite.
pub fn value(summary: &Summary, metric: &str) -> Option<f64> {
    let v = if let Some(m) = metric.strip_prefix("final.") {
        summary.final_value(m)
    } else if let Some(m) = metric.strip_prefix("best.") {
        summary.best_value(m)
    } else {
        match metric {
            "steps_to_solve" => summary.steps_to_solve.map(|s| s as f64),
            "wall_s" => Some(summary.wall_s),
            "steps_per_s" => Some(summary.steps_per_s),
            "params" => Some(summary.params as f64),
            "steps" => Some(summary.steps as f64),
            "solved" => Some(f64::from(u8::from(summary.solved()))),
            "diverged" => Some(f64::from(u8::from(summary.diverged()))),
            // `grad.D`, `eval.SET`: read from the run's other files when the folder loaded.
            _ => summary.derived.get(metric).copied(),
        }
    };
    v.filter(|x| x.is_finite())
}

/// A run with a summary.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub id: String,
    pub dir: PathBuf,
    /// Index into [`Results::groups`].
    pub group: usize,
    pub seed: String,
    pub summary: Summary,
    /// Its resolved config as YAML: the spec's expansion when the sweep expands, else read
    /// from config.yaml on first use; None when neither is available.
    config: OnceLock<Option<Value>>,
}

impl RunRecord {
    /// The run's resolved config (the spec's, or its config.yaml), read at most once.
    fn config(&self) -> Option<&Value> {
        self.config
            .get_or_init(|| {
                let text = std::fs::read_to_string(RunFiles::at(&self.dir).config()).ok()?;
                serde_yaml::from_str(&text).ok()
            })
            .as_ref()
    }
}

/// A variant: one grid point, every seed of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
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
    /// The sweep's `report:` section, as the spec parsed it.
    pub hints: ReportHints,
    pub axes: Vec<Axis>,
    pub groups: Vec<Group>,
    /// Sorted by group, then seed.
    pub runs: Vec<RunRecord>,
    /// Run folders without a summary yet (running, or never started).
    pub pending: usize,
    /// Runs whose id is not in the sweep's current expansion (the sweep file changed since);
    /// left out of every table.
    pub stale: usize,
    /// A `search:` sweep's trial runs with a summary. They are not in `runs` (the main
    /// results of a search are its confirmation runs) nor stale: the search section shows
    /// them, from `search`.
    pub tuning: usize,
    /// What the search did, for a sweep with a `search:` block (docs/search.md).
    pub search: Option<SearchResults>,
}

impl Results {
    /// Loads `dir`: `sweep.yaml` and every `runs/<id>/` with a `summary.json`.
    pub fn load(dir: &Path) -> Result<Results, ReportError> {
        let layout = Layout::new(dir);
        let (sweep_path, runs_dir) = (layout.sweep(), layout.runs());
        if !layout.exists() {
            return Err(ReportError::NotResults {
                path: dir.to_owned(),
            });
        }
        let text = std::fs::read_to_string(&sweep_path).map_err(ReportError::io(&sweep_path))?;
        let sweep = Sweep::parse(&text, &sweep_path).map_err(|source| ReportError::SweepFile {
            path: sweep_path.clone(),
            source,
        })?;
        let hints = sweep.report.clone();
        let expanded = sweep.validate(&sweep_path).ok();
        // A search's trial runs are read for its section; its main results are the
        // confirmation runs of the decided winners.
        let mut search = match expanded.as_ref().and_then(|e| e.search.as_ref()) {
            Some(plan) => Some(crate::search::Loader::new(&layout, plan)?),
            None => None,
        };
        // The ids the sweep expands to now; None when the spec cannot expand it (then every run
        // in the folder counts).
        let current: Option<std::collections::HashMap<String, rnnlab_spec::RunConfig>> =
            match &search {
                Some(s) => Some(s.current()),
                None => expanded.map(|e| e.runs.into_iter().map(|r| (r.id, r.config)).collect()),
            };

        let mut entries: Vec<PathBuf> = std::fs::read_dir(&runs_dir)
            .map_err(ReportError::io(&runs_dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();

        let derived = derived_refs(&sweep);
        // Each run folder's files are read in parallel (a sweep can have 100,000); what they
        // are (pending, a search trial, stale, one of the main runs) is decided first, so that
        // only the main runs' params and derived values are read.
        let read: Vec<Entry> = {
            let search = search.as_ref();
            let current = current.as_ref();
            entries
                .into_par_iter()
                .map(|run_dir| -> Result<Entry, ReportError> {
                    let files = RunFiles::at(&run_dir);
                    let id = files.id();
                    if !files.summary().is_file() {
                        return Ok(Entry::Pending);
                    }
                    if search.is_some_and(|s| s.is_trial(&id)) {
                        let summary = read_summary(&files.summary())?;
                        return Ok(Entry::Trial(id, run_dir, summary));
                    }
                    if current.is_some_and(|ids| !ids.contains_key(&id)) {
                        return Ok(Entry::Stale);
                    }
                    let mut summary = read_summary(&files.summary())?;
                    derive(&mut summary, &derived, &files, &layout)?;
                    let params = read_params(&files.params())?;
                    let config = OnceLock::new();
                    if let Some(c) = current.and_then(|ids| ids.get(&id)) {
                        let _ = config.set(serde_yaml::to_value(c).ok());
                    }
                    Ok(Entry::Main((params, id, run_dir, summary, config)))
                })
                // In folder order, so that of several bad files the first is named.
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Result<_, _>>()?
        };
        let mut pending = 0;
        let mut stale = 0;
        let mut tuning = 0;
        let mut loaded: Vec<Loaded> = Vec::new();
        for entry in read {
            match entry {
                Entry::Pending => pending += 1,
                Entry::Stale => stale += 1,
                Entry::Trial(id, run_dir, summary) => {
                    if let Some(s) = search.as_mut() {
                        s.take(id, run_dir, summary);
                    }
                    tuning += 1;
                }
                Entry::Main(run) => loaded.push(run),
            }
        }
        // A search in progress has trials and no confirmation run yet: the report shows it.
        if loaded.is_empty() && tuning == 0 {
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
        let written = sweep.axes();
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
                order_levels(name, levels, &written)
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
        // Each run's sort key computed once (100,000 runs sort in milliseconds then, not
        // seconds): its levels' positions, its seed as a number (then as text), its id.
        let seed = |params: &[(String, String)]| {
            let s = lookup(params, "seed");
            (s.parse::<f64>().unwrap_or(f64::INFINITY), s.to_string())
        };
        let mut keyed: Vec<_> = loaded
            .into_iter()
            .map(|run| ((key(&run.0), seed(&run.0)), run))
            .collect();
        keyed.sort_by(|(a, x), (b, y)| {
            a.0.cmp(&b.0)
                .then(a.1 .0.total_cmp(&b.1 .0))
                .then_with(|| a.1 .1.cmp(&b.1 .1))
                .then_with(|| x.1.cmp(&y.1))
        });
        let loaded: Vec<Loaded> = keyed.into_iter().map(|(_, run)| run).collect();
        let mut groups: Vec<Group> = Vec::new();
        let mut runs = Vec::with_capacity(loaded.len());
        for (params, id, dir, summary, config) in loaded {
            let levels: Vec<String> = axes
                .iter()
                .map(|a| lookup(&params, &a.name).to_string())
                .collect();
            if groups.last().map(|c| &c.levels) != Some(&levels) {
                groups.push(Group {
                    levels,
                    runs: Vec::new(),
                });
            }
            let group = groups.len() - 1;
            groups[group].runs.push(runs.len());
            runs.push(RunRecord {
                id,
                dir,
                group,
                seed: lookup(&params, "seed").to_string(),
                summary,
                config,
            });
        }
        Ok(Results {
            dir: dir.to_owned(),
            sweep,
            hints,
            axes,
            groups,
            runs,
            pending,
            stale,
            tuning,
            search: search.map(crate::search::Loader::finish),
        })
    }

    /// `model.cell=lstm task.length=100`, or `all runs` for a sweep without axes.
    pub fn group_label(&self, group: usize) -> String {
        if self.axes.is_empty() {
            return "all runs".into();
        }
        self.axes
            .iter()
            .zip(&self.groups[group].levels)
            .map(|(a, l)| format!("{}={}", a.name, l))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The label of a group on the axes other than `except` (legends of charts whose x axis is
    /// `except`), with short axis names: `group=lstm skip=none`.
    pub fn series_label(&self, group: usize, except: &[usize]) -> String {
        let parts: Vec<String> = self
            .axes
            .iter()
            .enumerate()
            .filter(|(i, _)| !except.contains(i))
            .map(|(i, a)| format!("{}={}", a.short(), self.groups[group].levels[i]))
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

    /// Finite values of `metric` over the runs of `group`.
    pub fn group_values(&self, group: usize, metric: &str) -> Vec<f64> {
        self.groups[group]
            .runs
            .iter()
            .filter_map(|&r| value(&self.runs[r].summary, metric))
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
            return Some(self.groups[self.runs[run].group].levels[i].clone());
        }
        if name == "seed" {
            return Some(self.runs[run].seed.clone());
        }
        let doc = self.runs[run].config()?;
        let v = name.split('.').try_fold(doc, |node, key| node.get(key))?;
        Some(scalar(v))
    }
}

/// A run folder, read and classified.
enum Entry {
    /// No summary yet.
    Pending,
    /// Not in the sweep's current expansion.
    Stale,
    /// A search trial: id, folder, summary.
    Trial(String, PathBuf, Summary),
    /// One of the main runs.
    Main(Loaded),
}

/// A run as read: params (in order), id, folder, summary, config.
type Loaded = (
    Vec<(String, String)>,
    String,
    PathBuf,
    Summary,
    OnceLock<Option<Value>>,
);

fn lookup<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// A YAML scalar as the text params.json holds: the spec's own rendering, so levels read back
/// from results match the ones the sweep expanded to.
pub(crate) use rnnlab_spec::yaml_scalar as scalar;
