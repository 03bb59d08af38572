//! A synthetic `search:` sweep, carried out as docs/results.md says the runner does: rung by
//! rung, each trial's score the mean of the selection metric over its runs (NaN when a run has
//! no finite value), the best ⌊n/eta⌋ kept, the rest pruned, the winner confirmed on the
//! confirmation seeds. For tests of what reads a search's results (the report, the CLI) without
//! the runner; the runner's own tests check the runner.

use std::fmt::Write as _;
use std::path::Path;

use rnnlab_results::{
    write_atomic, write_rung, GroupDecision, Layout, ResultsError, RungDecision, TrialScore,
};
use rnnlab_spec::{Run, SearchPlan, Sweep};

use super::{write_run, Outcome};

/// What [`write_search`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchWritten {
    /// Trial run folders written.
    pub trial_runs: usize,
    /// Rung files written (rungs 0..rungs).
    pub rungs: usize,
    /// Per group of the plan, the winner when its last rung was decided.
    pub winners: Vec<Option<usize>>,
    /// Confirmation run folders written.
    pub confirmation_runs: usize,
}

/// Writes `dir/sweep.yaml` and a search's files as of `decided` rungs (0: none yet; more than
/// the rungs: all): the trial runs, with their valid metric at step s being `score(run, s)`
/// (NaN: diverged), `search/rung-<i>.json` for each decided rung, and, for each group whose
/// last rung is decided, the winner's confirmation runs for which `confirm` returns Some.
///
/// Trials still in the search after the decided rungs are paused at the next rung (completed
/// when that is `train.steps`); pruned ones stop at their rung with `pruned_at`.
pub fn write_search(
    dir: &Path,
    sweep_yaml: &str,
    score: impl Fn(&Run, usize) -> f64,
    decided: usize,
    mut confirm: impl FnMut(&Run) -> Option<Outcome>,
) -> std::io::Result<SearchWritten> {
    let bad = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let io = |e: ResultsError| std::io::Error::other(e.to_string());
    let layout = Layout::new(dir);
    std::fs::create_dir_all(layout.runs())?;
    write_atomic(&layout.sweep(), sweep_yaml.as_bytes()).map_err(io)?;
    let expanded = Sweep::parse_and_expand(sweep_yaml, &layout.sweep())
        .map_err(|r| bad(format!("{:?}", r.errors)))?;
    let plan = expanded
        .search
        .ok_or_else(|| bad("the sweep has no `search:` block".into()))?;
    let most = plan.groups.iter().map(|g| g.rungs.len()).max().unwrap_or(0);
    let mut decisions: Vec<RungDecision> = (0..decided.min(most))
        .map(|rung| RungDecision {
            format: rnnlab_results::search::FORMAT_VERSION,
            rung,
            select: plan.select.to_string(),
            groups: Vec::new(),
        })
        .collect();
    let mut written = SearchWritten {
        trial_runs: 0,
        rungs: decisions.len(),
        winners: Vec::new(),
        confirmation_runs: 0,
    };
    for (g, group) in plan.groups.iter().enumerate() {
        // The step each trial stopped at, and whether it was pruned there.
        let mut stop: Vec<(usize, bool)> = vec![(group.rungs[0], false); group.trials.len()];
        let mut alive: Vec<usize> = (0..group.trials.len()).collect();
        let mut winner = None;
        for (i, &step) in group.rungs.iter().enumerate().take(decided) {
            let ranking = rank(&plan, g, &alive, step, &score);
            let last = i + 1 == group.rungs.len();
            let kept: Vec<usize> = match last {
                true => Vec::new(),
                false => ranking
                    .iter()
                    .take(group.kept[i + 1])
                    .map(|s| s.trial)
                    .collect(),
            };
            winner = last.then(|| ranking[0].trial);
            for s in &ranking {
                stop[s.trial] = match (last, kept.contains(&s.trial)) {
                    (false, true) => (group.rungs[i + 1], false),
                    (false, false) => (step, true),
                    (true, _) => (step, false),
                };
            }
            decisions[i].groups.push(GroupDecision {
                key: group.key.clone(),
                step,
                ranking,
                kept: kept.clone(),
                winner,
                note: None,
            });
            alive = kept;
        }
        for trial in group.trials.iter().filter(|t| t.repeats.is_none()) {
            // A repeated point's runs go as far as the furthest of the trials sharing them.
            let sharing = group
                .trials
                .iter()
                .filter(|t| t.index == trial.index || t.repeats == Some(trial.index));
            let (steps, pruned) = sharing
                .map(|t| stop[t.index])
                .max_by_key(|(s, pruned)| (*s, !pruned))
                .unwrap_or((group.rungs[0], false));
            for run in &trial.runs {
                write_run(
                    &layout,
                    run,
                    &trial_outcome(&plan, run, steps, pruned, &score),
                )?;
                written.trial_runs += 1;
            }
        }
        written.winners.push(winner);
        let Some(c) = winner.and_then(|w| plan.confirmation(g, w)) else {
            continue;
        };
        for run in &c.runs {
            if let Some(o) = confirm(run) {
                write_run(&layout, run, &o)?;
                written.confirmation_runs += 1;
            }
        }
    }
    for (i, d) in decisions.iter().enumerate() {
        write_rung(&layout.rung(i), d).map_err(io)?;
    }
    Ok(written)
}

/// The trials `alive` of group `g` at `step`, best first (NaN last, ties by index).
fn rank(
    plan: &SearchPlan,
    g: usize,
    alive: &[usize],
    step: usize,
    score: &impl Fn(&Run, usize) -> f64,
) -> Vec<TrialScore> {
    let higher = plan.select.direction.higher_is_better();
    let mut out: Vec<TrialScore> = alive
        .iter()
        .map(|&k| {
            let runs = &plan.groups[g].trials[k].runs;
            let values: Vec<f64> = runs.iter().map(|r| score(r, step)).collect();
            let used = values.iter().filter(|v| v.is_finite()).count();
            let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
            TrialScore {
                trial: k,
                score: if used == runs.len() { mean } else { f64::NAN },
                used,
                runs: runs.len(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |s: &TrialScore| match (s.score.is_finite(), higher) {
            (false, _) => f64::INFINITY,
            (true, true) => -s.score,
            (true, false) => s.score,
        };
        key(a).total_cmp(&key(b)).then(a.trial.cmp(&b.trial))
    });
    out
}

/// A trial run that trained to `steps`: valid rows of the selection metric at every
/// evaluation, a final test row; pruned, paused, completed or diverged.
fn trial_outcome(
    plan: &SearchPlan,
    run: &Run,
    steps: usize,
    pruned: bool,
    score: &impl Fn(&Run, usize) -> f64,
) -> Outcome {
    let metric = &plan.select.metric;
    let every = run.config.train.eval_every.max(1);
    let mut csv = format!("step,split,loss,{metric},grad_norm,clip_rate,elapsed_s\n");
    for step in (0..=steps).step_by(every) {
        let v = score(run, step);
        let _ = writeln!(csv, "{step},valid,{v},{v},,,{}", step as f64 / 100.0);
    }
    let last = score(run, steps);
    let _ = writeln!(csv, "{steps},test,{last},{last},,,{}", steps as f64 / 100.0);
    let status = if !last.is_finite() {
        "diverged"
    } else if pruned {
        "pruned"
    } else if steps < run.config.train.steps {
        "paused"
    } else {
        "completed"
    };
    let value = last.is_finite().then_some(last);
    Outcome {
        status: status.into(),
        steps: steps as u64,
        final_metrics: vec![("loss".into(), value), (metric.clone(), value)],
        best: vec![("loss".into(), value), (metric.clone(), value)],
        params: 1_000,
        wall_s: steps as f64 / 100.0,
        steps_per_s: 100.0,
        metrics_csv: csv,
        pruned_at: pruned.then_some(steps as u64),
        ..Outcome::default()
    }
}
