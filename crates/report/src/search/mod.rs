//! The report side of a `search:` sweep (docs/search.md): which runs are trials and which are
//! confirmations, what each rung decided, and the "Search" section of report.md.
//!
//! Why the split: a search's trial runs are tuned on the validation split of the tuning seeds,
//! and the winner of each group (variant × grid point) is re-run on fresh seeds. Comparing
//! variants on the trials would compare how well each was tuned, on the very runs the tuning
//! picked, so every table, chart, claim and `compare` sees the confirmation runs only; the
//! trials are shown here, in their own section, with the budget each group spent.
//!
//! The decisions are read from `search/rung-<i>.json` as the runner wrote them, never
//! recomputed: the report shows what the search did, not what it would do now.

mod chart;
mod importance;
mod load;
mod section;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use rnnlab_results::{GroupDecision, RungDecision, Status, Summary, TrialScore};
use rnnlab_spec::SearchPlan;

pub(crate) use load::Loader;
pub(crate) use section::write;

/// A finished (or paused, or pruned) run of a trial: a run folder with a summary whose id is
/// one of the plan's trial runs.
#[derive(Debug, Clone)]
pub struct TrialRun {
    pub id: String,
    pub dir: PathBuf,
    /// Index into the plan's groups.
    pub group: usize,
    /// The trial that owns the run (a repeated point's runs belong to its first trial).
    pub trial: usize,
    pub seed: u64,
    pub summary: Summary,
}

/// What a search has done so far, as its files say.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The plan the spec computes from sweep.yaml: groups, trials, rungs, seeds.
    pub plan: SearchPlan,
    /// The decided rungs in order, `rungs[i]` being rung i; the first undecided rung ends it
    /// (rungs are decided in order).
    pub rungs: Vec<RungDecision>,
    /// Trial runs with a summary, in folder order.
    pub trials: Vec<TrialRun>,
    /// Per plan group, its winner once its last rung is decided.
    pub winners: Vec<Option<usize>>,
    /// Per plan group, the ids of its confirmation runs (empty before its winner is known).
    pub confirmations: Vec<Vec<String>>,
}

/// Where a trial stands after the decided rungs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// No rung it reached is decided yet.
    Undecided,
    /// Among the best at the rung at `step`: it trains on to the next rung.
    Kept { step: usize },
    /// Not among the best at the rung at `step`: stopped there.
    Pruned { step: usize },
    /// Ranked first at the group's last rung (`step`): its config is confirmed.
    Winner { step: usize },
    /// Trained to the last rung (`step`) and ranked `rank` (1-based) of `of`, not first.
    Ranked { step: usize, rank: usize, of: usize },
}

impl std::fmt::Display for Fate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fate::Undecided => f.write_str("undecided"),
            Fate::Kept { step } => write!(f, "kept at step {step}"),
            Fate::Pruned { step } => write!(f, "pruned at step {step}"),
            Fate::Winner { .. } => f.write_str("winner"),
            Fate::Ranked { step, rank, of } => write!(f, "rank {rank} of {of} at step {step}"),
        }
    }
}

impl SearchResults {
    /// Group `group`'s decision at rung `rung`, when that rung is decided.
    pub fn decision(&self, group: usize, rung: usize) -> Option<&GroupDecision> {
        let key = &self.plan.groups[group].key;
        self.rungs.get(rung)?.groups.iter().find(|d| &d.key == key)
    }

    /// Trial `trial`'s score at each decided rung of `group`; None where it was not ranked
    /// (pruned before, or the rung is not decided).
    pub fn scores(&self, group: usize, trial: usize) -> Vec<Option<&TrialScore>> {
        (0..self.plan.groups[group].rungs.len())
            .map(|i| {
                self.decision(group, i)
                    .and_then(|d| d.ranking.iter().find(|s| s.trial == trial))
            })
            .collect()
    }

    /// The trial's score at the group's first rung, NaN when it has none: the one score every
    /// trial gets, at the same budget.
    pub fn first_score(&self, group: usize, trial: usize) -> f64 {
        self.scores(group, trial)
            .first()
            .copied()
            .flatten()
            .map_or(f64::NAN, |s| s.score)
    }

    /// Where trial `trial` of `group` stands, from the decided rungs in order.
    pub fn fate(&self, group: usize, trial: usize) -> Fate {
        let mut fate = Fate::Undecided;
        for i in 0..self.plan.groups[group].rungs.len() {
            let Some(d) = self.decision(group, i) else {
                break;
            };
            let Some(rank) = d.ranking.iter().position(|s| s.trial == trial) else {
                continue;
            };
            fate = match d.winner {
                Some(w) if w == trial => Fate::Winner { step: d.step },
                Some(_) => Fate::Ranked {
                    step: d.step,
                    rank: rank + 1,
                    of: d.ranking.len(),
                },
                None if d.kept.contains(&trial) => Fate::Kept { step: d.step },
                None => Fate::Pruned { step: d.step },
            };
        }
        fate
    }

    /// The trial runs of `group` with a summary, each run once (repeated points share runs).
    pub fn group_trials(&self, group: usize) -> impl Iterator<Item = &TrialRun> {
        self.trials.iter().filter(move |t| t.group == group)
    }

    /// The summaries of trial `trial`'s runs (a repeat's are its first trial's).
    pub fn trial_runs(&self, group: usize, trial: usize) -> Vec<&TrialRun> {
        let owner = self.plan.groups[group].trials[trial]
            .repeats
            .unwrap_or(trial);
        self.group_trials(group)
            .filter(|t| t.trial == owner)
            .collect()
    }

    /// Groups whose winner is decided.
    pub fn decided(&self) -> usize {
        self.winners.iter().filter(|w| w.is_some()).count()
    }

    /// Confirmation runs the finished search will have: one per group and confirmation seed.
    pub fn confirmations_planned(&self) -> usize {
        self.plan.groups.len() * self.plan.confirm_seeds.len()
    }

    /// Why the claims cannot be judged yet, or None once every group's winner is decided and
    /// each of its confirmation runs has a final summary (of the ones in `finished`, the
    /// statuses of the main results' runs by id).
    pub fn waiting(&self, finished: &dyn Fn(&str) -> Option<Status>) -> Option<String> {
        let done = self
            .confirmations
            .iter()
            .flatten()
            .filter(|id| finished(id).is_some_and(Status::is_final))
            .count();
        let planned = self.confirmations_planned();
        (self.decided() < self.winners.len() || done < planned).then(|| {
            format!(
                "{} of {} groups have a winner and {done} of {planned} confirmation runs have finished",
                self.decided(),
                self.winners.len()
            )
        })
    }
}
