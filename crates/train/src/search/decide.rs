//! Deciding a rung: each trial's score from its runs' files, the ranking, and who goes on.
//! Pure functions of what the files say, so every shard and every `--jobs` decides alike.
use std::cmp::Ordering;

use rnnlab_results::{GroupDecision, RungDecision, TrialScore};
use rnnlab_spec::search::{Halving, Plateau, SearchGroup, Selection, SelectionScope};
use rnnlab_spec::{Direction, SearchPlan};

use crate::summary::{Status, Summary};

/// What one run shows at a rung: its summary and its `valid` values of the selection metric
/// as (step, value).
pub(crate) struct RunAtRung<'a> {
    pub summary: &'a Summary,
    pub valid: &'a [(usize, f64)],
}

/// Whether a run has reached the rung at `step`: it is paused at or past it, or it stopped
/// for good (finished early: solved, diverged, failed, pruned, or completed).
pub(crate) fn reached(summary: Option<&Summary>, step: usize) -> bool {
    summary.is_some_and(|s| match s.status {
        // A pruned run stopped at its rung; a search that now keeps it trains it again.
        Status::Paused | Status::Pruned => s.steps >= step,
        Status::Interrupted => false,
        _ => true,
    })
}

/// A run's value of the selection metric at the rung at `step`: the last validation value at
/// or before it (`valid.`), or the best one up to it (`best.`). NaN — ranked last — for a run
/// that diverged or failed (whatever it measured before is not what its config achieves) or
/// that has no finite value there.
pub(crate) fn run_value(run: &RunAtRung, step: usize, select: &Selection) -> f64 {
    if matches!(run.summary.status, Status::Diverged | Status::Failed) {
        return f64::NAN;
    }
    let mut upto = run
        .valid
        .iter()
        .filter(|(s, _)| *s <= step)
        .map(|(_, v)| *v);
    match select.scope {
        SelectionScope::Last => upto.next_back().unwrap_or(f64::NAN),
        SelectionScope::Best => upto
            .filter(|v| v.is_finite())
            .reduce(|a, b| if better(b, a, select.direction) { b } else { a })
            .unwrap_or(f64::NAN),
    }
}

fn better(a: f64, b: f64, direction: Direction) -> bool {
    match direction {
        Direction::LowerIsBetter => a < b,
        Direction::HigherIsBetter => a > b,
    }
}

/// A trial's score: the mean of its runs' values, NaN when any is NaN (every tuning seed
/// counts: a config that diverges on one seed does not win on the others).
pub(crate) fn score(trial: usize, values: &[f64]) -> TrialScore {
    let used = values.iter().filter(|v| v.is_finite()).count();
    let score = if used == values.len() && !values.is_empty() {
        values.iter().sum::<f64>() / values.len() as f64
    } else {
        f64::NAN
    };
    TrialScore {
        trial,
        score,
        used,
        runs: values.len(),
    }
}

/// Best first in `direction`; unmeasured (NaN) scores last; ties to the lower trial index.
pub(crate) fn rank(mut scores: Vec<TrialScore>, direction: Direction) -> Vec<TrialScore> {
    scores.sort_by(|a, b| {
        let by_score = match (a.score.is_nan(), b.score.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => match direction {
                Direction::LowerIsBetter => a.score.total_cmp(&b.score),
                Direction::HigherIsBetter => b.score.total_cmp(&a.score),
            },
        };
        by_score.then(a.trial.cmp(&b.trial))
    });
    scores
}

/// How many of the `alive` trials a rung that is not the last keeps: the best 1/eta of them
/// ([`Halving::kept`]), or all of them when the rung is on the plateau and the sweep says
/// `halving.plateau: wait`. Without waits this is the plan's count for the next rung.
pub(crate) fn kept_count(halving: Option<Halving>, alive: usize, on_plateau: bool) -> usize {
    match halving {
        Some(h) if on_plateau && h.plateau == Plateau::Wait => alive,
        Some(h) => h.kept(alive).min(alive),
        None => alive,
    }
}

/// The decision for `group` at its rung `index` from its trials' scores there; a rung that is
/// not the last keeps the best `keep`.
pub(crate) fn decide(
    group: &SearchGroup,
    index: usize,
    scores: Vec<TrialScore>,
    direction: Direction,
    keep: usize,
) -> GroupDecision {
    let ranking = rank(scores, direction);
    let last = index + 1 >= group.rungs.len();
    let (kept, winner) = if last {
        (Vec::new(), ranking.first().map(|t| t.trial))
    } else {
        let n = keep.min(ranking.len());
        (ranking[..n].iter().map(|t| t.trial).collect(), None)
    };
    GroupDecision {
        key: group.key.clone(),
        step: group.rungs[index],
        ranking,
        kept,
        winner,
        note: None,
    }
}

/// The note for a cut at which no trial's score is 10% better than the no-learning
/// `baseline` (`name`, the value) of the selection metric: every trial is still on the
/// plateau that tasks like adding and temporal order start with, so the ranking is noise.
/// `None` when some trial has learned, or at the last rung (which cuts nothing). `wait`: the
/// sweep's `halving.plateau` is `wait`, so the rung keeps every trial instead of cutting.
pub(crate) fn plateau_note(
    decision: &GroupDecision,
    baseline: Option<(&str, f64)>,
    direction: Direction,
    wait: bool,
) -> Option<String> {
    let (name, value) = baseline?;
    if decision.winner.is_some() || !value.is_finite() {
        return None;
    }
    let learned = |s: f64| match direction {
        Direction::LowerIsBetter => s < 0.9 * value,
        Direction::HigherIsBetter => s > 1.1 * value,
    };
    if decision.ranking.iter().any(|t| learned(t.score)) {
        return None;
    }
    let then = if wait {
        "so every trial goes on (`halving.plateau: wait`)"
    } else {
        "so this cut ranks noise; `halving.plateau: wait`, a larger `halving.min_steps` or no \
         halving ranks what the trials learned"
    };
    Some(format!(
        "no trial's score is 10% better than the no-learning baseline ({name} {value:.4}) at \
         step {}: every trial is still on the plateau, {then}",
        decision.step
    ))
}

/// Whether `d` is the decision of rung `index` of this plan with these trials in it: the same
/// selection, and for every group with the rung, its step, its ranked trials and as many kept
/// as this plan keeps (which `halving.plateau` changes where the rung is on the plateau).
pub(crate) fn decides(
    d: &RungDecision,
    plan: &SearchPlan,
    alive: &[Vec<usize>],
    index: usize,
) -> bool {
    let mut groups = plan
        .groups
        .iter()
        .zip(alive)
        .filter_map(|(g, a)| Some((g, *g.rungs.get(index)?, a)));
    d.rung == index
        && d.select == plan.select.to_string()
        && groups.clone().count() == d.groups.len()
        && groups.all(|(g, step, alive)| {
            d.groups.iter().any(|dg| {
                let mut ranked: Vec<usize> = dg.ranking.iter().map(|t| t.trial).collect();
                ranked.sort_unstable();
                let last = index + 1 >= g.rungs.len();
                let kept = if last {
                    0
                } else {
                    kept_count(plan.halving, alive.len(), dg.note.is_some())
                };
                dg.key == g.key && dg.step == step && ranked == *alive && dg.kept.len() == kept
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(scope: SelectionScope) -> Selection {
        Selection {
            scope,
            metric: "mse".into(),
            direction: Direction::LowerIsBetter,
        }
    }

    #[test]
    fn a_run_is_scored_at_the_rung_not_after_it() {
        let summary = Summary::new("r", Status::Paused);
        let valid = [(100, 0.5), (200, 0.2), (300, 0.4), (400, 0.01)];
        let run = RunAtRung {
            summary: &summary,
            valid: &valid,
        };
        assert_eq!(run_value(&run, 300, &select(SelectionScope::Last)), 0.4);
        assert_eq!(run_value(&run, 300, &select(SelectionScope::Best)), 0.2);
        let diverged = Summary::new("d", Status::Diverged);
        let run = RunAtRung {
            summary: &diverged,
            valid: &valid,
        };
        assert!(run_value(&run, 300, &select(SelectionScope::Last)).is_nan());
    }

    #[test]
    fn unmeasured_trials_rank_last_and_ties_go_to_the_lower_index() {
        let scores = vec![
            score(0, &[0.3, f64::NAN]),
            score(1, &[0.2, 0.2]),
            score(2, &[0.4, 0.2]),
            score(3, &[0.1, 0.1]),
            score(4, &[0.3, 0.1]),
        ];
        assert_eq!((scores[0].used, scores[0].runs), (1, 2));
        let order = |d| -> Vec<usize> { rank(scores.clone(), d).iter().map(|t| t.trial).collect() };
        assert_eq!(order(Direction::LowerIsBetter), [3, 1, 4, 2, 0]);
        assert_eq!(order(Direction::HigherIsBetter), [2, 1, 4, 3, 0]);
    }

    #[test]
    fn a_cut_before_any_trial_leaves_the_baseline_is_flagged() {
        let group = |scores: &[f64], winner| GroupDecision {
            key: Vec::new(),
            step: 100,
            ranking: scores
                .iter()
                .enumerate()
                .map(|(i, s)| score(i, &[*s]))
                .collect(),
            kept: vec![0],
            winner,
            note: None,
        };
        let predict_1 = Some(("predict 1", 1.0 / 6.0));
        let lower = Direction::LowerIsBetter;
        assert!(plateau_note(
            &group(&[0.160, 0.165, f64::NAN], None),
            predict_1,
            lower,
            false
        )
        .is_some_and(|n| n.contains("predict 1 0.1667") && n.contains("step 100")));
        assert_eq!(
            plateau_note(&group(&[0.140, 0.165], None), predict_1, lower, false),
            None
        );
        assert_eq!(
            plateau_note(&group(&[0.160], Some(0)), predict_1, lower, false),
            None
        );
        let chance = Some(("chance", 0.25));
        let higher = Direction::HigherIsBetter;
        assert!(plateau_note(&group(&[0.26, 0.25], None), chance, higher, false).is_some());
        assert_eq!(
            plateau_note(&group(&[0.40, 0.25], None), chance, higher, false),
            None
        );
    }

    #[test]
    fn a_rung_on_the_plateau_keeps_every_trial_only_when_told_to_wait() {
        let halving = |plateau| {
            Some(Halving {
                min_steps: 100,
                eta: 3,
                plateau,
            })
        };
        let (cut, wait) = (halving(Plateau::Cut), halving(Plateau::Wait));
        // The plan's count: the best 1/eta, at least one.
        assert_eq!(kept_count(cut, 9, false), 3);
        assert_eq!(kept_count(cut, 9, true), 3, "cut ranks the plateau anyway");
        assert_eq!(kept_count(wait, 9, false), 3, "a rung off the plateau cuts");
        assert_eq!(kept_count(wait, 9, true), 9);
        assert_eq!(kept_count(cut, 2, false), 1);
        let group = GroupDecision {
            key: Vec::new(),
            step: 100,
            ranking: vec![score(0, &[0.16])],
            kept: vec![0],
            winner: None,
            note: None,
        };
        let baseline = Some(("predict 1", 1.0 / 6.0));
        let lower = Direction::LowerIsBetter;
        let note = plateau_note(&group, baseline, lower, true).unwrap();
        assert!(note.contains("every trial goes on"), "{note}");
        let note = plateau_note(&group, baseline, lower, false).unwrap();
        assert!(note.contains("ranks noise"), "{note}");
    }

    #[test]
    fn reached_means_paused_at_the_rung_or_stopped_for_good() {
        let mut s = Summary::new("r", Status::Paused);
        s.steps = 200;
        assert!(reached(Some(&s), 200));
        assert!(!reached(Some(&s), 600));
        s.status = Status::Solved;
        assert!(reached(Some(&s), 600));
        s.status = Status::Interrupted;
        assert!(!reached(Some(&s), 200));
        (s.status, s.steps) = (Status::Pruned, 200);
        assert!(reached(Some(&s), 200));
        assert!(!reached(Some(&s), 600));
        assert!(!reached(None, 200));
    }
}
