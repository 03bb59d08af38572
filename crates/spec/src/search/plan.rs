//! What the runner needs to carry a search out, as types: the groups (variant × grid point),
//! each with its trials (one run per tuning seed), its rungs, and how to make the confirmation
//! runs once a winner is known. Everything here is a pure function of the sweep file, so every
//! shard and every `--jobs` builds the same plan.
use std::fmt;

use serde_yaml::Value;

use super::check::Checked;
use super::{Dimension, Halving, Method, Search};
use crate::metric::{self, Direction};
use crate::{Run, RunConfig};

/// Which validation value ranks the trials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectionScope {
    /// `valid.NAME`: the validation value at the rung (the evaluation at that step).
    Last,
    /// `best.NAME`: the best validation value at or before the rung.
    Best,
}

/// The selection metric: a trial's score is its mean over the tuning seeds, compared in the
/// metric catalogue's direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub scope: SelectionScope,
    /// The bare metric name, a metrics.csv column (`mse`).
    pub metric: String,
    pub direction: Direction,
}

impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = match self.scope {
            SelectionScope::Last => "valid",
            SelectionScope::Best => "best",
        };
        write!(f, "{scope}.{}", self.metric)
    }
}

/// The form of `select.metric`: `valid.NAME` or `best.NAME`.
pub(crate) fn scope(text: &str) -> Result<(SelectionScope, &str), String> {
    match text.split_once('.') {
        Some(("valid", name)) if !name.is_empty() => Ok((SelectionScope::Last, name)),
        Some(("best", name)) if !name.is_empty() => Ok((SelectionScope::Best, name)),
        Some(("final", name)) => Err(format!(
            "`{text}` is the test split: selection may only see the validation split (the test \
             split judges the confirmed winners); write `valid.{name}` or `best.{name}`"
        )),
        _ => Err(format!(
            "`{text}` is not a selection metric: write `valid.NAME` (the validation value at the \
             rung) or `best.NAME` (the best validation value up to it), e.g. `valid.mse`"
        )),
    }
}

/// The selection for runs of task kinds `kinds`: `select.metric`, or the validation value of
/// the kinds' shared main metric. `Err` says what to write.
pub(crate) fn selection(search: &Search, kinds: &[&str]) -> Result<Selection, String> {
    let (scope, name) = match &search.select {
        Some(s) => scope(&s.metric)?,
        None => match metric::shared_main(kinds) {
            Some(main) => (SelectionScope::Last, main),
            None => {
                return Err(format!(
                    "the runs' task kinds ({}) have different main metrics: add `select: {{ \
                     metric: valid.loss }}` with a metric they all report",
                    kinds.join(", ")
                ))
            }
        },
    };
    metric::check_name(name, kinds)?;
    let on_valid = kinds.iter().all(|k| {
        metric::task(k)
            .and_then(|t| t.get(name))
            .is_some_and(|m| m.splits.contains(&"valid"))
    });
    let direction = metric::direction(name)
        .filter(|_| on_valid)
        .ok_or_else(|| {
            format!("`{name}` is not reported on the validation split of every task kind here")
        })?;
    Ok(Selection {
        scope,
        metric: name.to_string(),
        direction,
    })
}

/// A search, expanded: what `Expanded::search` holds. The trial runs themselves are also in
/// `Expanded::runs`, each distinct run once, so ids, resume and sharding are the grid's.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPlan {
    pub method: Method,
    pub seed: u64,
    pub space: Vec<Dimension>,
    /// Trial k's sampled values, one per dimension: the same in every group.
    pub points: Vec<Vec<Value>>,
    pub select: Selection,
    pub halving: Option<Halving>,
    /// The sweep's `seeds`: every trial runs once on each.
    pub tuning_seeds: Vec<u64>,
    /// `confirm.seeds`: every winner runs once on each.
    pub confirm_seeds: Vec<u64>,
    /// One per variant × grid point, in run order.
    pub groups: Vec<SearchGroup>,
}

/// One variant × grid point: the unit that gets `trials` trials and one winner.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchGroup {
    /// `variant` (when there are variants) and each grid axis, as runs' params name them.
    pub key: Vec<(String, String)>,
    /// Every trial, in order (`trials.len()` is `search.trials`).
    pub trials: Vec<Trial>,
    /// The steps at which trials are ranked: with halving `min_steps · etaⁱ < train.steps`,
    /// then `train.steps`; without, `train.steps` alone.
    pub rungs: Vec<usize>,
    /// How many trials train up to each rung: all of them at the first, then ⌊n/eta⌋ (at
    /// least 1) of those at the one before.
    pub kept: Vec<usize>,
}

/// One trial of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// k: its point is `points[k]`.
    pub index: usize,
    /// The searched path and its sampled value, in `space` order.
    pub values: Vec<(String, Value)>,
    /// Its runs, one per tuning seed in `seeds` order.
    pub runs: Vec<Run>,
    /// When the trial drew an earlier trial's point, that trial's index: the runs are the
    /// same, and the two tie (broken by index).
    pub repeats: Option<usize>,
}

/// The runs that re-run one group's winner on the confirmation seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirmation {
    pub key: Vec<(String, String)>,
    /// The winning trial's index.
    pub winner: usize,
    pub runs: Vec<Run>,
}

impl SearchPlan {
    pub(crate) fn build(search: &Search, checked: &Checked, seeds: &[u64], runs: &[Run]) -> Self {
        let kinds = crate::claim::task_kinds(runs);
        let select = selection(search, &kinds).unwrap_or(Selection {
            scope: SelectionScope::Last,
            metric: "loss".into(),
            direction: Direction::LowerIsBetter,
        });
        let mut groups: Vec<SearchGroup> = Vec::new();
        let mut trial_runs: Vec<Vec<Vec<Run>>> = Vec::new();
        for run in runs {
            let Some(pos) = run.params.iter().position(|(k, _)| k == "trial") else {
                continue;
            };
            let key = run.params[..pos].to_vec();
            let k: usize = run.params[pos].1.parse().unwrap_or(0);
            let g = match groups.iter().position(|g| g.key == key) {
                Some(g) => g,
                None => {
                    let steps = run.config.train.steps;
                    let rungs = search.halving.map_or(vec![steps], |h| h.rungs(steps));
                    let mut kept = vec![search.trials];
                    while kept.len() < rungs.len() {
                        let n = kept[kept.len() - 1];
                        kept.push(search.halving.map_or(n, |h| h.kept(n)));
                    }
                    groups.push(SearchGroup {
                        key,
                        trials: Vec::new(),
                        rungs,
                        kept,
                    });
                    trial_runs.push(vec![Vec::new(); search.trials]);
                    groups.len() - 1
                }
            };
            if let Some(slot) = trial_runs[g].get_mut(k) {
                slot.push(run.clone());
            }
        }
        for (group, runs) in groups.iter_mut().zip(&trial_runs) {
            group.trials = (0..search.trials)
                .map(|k| {
                    let first = checked.first[k];
                    Trial {
                        index: k,
                        values: checked
                            .space
                            .iter()
                            .map(|d| d.path.clone())
                            .zip(checked.points[k].iter().cloned())
                            .collect(),
                        runs: runs[first].clone(),
                        repeats: (first != k).then_some(first),
                    }
                })
                .collect();
        }
        SearchPlan {
            method: search.method,
            seed: search.seed,
            space: checked.space.clone(),
            points: checked.points.clone(),
            select,
            halving: search.halving,
            tuning_seeds: seeds.to_vec(),
            confirm_seeds: search.confirm.seeds.clone(),
            groups,
        }
    }

    /// Runs of the whole search: trials × tuning seeds per group (repeats counted once).
    pub fn trial_runs(&self) -> usize {
        self.groups
            .iter()
            .map(|g| g.trials.iter().filter(|t| t.repeats.is_none()).count())
            .sum::<usize>()
            * self.tuning_seeds.len()
    }

    /// The confirmation of `group`'s trial `winner`: its config on each confirmation seed.
    /// `None` when either index is out of range.
    pub fn confirmation(&self, group: usize, winner: usize) -> Option<Confirmation> {
        let g = self.groups.get(group)?;
        let trial = g.trials.get(winner)?;
        let first = trial.runs.first()?;
        let runs = self
            .confirm_seeds
            .iter()
            .map(|&seed| {
                // The group's params and the seed: a confirmation run is one cell of the
                // comparison, whichever trial won (the winner is in the search's decisions).
                let mut params = g.key.clone();
                params.push(("seed".to_string(), seed.to_string()));
                let config = RunConfig {
                    seed,
                    ..first.config.clone()
                };
                Run::new(config, params)
            })
            .collect();
        Some(Confirmation {
            key: g.key.clone(),
            winner,
            runs,
        })
    }
}

impl SearchGroup {
    /// Training steps the group's search spends if no run stops early: each rung's trials
    /// train from the previous rung to it, on every tuning seed. Equal across groups with the
    /// same `train.steps`, which is what makes the comparison fair.
    pub fn tuning_steps(&self, seeds: usize) -> usize {
        let mut from = 0;
        let mut total = 0;
        for (rung, n) in self.rungs.iter().zip(&self.kept) {
            total += n * (rung - from);
            from = *rung;
        }
        total * seeds
    }
}

impl fmt::Display for SearchPlan {
    /// What `rnnlab validate` prints under the sweep's line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let trials = self.points.len();
        let paths: Vec<&str> = self.space.iter().map(|d| d.path.as_str()).collect();
        writeln!(
            f,
            "  search: {} over {}, {trials} trials × {} tuning seeds in each of {} groups \
             ({} trial runs); select {} ({} is better, mean over the tuning seeds)",
            match self.method {
                Method::Random => "random",
            },
            paths.join(", "),
            self.tuning_seeds.len(),
            self.groups.len(),
            self.trial_runs(),
            self.select,
            self.select.direction.word()
        )?;
        let mut shown: Vec<(&[usize], &[usize])> = Vec::new();
        for g in &self.groups {
            if shown.contains(&(&g.rungs, &g.kept)) {
                continue;
            }
            shown.push((&g.rungs, &g.kept));
            let rungs: Vec<String> = g
                .rungs
                .iter()
                .zip(&g.kept)
                .map(|(r, n)| format!("{n} to step {r}"))
                .collect();
            let waits = self.halving.is_some_and(|h| !h.plateau.is_cut());
            writeln!(
                f,
                "  rungs: {}; {} steps a group {}",
                rungs.join(", "),
                g.tuning_steps(self.tuning_seeds.len()),
                if waits {
                    "if every rung cuts (`plateau: wait`: a rung on the plateau keeps every trial)"
                } else {
                    "at most"
                }
            )?;
        }
        let seeds: Vec<String> = self.confirm_seeds.iter().map(u64::to_string).collect();
        write!(
            f,
            "  confirm: each group's winner on seeds {} ({} runs after the search)",
            seeds.join(", "),
            self.groups.len() * self.confirm_seeds.len()
        )
    }
}
