//! The search runner: trains a `search:` sweep's trials rung by rung, decides each rung from
//! the files once every trial still in the search has reached it, prunes the rest, and runs
//! each group's winner on the confirmation seeds (docs/sweeps.md, "search").
//!
//! Why decisions wait for the whole rung: successive halving ranks trials against each other
//! (Jamieson & Talwalkar 2016; Li et al. 2018), so a rung decided with some trials missing
//! would depend on which finished first — on `--jobs`, on the shards' speeds. Waiting makes
//! the outcome a function of the sweep file alone. Shards coordinate through the results
//! folder only: a shard trains its share of a rung, decides it if every trial is there (any
//! shard decides it the same way, and `search/rung-<i>.json` then is the decision), and
//! otherwise stops cleanly, saying what it waits for; resubmitting continues.
use std::collections::HashSet;

use rnnlab_results::files::read_valid;
use rnnlab_results::{read_rung, write_rung, RungDecision, Status};
use rnnlab_spec::search::Plateau;
use rnnlab_spec::{Run, SearchPlan};

use crate::executor::{execute_jobs, Job};
use crate::{checkpoint, ExecuteOptions, Observer, Rerun, RunRecord, Store, TrainError};

mod decide;

/// Where a search stands after [`execute_search`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchState {
    /// Every rung decided and this shard's confirmation runs done.
    Done,
    /// Rung `rung` (0-based, at step `step`) cannot be decided yet: `missing` runs that other
    /// shards train have not reached it. This shard's part so far is done.
    Waiting {
        rung: usize,
        step: usize,
        missing: usize,
    },
    /// Stopped (Ctrl-C or SIGTERM) before the search was done.
    Stopped,
}

/// What a search invocation did: every job's record, in order, and where the search stands.
#[derive(Debug)]
pub struct SearchOutcome {
    pub records: Vec<RunRecord>,
    pub state: SearchState,
    /// The notes of the rungs this invocation decided (`group, step: note`), for the console.
    pub notes: Vec<String>,
}

/// Runs this shard's share of a search: the trials of `plan` (whose runs are the sweep's
/// expanded runs) rung by rung, then the winners' confirmation runs.
pub fn execute_search(
    store: &Store,
    plan: &SearchPlan,
    options: &ExecuteOptions,
    observer: &dyn Observer,
) -> Result<SearchOutcome, TrainError> {
    let layout = rnnlab_results::Layout::new(store.root());
    if options.rerun == Rerun::All {
        // Starting over: the old decisions were made from the runs about to be redone.
        remove_dir(&layout.search())?;
    }
    let mut options = options.clone();
    let mut records = Vec::new();
    let mut notes = Vec::new();
    // The trials still in the search, per group.
    let mut alive: Vec<Vec<usize>> = plan
        .groups
        .iter()
        .map(|g| (0..g.trials.len()).collect())
        .collect();
    let rungs = plan.groups.iter().map(|g| g.rungs.len()).max().unwrap_or(0);
    for index in 0..rungs {
        let path = layout.rung(index);
        // A decision made for another plan (the sweep's search changed since) is stale: it and
        // every later one are made again.
        let made = read_rung(&path)?.filter(|d| decide::decides(d, plan, &alive, index));
        if made.is_none() {
            remove_decisions(&layout, index)?;
        }
        let decision = match made {
            Some(d) => d,
            None => {
                let jobs = rung_jobs(plan, &alive, index);
                let seeds = plan.tuning_seeds.len();
                observer.stage(
                    &stage_title(plan, &alive, index, seeds),
                    owned(&options, jobs.len()),
                );
                records.extend(execute_jobs(store, &jobs, &options, observer)?);
                if options.stop.load(std::sync::atomic::Ordering::SeqCst) {
                    return Ok(SearchOutcome {
                        records,
                        state: SearchState::Stopped,
                        notes,
                    });
                }
                let missing = jobs
                    .iter()
                    .filter(|j| {
                        !decide::reached(
                            store.summary(&j.run.id).as_ref(),
                            j.until.unwrap_or(j.run.config.train.steps),
                        )
                    })
                    .count();
                if missing > 0 {
                    let step = plan
                        .groups
                        .iter()
                        .filter_map(|g| g.rungs.get(index))
                        .copied()
                        .min()
                        .unwrap_or(0);
                    return Ok(SearchOutcome {
                        records,
                        state: SearchState::Waiting {
                            rung: index,
                            step,
                            missing,
                        },
                        notes,
                    });
                }
                let d = decide_rung(store, plan, &alive, index)?;
                write_rung(&path, &d)?;
                for g in &d.groups {
                    if let Some(note) = &g.note {
                        let key: Vec<String> =
                            g.key.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        notes.push(format!(
                            "search rung {} ({}): {note}",
                            index + 1,
                            key.join(" ")
                        ));
                    }
                }
                d
            }
        };
        // After the first stage, `--rerun` has done its work: later rungs continue the runs
        // it redid instead of redoing them again.
        options.rerun = Rerun::None;
        apply(store, plan, &mut alive, &decision)?;
    }
    let confirmations = confirmation_runs(plan, &alive);
    let jobs: Vec<Job> = confirmations
        .iter()
        .map(|run| Job { run, until: None })
        .collect();
    observer.stage(
        &format!(
            "confirmation: each of {} groups' winner on {} seeds",
            plan.groups.len(),
            plan.confirm_seeds.len()
        ),
        owned(&options, jobs.len()),
    );
    records.extend(execute_jobs(store, &jobs, &options, observer)?);
    let state = if options.stop.load(std::sync::atomic::Ordering::SeqCst) {
        SearchState::Stopped
    } else {
        SearchState::Done
    };
    Ok(SearchOutcome {
        records,
        state,
        notes,
    })
}

/// Removes the decisions of rung `from` on.
fn remove_decisions(layout: &rnnlab_results::Layout, from: usize) -> Result<(), TrainError> {
    let mut index = from;
    loop {
        let path = layout.rung(index);
        match std::fs::remove_file(&path) {
            Ok(()) => index += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(rnnlab_results::ResultsError::Io { path, source }.into());
            }
        }
    }
}

/// The runs of the confirmation stage, once every group's last rung is decided (`alive` then
/// holds each group's winner alone), in group then seed order.
pub fn confirmation_runs(plan: &SearchPlan, alive: &[Vec<usize>]) -> Vec<Run> {
    let mut seen = HashSet::new();
    (0..plan.groups.len())
        .filter_map(|g| plan.confirmation(g, *alive[g].first()?))
        .flat_map(|c| c.runs)
        .filter(|r| seen.insert(r.id.clone()))
        .collect()
}

fn owned(options: &ExecuteOptions, jobs: usize) -> usize {
    (0..jobs).filter(|i| options.shard.owns(*i)).count()
}

fn stage_title(plan: &SearchPlan, alive: &[Vec<usize>], index: usize, seeds: usize) -> String {
    let steps: Vec<String> = {
        let mut s: Vec<usize> = plan
            .groups
            .iter()
            .filter_map(|g| g.rungs.get(index))
            .copied()
            .collect();
        s.sort_unstable();
        s.dedup();
        s.iter().map(usize::to_string).collect()
    };
    let (groups, trials) = plan
        .groups
        .iter()
        .zip(alive)
        .filter(|(g, _)| index < g.rungs.len())
        .fold((0, 0), |(g, t), (_, a)| (g + 1, t + a.len()));
    format!(
        "search rung {} of {} (to step {}): {trials} trials in {groups} groups × {seeds} seeds",
        index + 1,
        plan.groups.iter().map(|g| g.rungs.len()).max().unwrap_or(0),
        steps.join("/")
    )
}

/// The jobs of rung `index`: every run of every trial still in the search, once, trained to
/// the rung (paused there unless it is the run's last step). In group, trial, seed order, so
/// every shard numbers them alike; the shards split them by that position, so the work of a
/// rung is spread over the shards however many trials are left.
fn rung_jobs<'a>(plan: &'a SearchPlan, alive: &[Vec<usize>], index: usize) -> Vec<Job<'a>> {
    let mut seen = HashSet::new();
    let mut jobs = Vec::new();
    for (g, group) in plan.groups.iter().enumerate() {
        let Some(&step) = group.rungs.get(index) else {
            continue;
        };
        for &t in &alive[g] {
            for run in &group.trials[t].runs {
                if seen.insert(run.id.as_str()) {
                    let until = (step < run.config.train.steps).then_some(step);
                    jobs.push(Job { run, until });
                }
            }
        }
    }
    jobs
}

/// Ranks the trials of every group that has rung `index` from their runs' files.
fn decide_rung(
    store: &Store,
    plan: &SearchPlan,
    alive: &[Vec<usize>],
    index: usize,
) -> Result<RungDecision, TrainError> {
    let mut groups = Vec::new();
    for (g, group) in plan.groups.iter().enumerate() {
        let Some(&step) = group.rungs.get(index) else {
            continue;
        };
        let mut scores = Vec::new();
        let mut baseline = None;
        for &t in &alive[g] {
            let mut values = Vec::new();
            for run in &group.trials[t].runs {
                let Some(summary) = store.summary(&run.id) else {
                    values.push(f64::NAN);
                    continue;
                };
                if baseline.is_none() {
                    baseline = summary
                        .baselines
                        .iter()
                        .find(|b| b.metric == plan.select.metric)
                        .map(|b| (b.name.clone(), b.value));
                }
                let metrics = store.run(&run.id).metrics();
                let valid = if metrics.is_file() {
                    read_valid(&metrics, &plan.select.metric)?
                } else {
                    Vec::new()
                };
                let at = decide::RunAtRung {
                    summary: &summary,
                    valid: &valid,
                };
                values.push(decide::run_value(&at, step, &plan.select));
            }
            scores.push(decide::score(t, &values));
        }
        let wait = plan.halving.is_some_and(|h| h.plateau == Plateau::Wait);
        let keep = decide::kept_count(plan.halving, alive[g].len(), false);
        let mut d = decide::decide(group, index, scores, plan.select.direction, keep);
        let base = baseline.as_ref().map(|(n, v)| (n.as_str(), *v));
        d.note = decide::plateau_note(&d, base, plan.select.direction, wait);
        if d.note.is_some() && wait {
            // On the plateau, the ranking is noise: every trial goes on to the next rung.
            d.kept = d.ranking.iter().map(|t| t.trial).collect();
        }
        groups.push(d);
    }
    Ok(RungDecision {
        format: rnnlab_results::search::FORMAT_VERSION,
        rung: index,
        select: plan.select.to_string(),
        groups,
    })
}

/// Carries a decision out: the groups' trials become the kept ones (or the winner), and the
/// paused runs of the trials left behind become `pruned` at the rung, their checkpoints
/// removed. Idempotent, so a shard that finds the decision already made re-applies it safely
/// (a process killed between the decision and the pruning leaves nothing half done).
fn apply(
    store: &Store,
    plan: &SearchPlan,
    alive: &mut [Vec<usize>],
    decision: &RungDecision,
) -> Result<(), TrainError> {
    let mut dropped: Vec<(usize, usize, usize)> = Vec::new();
    for d in &decision.groups {
        let Some(g) = plan.groups.iter().position(|g| g.key == d.key) else {
            continue;
        };
        let mut next: Vec<usize> = match d.winner {
            Some(w) => vec![w],
            // The last rung's losers finished their steps: nothing to prune.
            None => {
                let gone = alive[g].iter().filter(|t| !d.kept.contains(t));
                dropped.extend(gone.map(|&t| (g, t, d.step)));
                d.kept.clone()
            }
        };
        // In trial order, as at the first rung: `decides` compares it with a ranking's trials,
        // and the next rung's jobs are in group, trial, seed order.
        next.sort_unstable();
        alive[g] = next;
    }
    // Runs still used by a trial that goes on (a repeated point shares its runs) stay.
    let live: HashSet<&str> = alive
        .iter()
        .enumerate()
        .flat_map(|(g, ts)| ts.iter().map(move |&t| (g, t)))
        .flat_map(|(g, t)| plan.groups[g].trials[t].runs.iter().map(|r| r.id.as_str()))
        .collect();
    for (g, t, step) in dropped {
        for run in &plan.groups[g].trials[t].runs {
            if !live.contains(run.id.as_str()) {
                prune(store, &run.id, step)?;
            }
        }
    }
    Ok(())
}

/// Marks a paused run `pruned` at `step`; a run that stopped for good keeps its status.
fn prune(store: &Store, id: &str, step: usize) -> Result<(), TrainError> {
    let Some(mut summary) = store.summary(id) else {
        return Ok(());
    };
    if summary.status == Status::Paused {
        summary.status = Status::Pruned;
        summary.pruned_at = Some(step);
        store.write_summary(&summary)?;
    }
    checkpoint::remove(&store.run(id))
}

fn remove_dir(dir: &std::path::Path) -> Result<(), TrainError> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(rnnlab_results::ResultsError::Io {
            path: dir.to_owned(),
            source,
        }
        .into()),
    }
}
