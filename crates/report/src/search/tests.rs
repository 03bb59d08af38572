//! A search's report: the main results are the confirmation runs only, a search in progress
//! reports and its claims wait, the trials table says what each rung decided, and a sweep
//! without `search:` is untouched. The folders are written by `synthetic::write_search`.

use std::path::Path;

use rnnlab_spec::Run;

use crate::load::Results;
use crate::synthetic::{metrics_csv, noise, write_results, write_search, Outcome, SearchWritten};
use crate::{Environment, ReportError, ReportOptions};

/// Two cells, each tuned by the same random search of 12 trials, halving at 100 and 300 steps.
const SWEEP: &str = r#"name: tuned
description: Two cells, each tuned by the same random search.
base:
  task: { kind: adding, length: 20 }
  model: { cell: lstm, hidden: 16 }
  train: { lr: 1.0e-3, steps: 900, eval_every: 100 }
variants:
  lstm: {}
  gru: { model: { cell: gru } }
seeds: [1, 2]
search:
  trials: 12
  seed: 0
  space:
    train.lr: { loguniform: [1.0e-4, 1.0e-1] }
    model.hidden: { choice: [8, 16, 32] }
  halving: { min_steps: 100, eta: 3 }
  select: { metric: valid.mse }
  confirm: { seeds: [11, 12, 13, 14] }
claims:
  - name: the LSTM beats the GRU
    metric: final.mse
    by: variant
    expect: lstm < gru
"#;

fn variant(run: &Run) -> &str {
    run.params
        .iter()
        .find(|(k, _)| k == "variant")
        .map_or("", |(_, v)| v.as_str())
}

/// Trials: the validation MSE depends on the learning rate only (best near 3e-3), falls with
/// steps, and the LSTM's trials are twice the GRU's: on the trials, the GRU looks better.
fn score(run: &Run, step: usize) -> f64 {
    let lr = run.config.train.lr.log10() + 2.5;
    let cell = if variant(run) == "lstm" { 2.0 } else { 1.0 };
    let seed = 1.0 + 0.05 * noise(&[run.config.seed, step as u64]);
    (0.02 + 0.05 * lr * lr) * cell * seed * (1.0 + 900.0 / (step as f64 + 100.0)) / 2.0
}

/// Confirmations: the other way round, the LSTM's test MSE near 0.01, the GRU's near 0.05.
fn confirm(run: &Run) -> Option<Outcome> {
    let centre = if variant(run) == "lstm" { 0.01 } else { 0.05 };
    let mse = centre * (1.0 + 0.1 * noise(&[run.config.seed]));
    Some(Outcome {
        status: "completed".into(),
        steps: 900,
        final_metrics: vec![("loss".into(), Some(mse)), ("mse".into(), Some(mse))],
        best: vec![("loss".into(), Some(mse)), ("mse".into(), Some(mse))],
        params: 1_000,
        wall_s: 9.0,
        steps_per_s: 100.0,
        metrics_csv: metrics_csv("mse", 900, 9, |f| 0.2 - (0.2 - mse) * f),
        ..Outcome::default()
    })
}

fn write(dir: &Path, decided: usize) -> SearchWritten {
    write_search(dir, SWEEP, score, decided, confirm).unwrap()
}

fn options() -> ReportOptions {
    ReportOptions {
        environment: Some(Environment {
            rnnlab: "0.1.0".into(),
            libtorch: "2.13.0".into(),
            device: "cpu".into(),
            cpu: "test CPU".into(),
            commit: "unknown".into(),
            builds: Vec::new(),
        }),
        ..ReportOptions::default()
    }
}

/// A CSV table as rows of cells, header first (these tables quote nothing).
fn csv(dir: &Path, name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("report/tables").join(name)).unwrap();
    text.lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn main_results_and_claims_are_the_confirmation_runs_only() {
    let tmp = tempfile::tempdir().unwrap();
    let written = write(tmp.path(), usize::MAX);
    assert_eq!(written.confirmation_runs, 8);
    assert!(written.winners.iter().all(Option::is_some));

    // On the trials the GRU is better; on the confirmation runs the LSTM is, and the claim
    // `lstm < gru` holds only if the trials are left out.
    let outcome = crate::check(tmp.path()).unwrap();
    assert_eq!(outcome.waiting, None);
    assert!(outcome.passed(), "{outcome}");
    assert_eq!(outcome.claims[0].used, (4, 4));

    let results = Results::load(tmp.path()).unwrap();
    assert_eq!(
        results.runs.len(),
        8,
        "two winners × four confirmation seeds"
    );
    assert_eq!(results.tuning, written.trial_runs);
    assert_eq!(
        results.stale, 0,
        "confirmation runs are current, trials are not stale"
    );
    let seeds: Vec<&str> = results.runs.iter().map(|r| r.seed.as_str()).collect();
    assert!(
        seeds.iter().all(|s| ["11", "12", "13", "14"].contains(s)),
        "{seeds:?}"
    );
    let axes: Vec<&str> = results.axes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(axes, ["variant"], "trial and searched values are not axes");

    let summary = crate::report(tmp.path(), &options()).unwrap();
    assert_eq!((summary.runs, summary.variants), (8, 2));
    assert_eq!(summary.trials, written.trial_runs);
    assert_eq!(summary.claims_hold, Some(true));
    let runs = csv(tmp.path(), "runs.csv");
    assert_eq!(
        runs.len(),
        1 + 8,
        "runs.csv lists the confirmation runs only"
    );
    let md = std::fs::read_to_string(&summary.report_md).unwrap();
    assert!(md.contains("## Search"), "{md}");
    assert!(md.contains(&format!("its {} trial runs are in", written.trial_runs)));
}

#[test]
fn a_search_in_progress_reports_and_its_claims_wait() {
    let tmp = tempfile::tempdir().unwrap();
    let written = write(tmp.path(), 1);
    assert_eq!((written.rungs, written.confirmation_runs), (1, 0));
    assert!(written.winners.iter().all(Option::is_none));

    let summary = crate::report(tmp.path(), &options()).unwrap();
    assert_eq!((summary.runs, summary.trials), (0, written.trial_runs));
    assert_eq!(summary.claims_hold, None);
    assert!(summary.claims_waiting.is_some());
    let md = std::fs::read_to_string(&summary.report_md).unwrap();
    for part in [
        "## Search",
        "No confirmation runs yet",
        "1 of 3 rungs decided",
        "## Claims",
    ] {
        assert!(md.contains(part), "report.md lacks `{part}`:\n{md}");
    }
    assert!(
        md.contains("wait for the search's confirmation runs"),
        "{md}"
    );
    assert!(summary.figures.iter().any(|f| f.stem == "search-train-lr"));

    let outcome = crate::check(tmp.path()).unwrap();
    assert!(!outcome.passed());
    let why = outcome.waiting.as_deref().unwrap();
    assert!(why.contains("0 of 2 groups have a winner"), "{why}");
    assert_eq!(outcome.claims.len(), 1);
    assert_eq!(
        outcome.claims[0].note.as_deref(),
        Some("waits for the confirmation runs")
    );

    let line = crate::summary_table(tmp.path()).unwrap();
    assert!(line.starts_with("no confirmation runs yet"), "{line}");
    let err = crate::compare(tmp.path(), tmp.path(), &Default::default()).unwrap_err();
    assert!(matches!(err, ReportError::Unconfirmed { .. }), "{err}");
}

#[test]
fn claims_wait_until_every_confirmation_run_has_finished() {
    let tmp = tempfile::tempdir().unwrap();
    // Every winner is known, but seed 14's confirmation runs have not run yet.
    let written = write_search(tmp.path(), SWEEP, score, usize::MAX, |run| {
        (run.config.seed != 14).then(|| confirm(run)).flatten()
    })
    .unwrap();
    assert_eq!(written.confirmation_runs, 6);
    let outcome = crate::check(tmp.path()).unwrap();
    let why = outcome
        .waiting
        .as_deref()
        .unwrap_or_else(|| panic!("{outcome}"));
    assert!(
        why.contains("2 of 2 groups have a winner and 6 of 8"),
        "{why}"
    );
    assert!(!outcome.passed());
    // The tables show the six that have finished.
    let summary = crate::report(tmp.path(), &options()).unwrap();
    assert_eq!((summary.runs, summary.claims_hold), (6, None));
}

#[test]
fn the_trials_table_shows_what_each_rung_decided() {
    let tmp = tempfile::tempdir().unwrap();
    let written = write(tmp.path(), usize::MAX);
    crate::report(tmp.path(), &options()).unwrap();
    let rows = csv(tmp.path(), "search-trials.csv");
    let (group, trial, runs, outcome) = (
        column(&rows, "group"),
        column(&rows, "trial"),
        column(&rows, "runs"),
        column(&rows, "outcome"),
    );
    let (at100, at900) = (column(&rows, "score@100"), column(&rows, "score@900"));
    for (g, label) in ["variant=lstm", "variant=gru"].iter().enumerate() {
        let mine: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[group] == *label).collect();
        assert_eq!(mine.len(), 12);
        let count = |text: &str| mine.iter().filter(|r| r[outcome] == text).count();
        // 12 trials, eta 3: 4 go on past step 100, 1 past step 300.
        assert_eq!(count("pruned at step 100"), 8, "{mine:?}");
        assert_eq!(count("pruned at step 300"), 3, "{mine:?}");
        assert_eq!(count("winner"), 1, "{mine:?}");
        let winner = mine.iter().find(|r| r[outcome] == "winner").unwrap();
        assert_eq!(winner[trial], written.winners[g].unwrap().to_string());
        assert_eq!(winner[runs], "2 completed");
        assert!(!winner[at900].is_empty());
        for r in mine.iter().filter(|r| r[outcome] == "pruned at step 100") {
            assert_eq!(r[runs], "2 pruned");
            assert!(!r[at100].is_empty() && r[at900].is_empty(), "{r:?}");
        }
    }
    // The budget: (12 × 100 + 4 × 200 + 1 × 600) × 2 seeds, all spent (no run stopped early).
    let groups = csv(tmp.path(), "search-groups.csv");
    let (spent, budget) = (
        column(&groups, "tuning steps"),
        column(&groups, "tuning budget"),
    );
    for row in &groups[1..] {
        assert_eq!(
            (row[spent].as_str(), row[budget].as_str()),
            ("5200", "5200")
        );
        assert_eq!(row[column(&groups, "confirmation steps")], "3600");
        assert_eq!(row[column(&groups, "total steps")], "8800");
    }
    // The learning rate is the one parameter that matters.
    let imp = csv(tmp.path(), "search-importance.csv");
    let (param, fraction) = (column(&imp, "parameter"), column(&imp, "fraction"));
    let share = |g: &str, p: &str| -> f64 {
        imp[1..]
            .iter()
            .find(|r| r[0] == g && r[param] == p)
            .unwrap_or_else(|| panic!("{imp:?}"))[fraction]
            .parse()
            .unwrap()
    };
    for g in ["variant=lstm", "variant=gru"] {
        assert!(
            share(g, "train.lr") > 0.5 && share(g, "model.hidden") < 0.2,
            "{imp:?}"
        );
    }
    assert!(imp[1..]
        .iter()
        .all(|r| r[column(&imp, "n used/total")] == "12/12"));
}

#[test]
fn an_undecided_rung_leaves_the_kept_trials_kept() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), 1);
    crate::report(tmp.path(), &options()).unwrap();
    let rows = csv(tmp.path(), "search-trials.csv");
    let (runs, outcome) = (column(&rows, "runs"), column(&rows, "outcome"));
    let kept: Vec<_> = rows[1..]
        .iter()
        .filter(|r| r[outcome] == "kept at step 100")
        .collect();
    assert_eq!(kept.len(), 2 * 4);
    assert!(kept.iter().all(|r| r[runs] == "2 paused"), "{kept:?}");
    let pruned = rows[1..]
        .iter()
        .filter(|r| r[outcome] == "pruned at step 100");
    assert_eq!(pruned.count(), 2 * 8);
}

#[test]
fn the_charts_put_a_log_uniform_parameter_on_a_log_axis() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), 1);
    let results = Results::load(tmp.path()).unwrap();
    let charts = super::chart::charts(results.search.as_ref().unwrap());
    let scale = |stem: &str| charts.iter().find(|c| c.stem == stem).unwrap().plot.x_scale;
    assert_eq!(scale("search-train-lr"), crate::charts::Scale::Log10);
    assert_eq!(scale("search-model-hidden"), crate::charts::Scale::Linear);
    let lr = charts.iter().find(|c| c.stem == "search-train-lr").unwrap();
    assert_eq!(lr.plot.lines.len(), 2, "one series per group");
    assert!(lr
        .plot
        .lines
        .iter()
        .all(|l| l.scatter && l.points.len() == 12));
}

#[test]
fn a_sweep_without_search_is_read_as_before() {
    const PLAIN: &str = r#"name: plain
base:
  task: { kind: adding, length: 20 }
  model: { cell: lstm, hidden: 16 }
  train: { steps: 400, eval_every: 100 }
variants:
  lstm: {}
  gru: { model: { cell: gru } }
seeds: [1, 2]
"#;
    let tmp = tempfile::tempdir().unwrap();
    write_results(tmp.path(), PLAIN, confirm).unwrap();
    let results = Results::load(tmp.path()).unwrap();
    assert!(results.search.is_none());
    assert_eq!(
        (results.runs.len(), results.tuning, results.stale),
        (4, 0, 0)
    );
    let summary = crate::report(tmp.path(), &options()).unwrap();
    assert_eq!((summary.runs, summary.trials), (4, 0));
    let md = std::fs::read_to_string(&summary.report_md).unwrap();
    assert!(
        !md.contains("## Search") && !md.contains("trial runs"),
        "{md}"
    );
    assert!(!tmp.path().join("report/tables/search-trials.csv").exists());
    // Runs the sweep no longer makes are stale, as before.
    let fewer = PLAIN.replace("seeds: [1, 2]", "seeds: [1]");
    std::fs::write(tmp.path().join("sweep.yaml"), fewer).unwrap();
    let results = Results::load(tmp.path()).unwrap();
    assert_eq!(
        (results.runs.len(), results.stale, results.tuning),
        (2, 2, 0)
    );
}
