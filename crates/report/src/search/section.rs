//! "Search": what the search did, per group: its winner and the steps it spent against its
//! budget (tables/search-groups.csv), every trial with its values, runs, scores at the rungs
//! and fate (tables/search-trials.csv), the score against each searched parameter (charts), and
//! each parameter's importance (tables/search-importance.csv).

use std::path::Path;

use rnnlab_results::Status;
use rnnlab_spec::yaml_scalar;
use rnnlab_spec::{DivergedRule, SearchPlan};

use super::chart::{charts, describe};
use super::importance::{per_group, SEED};
use super::{SearchResults, TrialRun};
use crate::charts::{self, Figure};
use crate::load::Results;
use crate::sinks::Sink;
use crate::table::{n4, Table};
use crate::ReportError;

/// A group's label: its key as params name it (`variant=lstm task.length=20`).
pub(super) fn group_label(plan: &SearchPlan, group: usize) -> String {
    let key = &plan.groups[group].key;
    if key.is_empty() {
        return "all runs".into();
    }
    let parts: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.join(" ")
}

/// Writes the section; returns the charts drawn (none unless `draw`).
pub(crate) fn write(
    out: &mut dyn Sink,
    results: &Results,
    search: &SearchResults,
    figures: &Path,
    draw: bool,
) -> Result<Vec<Figure>, ReportError> {
    out.section("Search");
    out.paragraph(&intro(search));
    out.paragraph(&budget_sentence(search));
    out.table("search-groups", &groups_table(results, search), true)?;
    out.paragraph("Every trial of every group: its searched values, its runs (one per tuning seed) by status, the steps they trained, its score at each decided rung (the mean of the selection metric over its runs; empty where it was not ranked, or where a run has no finite value there: diverged, failed or not measured), and where it stands. A trial that drew an earlier trial's point shares that trial's runs.");
    out.table("search-trials", &trials_table(search), true)?;
    let notes = notes(search);
    if !notes.is_empty() {
        out.paragraph(&format!("Notes on the cuts: {}", notes.join("; ")));
    }
    let mut drawn = Vec::new();
    if draw {
        for c in charts(search) {
            if c.plot.is_empty() {
                continue;
            }
            let fig = charts::render(&c.plot, figures, &c.stem)?;
            out.figure(&fig, &c.caption);
            drawn.push(fig);
        }
    }
    let trials = search.plan.points.len();
    let few = if trials < 50 {
        format!(" With {trials} trials a group, read these loosely: docs/importance.md measured single fits off by up to 0.5 at 24 trials, and within 0.07 of the truth from 50 on.")
    } else {
        String::new()
    };
    out.paragraph(&format!(
        "Hyperparameter importance per group: the fraction of the variance of the first rung's `{}` that each searched parameter explains on its own (functional ANOVA over a random forest of 64 trees, seed {SEED}: Hutter, Hoos & Leyton-Brown 2014, as Greff et al. 2017 report it; docs/importance.md), the mean over trees with the standard deviation and the 2.5-97.5% range over trees. The first rung's scores are used because they are the only ones every trial has, all at the same budget: later rungs rank only the trials kept. `n used/total`: the group's distinct trials (repeated points counted once) used, those with a first-rung score and, under `report.diverged: worst` (the default), those whose run diverged before it, counted as the worst value (the fractions are then of the scores' ranks; the note says how many), under `exclude` left out: this report {rule}. Pair interactions below about 0.05 are not evidence of an interaction.{few}",
        search.plan.select,
        rule = match results.hints.diverged {
            DivergedRule::Worst => "counts them worst",
            DivergedRule::Exclude => "leaves them out",
        }
    ));
    out.table(
        "search-importance",
        &importance_table(search, results.hints.diverged),
        true,
    )?;
    Ok(drawn)
}

/// What was searched, how, and what the main tables are made of.
fn intro(search: &SearchResults) -> String {
    let plan = &search.plan;
    let dims: Vec<String> = plan
        .space
        .iter()
        .map(|d| format!("`{}` ({})", d.path, describe(&d.space)))
        .collect();
    let rungs = plan.groups.first().map_or_else(String::new, |g| {
        let at: Vec<String> = g.rungs.iter().map(usize::to_string).collect();
        let kept: Vec<String> = g.kept.iter().map(usize::to_string).collect();
        match plan.halving {
            Some(h) => format!(
                "Successive halving (min_steps {}, eta {}): rungs at steps {}, with {} trials trained to each{}.",
                h.min_steps, h.eta, at.join(", "), kept.join(", "),
                if h.plateau.is_cut() { "" } else { " when every rung cuts (`plateau: wait`: a rung at which no trial has left the no-learning baseline keeps them all)" }
            ),
            None => format!("No successive halving: every trial trains to step {}, the one rung.", at.join(", ")),
        }
    });
    let most = plan.groups.iter().map(|g| g.rungs.len()).max().unwrap_or(0);
    let seeds: Vec<String> = plan.confirm_seeds.iter().map(u64::to_string).collect();
    format!(
        "Random search over {}: {} trials × {} in each of {} groups (variant × grid point), trial k the same point in every group. {rungs} A trial's score is `{}` ({} is better), its mean over the tuning seeds, on the validation split. {} of {most} rungs decided; {} of {} groups have a winner. Each winner is re-run on seeds {}, and only these confirmation runs, judged on the test split, are in the other tables, the charts, the claims and `rnnlab compare`.",
        dims.join(", "),
        plan.points.len(),
        match plan.tuning_seeds.len() {
            1 => "1 tuning seed".to_string(),
            n => format!("{n} tuning seeds"),
        },
        plan.groups.len(),
        plan.select,
        plan.select.direction.word(),
        search.rungs.len(),
        search.decided(),
        plan.groups.len(),
        seeds.join(", "),
    )
}

/// Whether every group gets the same budget, in words.
fn budget_sentence(search: &SearchResults) -> String {
    let plan = &search.plan;
    let seeds = plan.tuning_seeds.len();
    let mut budgets: Vec<usize> = plan.groups.iter().map(|g| g.tuning_steps(seeds)).collect();
    budgets.dedup();
    let equal = match budgets.as_slice() {
        [one] => format!("Every group's tuning budget is {one} steps: the variants are compared at equal budgets."),
        _ => "The tuning budgets differ between groups (their `train.steps` differ): compare variants within a grid point, where budgets are equal.".into(),
    };
    format!("Steps per group: `tuning steps` is what its trial runs trained (their summaries' `steps`, each run once), `tuning budget` the plan's most (at each rung, its trials × the steps from the previous rung × the tuning seeds: less when runs stop early), `confirmation steps` what its confirmation runs trained, of `confirmation budget` (confirmation seeds × `train.steps`). {equal}")
}

fn groups_table(results: &Results, search: &SearchResults) -> Table {
    let plan = &search.plan;
    let mut header = vec!["group".to_string(), "winner".into()];
    header.extend(plan.space.iter().map(|d| d.path.clone()));
    header.extend(
        [
            "winner score",
            "tuning runs",
            "tuning steps",
            "tuning budget",
            "confirmation runs",
            "confirmation steps",
            "confirmation budget",
            "total steps",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(2 + plan.space.len());
    for (g, group) in plan.groups.iter().enumerate() {
        let winner = search.winners[g];
        let mut row = vec![
            group_label(plan, g),
            winner.map_or_else(|| "undecided".into(), |w| format!("trial {w}")),
        ];
        row.extend(plan.space.iter().enumerate().map(|(di, _)| {
            winner
                .and_then(|w| group.trials[w].values.get(di))
                .map_or_else(String::new, |(_, v)| yaml_scalar(v))
        }));
        let last = group.rungs.len().saturating_sub(1);
        let score = winner
            .and_then(|w| search.scores(g, w).get(last).copied().flatten())
            .map_or(f64::NAN, |s| s.score);
        let trials: Vec<&TrialRun> = search.group_trials(g).collect();
        let distinct = group.trials.iter().filter(|t| t.repeats.is_none());
        let planned: usize = distinct.map(|t| t.runs.len()).sum();
        let tuning: usize = trials.iter().map(|t| t.summary.steps).sum();
        let confirmed: Vec<_> = results
            .runs
            .iter()
            .filter(|r| search.confirmations[g].contains(&r.id))
            .collect();
        let confirm_steps: usize = confirmed.iter().map(|r| r.summary.steps).sum();
        let confirm_budget = plan.confirm_seeds.len() * group.rungs.last().copied().unwrap_or(0);
        row.extend([
            n4(score),
            format!("{}/{planned}", trials.len()),
            tuning.to_string(),
            group.tuning_steps(plan.tuning_seeds.len()).to_string(),
            format!("{}/{}", confirmed.len(), plan.confirm_seeds.len()),
            confirm_steps.to_string(),
            confirm_budget.to_string(),
            (tuning + confirm_steps).to_string(),
        ]);
        t.push(row);
    }
    t
}

/// The decided rungs' notes (search/rung-<i>.json `note`), as `group at step S: note`.
fn notes(search: &SearchResults) -> Vec<String> {
    let plan = &search.plan;
    let mut out = Vec::new();
    for (g, group) in plan.groups.iter().enumerate() {
        for r in 0..group.rungs.len() {
            if let Some(note) = search.decision(g, r).and_then(|d| d.note.as_ref()) {
                out.push(format!("{}: {note}", group_label(plan, g)));
            }
        }
    }
    out
}

fn trials_table(search: &SearchResults) -> Table {
    let plan = &search.plan;
    let most = plan.groups.iter().map(|g| g.rungs.len()).max().unwrap_or(0);
    let same_rungs = plan.groups.windows(2).all(|w| w[0].rungs == w[1].rungs);
    let mut header = vec!["group".to_string(), "trial".into()];
    header.extend(plan.space.iter().map(|d| d.path.clone()));
    header.extend(["runs".to_string(), "steps".into()]);
    header.extend((0..most).map(|i| match plan.groups.first() {
        Some(g) if same_rungs => format!("score@{}", g.rungs[i]),
        _ => format!("score@rung{i}"),
    }));
    header.extend(["outcome".to_string(), "note".into()]);
    let first_number = 2 + plan.space.len() + 1;
    let mut t = Table::new(header).numeric_from(first_number);
    let (outcome_col, note_col) = (t.header.len() - 2, t.header.len() - 1);
    t.numeric[outcome_col] = false;
    t.numeric[note_col] = false;
    for (g, group) in plan.groups.iter().enumerate() {
        for trial in &group.trials {
            let runs = search.trial_runs(g, trial.index);
            let mut row = vec![group_label(plan, g), trial.index.to_string()];
            row.extend(trial.values.iter().map(|(_, v)| yaml_scalar(v)));
            row.push(statuses(&runs, trial.runs.len()));
            row.push(
                runs.iter()
                    .map(|r| r.summary.steps)
                    .sum::<usize>()
                    .to_string(),
            );
            let scores = search.scores(g, trial.index);
            row.extend((0..most).map(|i| {
                scores
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or_else(String::new, |s| n4(s.score))
            }));
            row.push(search.fate(g, trial.index).to_string());
            row.push(
                trial
                    .repeats
                    .map_or_else(String::new, |j| format!("repeats trial {j}")),
            );
            t.push(row);
        }
    }
    t
}

/// `2 pruned`, `1 paused, 1 pending`: a trial's runs by status, in summary.json's order, then
/// those without a summary yet.
fn statuses(runs: &[&TrialRun], planned: usize) -> String {
    let mut parts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|s| {
            let n = runs.iter().filter(|r| r.summary.status == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    if planned > runs.len() {
        parts.push(format!("{} pending", planned - runs.len()));
    }
    parts.join(", ")
}

fn importance_table(search: &SearchResults, rule: DivergedRule) -> Table {
    let mut t = Table::new([
        "group",
        "parameter",
        "fraction",
        "sd",
        "low (2.5%)",
        "high (97.5%)",
        "n used/total",
        "note",
    ])
    .numeric_from(2);
    t.numeric[7] = false;
    for (g, imp) in per_group(search, rule).iter().enumerate() {
        let label = group_label(&search.plan, g);
        let n = format!("{}/{}", imp.used, imp.total);
        match &imp.result {
            Ok(d) => {
                let note = if d.diverged > 0 {
                    format!(
                        "{} diverged trial(s) counted worst: fractions of ranks",
                        d.diverged
                    )
                } else {
                    String::new()
                };
                for m in &d.main {
                    t.push(vec![
                        label.clone(),
                        m.name.clone(),
                        n4(m.fraction),
                        n4(m.sd),
                        n4(m.low),
                        n4(m.high),
                        n.clone(),
                        note.clone(),
                    ]);
                }
                let pairs: f64 = d.interactions.iter().map(|i| i.fraction).sum();
                for (name, value) in [("all pairs", pairs), ("higher order", d.higher_order)] {
                    t.push(vec![
                        label.clone(),
                        name.into(),
                        n4(value),
                        String::new(),
                        String::new(),
                        String::new(),
                        n.clone(),
                        "interactions: mean over trees".into(),
                    ]);
                }
            }
            Err(e) => t.push(vec![
                label,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                n,
                format!("not estimated: {e}"),
            ]),
        }
    }
    t
}
