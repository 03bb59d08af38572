//! Sorting a search's run folders: trial runs go to the search section, confirmation runs to
//! the main results, anything else is stale. Which runs are which comes from the spec's plan
//! and the rung decisions, never from params.json, so a renamed or hand-made folder cannot
//! slip a trial into the comparison.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rnnlab_results::{read_rung, Layout, Summary};
use rnnlab_spec::{RunConfig, SearchPlan};

use super::{SearchResults, TrialRun};
use crate::load::Results;
use crate::ReportError;

/// Collects a search's runs while the results folder is read.
pub(crate) struct Loader {
    search: SearchResults,
    /// Trial run id → (group, owning trial, seed).
    trial_of: HashMap<String, (usize, usize, u64)>,
}

impl Loader {
    /// Reads the decided rungs of `plan`'s search in `layout` and works out each group's
    /// winner and confirmation runs.
    pub(crate) fn new(layout: &Layout, plan: &SearchPlan) -> Result<Loader, ReportError> {
        let most = plan.groups.iter().map(|g| g.rungs.len()).max().unwrap_or(0);
        let mut rungs = Vec::new();
        for i in 0..most {
            match read_rung(&layout.rung(i))? {
                Some(d) => rungs.push(d),
                None => break,
            }
        }
        let mut trial_of = HashMap::new();
        for (g, group) in plan.groups.iter().enumerate() {
            for trial in group.trials.iter().filter(|t| t.repeats.is_none()) {
                for run in &trial.runs {
                    trial_of.insert(run.id.clone(), (g, trial.index, run.config.seed));
                }
            }
        }
        let mut search = SearchResults {
            plan: plan.clone(),
            rungs,
            trials: Vec::new(),
            winners: Vec::new(),
            confirmations: Vec::new(),
        };
        for g in 0..plan.groups.len() {
            // A group's winner is named in the decision of its last rung; a decision naming a
            // trial the plan does not have (a sweep file edited after the search) names none.
            let last = plan.groups[g].rungs.len().saturating_sub(1);
            let winner = search
                .decision(g, last)
                .and_then(|d| d.winner)
                .filter(|&w| w < plan.groups[g].trials.len());
            let ids = winner
                .and_then(|w| plan.confirmation(g, w))
                .map(|c| c.runs.into_iter().map(|r| r.id).collect())
                .unwrap_or_default();
            search.winners.push(winner);
            search.confirmations.push(ids);
        }
        Ok(Loader { search, trial_of })
    }

    /// The runs the main results are made of: every decided group's confirmation runs, with
    /// their resolved configs.
    pub(crate) fn current(&self) -> HashMap<String, RunConfig> {
        let mut out = HashMap::new();
        for (g, winner) in self.search.winners.iter().enumerate() {
            let Some(c) = winner.and_then(|w| self.search.plan.confirmation(g, w)) else {
                continue;
            };
            out.extend(c.runs.into_iter().map(|r| (r.id, r.config)));
        }
        out
    }

    /// Whether `id` is a trial run of the search.
    pub(crate) fn is_trial(&self, id: &str) -> bool {
        self.trial_of.contains_key(id)
    }

    /// Keeps a trial run's summary for the search section; ignores an `id` that is not a
    /// trial's (see [`Loader::is_trial`]).
    pub(crate) fn take(&mut self, id: String, dir: PathBuf, summary: Summary) {
        let Some(&(group, trial, seed)) = self.trial_of.get(&id) else {
            return;
        };
        self.search.trials.push(TrialRun {
            id,
            dir,
            group,
            trial,
            seed,
            summary,
        });
    }

    pub(crate) fn finish(self) -> SearchResults {
        self.search
    }
}

/// What a search changes about a loaded results folder.
impl Results {
    /// [`Results::load`], refusing a search that has no confirmation run yet: what a
    /// comparison or a summary of variants needs.
    pub fn load_confirmed(dir: &Path) -> Result<Results, ReportError> {
        let results = Results::load(dir)?;
        if results.runs.is_empty() {
            return Err(ReportError::Unconfirmed {
                path: dir.to_owned(),
                trials: results.tuning,
            });
        }
        Ok(results)
    }

    /// Every summary the folder holds that the report reads: the main runs', then a search's
    /// trial runs' (what produced the numbers of either).
    pub fn all_summaries(&self) -> impl Iterator<Item = &Summary> {
        let trials = self.search.iter().flat_map(|s| &s.trials);
        self.runs
            .iter()
            .map(|r| &r.summary)
            .chain(trials.map(|t| &t.summary))
    }
}
