//! The `search:` block: located validation errors, expansion into trials, the plan.
use std::path::Path;

use super::*;
use crate::{Expanded, Limits, Rejected, RunConfig, Sweep};

const SWEEP: &str = r#"name: tuned
base:
  task: { kind: adding, length: 20 }
  model: { cell: lstm, hidden: 16 }
  train: { lr: 1.0e-3, steps: 2000, eval_every: 100 }
variants:
  lstm: {}
  gru: { model: { cell: gru } }
grid:
  task.length: [20, 40]
seeds: [1, 2]
search:
  trials: 6
  seed: 0
  space:
    train.lr: { loguniform: [1.0e-4, 1.0e-1] }
    model.hidden: { choice: [8, 16, 32] }
    model.forget_bias: { uniform: [0.0, 3.0] }
    model.layers: { int: [1, 3] }
  halving: { min_steps: 200, eta: 3 }
  select: { metric: valid.mse }
  confirm: { seeds: [11, 12, 13] }
"#;

fn expand(text: &str) -> Result<Expanded, Rejected> {
    Sweep::parse_and_expand(text, Path::new("s.yaml"))
}

/// Every error message, one per line.
fn errors(text: &str) -> String {
    match expand(text) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(r) => r
            .errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn edit(from: &str, to: &str) -> String {
    assert!(SWEEP.contains(from), "`{from}` is not in the sweep");
    SWEEP.replacen(from, to, 1)
}

#[test]
fn trials_expand_per_variant_grid_point_and_tuning_seed() {
    let e = expand(SWEEP).unwrap();
    assert_eq!(
        e.runs.len(),
        2 * 2 * 6 * 2,
        "variants × levels × trials × seeds"
    );
    let keys: Vec<&str> = e.runs[0].params.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "variant",
            "task.length",
            "trial",
            "train.lr",
            "model.hidden",
            "model.forget_bias",
            "model.layers",
            "seed"
        ]
    );
    // Order: variant, grid point, trial, seed (the seed fastest).
    assert!(e.runs[0]
        .label()
        .starts_with("variant=lstm task.length=20 trial=0 "));
    assert!(e.runs[1].label().ends_with("seed=2"));
    assert!(e.runs[2].label().contains("trial=1 "));
    // The resolved config carries the sampled values.
    let plan = e.search.as_ref().unwrap();
    for run in &e.runs {
        let k: usize = run.params[2].1.parse().unwrap();
        let point = &plan.points[k];
        assert_eq!(
            Value::from(run.config.train.lr),
            point[0],
            "{}",
            run.label()
        );
        assert_eq!(Value::from(run.config.model.hidden as u64), point[1]);
        assert_eq!(Value::from(run.config.model.forget_bias), point[2]);
        assert_eq!(Value::from(run.config.model.layers as u64), point[3]);
    }
    let mut ids: Vec<&str> = e.runs.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), e.runs.len(), "every trial run has its own id");
}

#[test]
fn every_group_gets_the_same_points() {
    let e = expand(SWEEP).unwrap();
    let plan = e.search.unwrap();
    assert_eq!(plan.groups.len(), 4);
    for g in &plan.groups {
        assert_eq!(g.trials.len(), 6);
        for (t, point) in g.trials.iter().zip(&plan.points) {
            let values: Vec<&Value> = t.values.iter().map(|(_, v)| v).collect();
            assert_eq!(values, point.iter().collect::<Vec<_>>());
            assert_eq!(t.runs.len(), 2, "one run per tuning seed");
            assert_eq!(
                t.runs[0].config.train.lr,
                plan.groups[0].trials[t.index].runs[0].config.train.lr
            );
        }
    }
    assert_eq!(
        plan.groups[1].key,
        [
            ("variant".into(), "lstm".into()),
            ("task.length".into(), "40".into())
        ]
    );
    assert_eq!(
        plan.groups[2].trials[3].runs[1].config.model.cell,
        crate::Cell::Gru
    );
}

#[test]
fn points_depend_on_the_search_seed_only() {
    let ids = |text: &str| -> Vec<Vec<Value>> { expand(text).unwrap().search.unwrap().points };
    let base = ids(SWEEP);
    assert_eq!(base, ids(SWEEP), "deterministic");
    assert_eq!(
        base,
        ids(&edit("seeds: [1, 2]", "seeds: [5, 6, 7]")),
        "not the runs' seeds"
    );
    assert_eq!(
        base,
        ids(&edit("grid:\n  task.length: [20, 40]\n", "")),
        "not the grid"
    );
    assert_ne!(
        base,
        ids(&edit("  seed: 0", "  seed: 1")),
        "the sampler's seed"
    );
    let more = ids(&edit("trials: 6", "trials: 9"));
    assert_eq!(
        base[..],
        more[..6],
        "raising `trials` keeps the earlier trials"
    );
}

#[test]
fn run_ids_are_stable_under_reordering_and_reexpansion() {
    let run_ids = |text: &str| -> Vec<String> {
        expand(text)
            .unwrap()
            .runs
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    let reordered = edit(
        "model: { cell: lstm, hidden: 16 }",
        "model: { hidden: 16, cell: lstm }",
    );
    assert_eq!(run_ids(SWEEP), run_ids(&reordered));
    // A run of a trial is the plain run with the sampled values set in `base`.
    let e = expand(SWEEP).unwrap();
    let r = &e.runs[0];
    let plain = format!(
        "name: p\nbase:\n  task: {{ kind: adding, length: 20 }}\n  model: {{ cell: lstm, hidden: {}, \
         forget_bias: {}, layers: {} }}\n  train: {{ lr: {}, steps: 2000, eval_every: 100 }}\nseeds: [1]\n",
        r.config.model.hidden, r.config.model.forget_bias, r.config.model.layers, r.config.train.lr
    );
    assert_eq!(expand(&plain).unwrap().runs[0].id, r.id);
}

#[test]
fn the_plan_has_rungs_kept_counts_and_confirmations() {
    let plan = expand(SWEEP).unwrap().search.unwrap();
    let g = &plan.groups[0];
    assert_eq!(g.rungs, [200, 600, 1800, 2000]);
    assert_eq!(g.kept, [6, 2, 1, 1]);
    // 6·200 + 2·400 + 1·1200 + 1·200 steps on each of 2 seeds.
    assert_eq!(g.tuning_steps(2), 2 * (1200 + 800 + 1200 + 200));
    assert_eq!(plan.select.to_string(), "valid.mse");
    assert_eq!(plan.select.direction, crate::Direction::LowerIsBetter);
    assert_eq!(plan.trial_runs(), 48);
    let c = plan.confirmation(3, 4).unwrap();
    let seeds: Vec<u64> = c.runs.iter().map(|r| r.config.seed).collect();
    assert_eq!(seeds, [11, 12, 13]);
    let trial = &plan.groups[3].trials[4].runs[0];
    for run in &c.runs {
        assert_eq!(
            run.config,
            RunConfig {
                seed: run.config.seed,
                ..trial.config.clone()
            }
        );
        assert!(
            run.label()
                .starts_with("variant=gru task.length=40 trial=4 "),
            "{}",
            run.label()
        );
    }
    assert!(plan.confirmation(4, 0).is_none());
    let text = plan.to_string();
    assert!(
        text.contains("6 trials × 2 tuning seeds in each of 4 groups (48 trial runs)"),
        "{text}"
    );
    assert!(
        text.contains("6 to step 200, 2 to step 600, 1 to step 1800, 1 to step 2000"),
        "{text}"
    );
    assert!(text.contains("seeds 11, 12, 13 (12 runs"), "{text}");
}

#[test]
fn without_halving_one_rung_and_the_main_metric_by_default() {
    let text = edit(
        "  halving: { min_steps: 200, eta: 3 }\n  select: { metric: valid.mse }\n",
        "",
    );
    let plan = expand(&text).unwrap().search.unwrap();
    assert_eq!(plan.groups[0].rungs, [2000]);
    assert_eq!(plan.groups[0].kept, [6]);
    assert_eq!(plan.select.to_string(), "valid.mse", "adding's main metric");
    assert_eq!(
        Halving {
            min_steps: 100,
            eta: 2
        }
        .rungs(800),
        [100, 200, 400, 800]
    );
    assert_eq!(
        Halving {
            min_steps: 100,
            eta: 2
        }
        .rungs(801),
        [100, 200, 400, 800, 801]
    );
}

#[test]
fn repeated_points_share_runs_and_warn() {
    let text = edit(
        "    train.lr: { loguniform: [1.0e-4, 1.0e-1] }\n    model.hidden: { choice: [8, 16, 32] }\n    model.forget_bias: { uniform: [0.0, 3.0] }\n    model.layers: { int: [1, 3] }\n",
        "    model.hidden: { choice: [8, 16] }\n",
    );
    let e = expand(&text).unwrap();
    assert_eq!(e.runs.len(), 2 * 2 * 2 * 2, "2 distinct points of 6 trials");
    let w = e
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        w.contains("s.yaml: search.trials (line 13 column 11): 4 of the 6 trials repeat"),
        "{w}"
    );
    let plan = e.search.unwrap();
    let t = plan.groups[0]
        .trials
        .iter()
        .find(|t| t.repeats.is_some())
        .unwrap();
    let first = &plan.groups[0].trials[t.repeats.unwrap()];
    assert_eq!(t.runs, first.runs);
}

#[test]
fn a_sweep_without_search_has_no_plan() {
    let text = SWEEP.split("search:").next().unwrap();
    let e = expand(text).unwrap();
    assert!(e.search.is_none());
    assert_eq!(e.runs.len(), 8);
}

#[test]
fn the_run_bound_counts_trials_and_confirmations() {
    let limits = Limits {
        max_runs: 59,
        ..Limits::default()
    };
    let err = Sweep::parse_and_expand_with(SWEEP, Path::new("s.yaml"), &limits).unwrap_err();
    let err = err.errors[0].to_string();
    assert!(
        err.contains("search.trials (line 13 column 3): the sweep has 60 runs (2 variants × 2 levels of task.length × (6 trials × 2 seeds + 3 confirmation seeds)), more than the 59 allowed"),
        "{err}"
    );
    let limits = Limits {
        max_runs: 60,
        ..Limits::default()
    };
    assert!(Sweep::parse_and_expand_with(SWEEP, Path::new("s.yaml"), &limits).is_ok());
}

#[test]
fn bad_blocks_are_located() {
    let cases: &[(&str, &str, &str)] = &[
        ("trials: 6", "trials: 0", "search.trials (line 13 column 11): `trials` must be at least 1"),
        ("[1.0e-4, 1.0e-1]", "[0.0, 1.0e-1]", "search.space.train.lr (line 16 column 15): `train.lr`: `loguniform: [0, 0.1]` needs low > 0"),
        ("uniform: [0.0, 3.0]", "uniform: [3.0, 3.0]", "search.space.model.forget_bias (line 18 column 24): `model.forget_bias`: `uniform: [3, 3]` needs finite bounds with low < high"),
        ("choice: [8, 16, 32]", "choice: []", "search.space.model.hidden (line 17 column 19): `model.hidden`: `choice` needs at least one value"),
        ("int: [1, 3]", "int: [1.5, 3]", "search.space.model.layers.int[0] (line 19 column 27): invalid type: floating point `1.5`, expected i64"),
        ("int: [1, 3]", "int: [3, 1]", "`int: [3, 1]` needs low < high"),
        ("{ loguniform: [1.0e-4", "{ logunifrom: [1.0e-4", "search.space.train.lr.logunifrom (line 16 column 17): unknown field `logunifrom` in a search space; did you mean `loguniform`?"),
        ("{ int: [1, 3] }", "{ int: [1, 3], choice: [1] }", "exactly one distribution"),
        ("train.lr: { log", "train.lrr: { log", "search.space.train.lrr (line 16 column 5): no such config path: `lrr` is not a field of `train` (did you mean `lr`?)"),
        ("model.hidden: { choice: [8, 16, 32] }", "model.hidden: { uniform: [8.0, 32.5] }", "search.space.model.hidden.uniform[0] (line 17 column 31): `model.hidden` cannot take `8.0`: invalid type: floating point `8.0`, expected usize; an integer field takes `int: [low, high]` or `choice`"),
        ("eta: 3", "eta: 1", "search.halving.eta (line 20 column 35): `eta` is 1: at least 2"),
        ("min_steps: 200", "min_steps: 2000", "search.halving.min_steps (line 20 column 25): `min_steps` is 2000 but runs train only 2000 steps"),
        ("valid.mse", "valid.msee", "search.select.metric (line 21 column 21): `msee` is not a metric of task `adding` (did you mean `mse`?)"),
        ("valid.mse", "final.mse", "search.select.metric (line 21 column 21): `final.mse` is the test split: selection may only see the validation split"),
        ("seeds: [11, 12, 13]", "seeds: [11, 2, 13]", "search.confirm.seeds[1] (line 22 column 26): seed 2 is also a tuning seed"),
        ("seeds: [11, 12, 13]", "seeds: []", "search.confirm.seeds (line 22 column 21): list the seeds each winner is re-run on"),
        ("confirm: { seeds", "confirm: { seed", "search.confirm.seed (line 22 column 14): unknown field `seed` in search.confirm; did you mean `seeds`?"),
        ("  trials: 6", "  trails: 6", "search.trails (line 13 column 3): unknown field `trails` in search; did you mean `trials`?"),
        ("  task.length: [20, 40]", "  model.hidden: [8, 16]", "search.space.model.hidden (line 17 column 5): `model.hidden` is also varied by the grid axis `model.hidden`"),
        ("gru: { model: { cell: gru } }", "gru: { model: { cell: gru, layers: 2 } }", "variants.gru.model.layers (line 8 column 30): variant `gru` sets `model.layers`, which the search draws"),
        ("model.layers: { int", "model.layers.x: { choice: [1] }\n    model.num: { int", "search.space.model.layers.x (line 19 column 5): no such config path"),
    ];
    let mut failed = Vec::new();
    for (from, to, want) in cases {
        let got = errors(&edit(from, to));
        if !got.contains(want) {
            failed.push(format!("{from} -> {to}: want\n  {want}\ngot\n  {got}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn overlaps_and_excludes_of_searched_paths_are_errors() {
    let text = edit("    model.layers: { int: [1, 3] }\n", "    train.clip: { choice: [{ kind: none }] }\n    train.clip.max: { uniform: [0.5, 2.0] }\n");
    assert!(errors(&text).contains(
        "search.space.train.clip.max (line 20 column 5): overlaps the searched path `train.clip`"
    ));
    let text = edit(
        "seeds: [1, 2]",
        "seeds: [1, 2]\nexclude:\n  - { model.hidden: 8 }",
    );
    assert!(
        errors(&text)
            .contains("exclude[0].model.hidden (line 13 column 7): `model.hidden` is searched"),
        "{}",
        errors(&text)
    );
    let text = edit(
        "    model.layers: { int: [1, 3] }\n",
        "    train.steps: { int: [100, 300] }\n",
    );
    assert!(errors(&text).contains("`train.steps` cannot be searched with `halving`"));
}

#[test]
fn values_a_run_refuses_are_reported_at_the_space() {
    // Dropout must be below 1: the draw is checked in every resolved trial.
    let text = edit(
        "    model.layers: { int: [1, 3] }\n",
        "    model.layers: { int: [2, 3] }\n    model.dropout: { choice: [0.2, 1.5] }\n",
    );
    let got = errors(&text);
    assert!(
        got.contains("search.space.model.dropout (line 20 column 5): model.dropout:"),
        "{got}"
    );
    assert!(got.contains("(trial "), "{got}");
}

#[test]
fn a_search_built_in_code_validates_and_round_trips() {
    let sweep = Sweep::parse(SWEEP, Path::new("s.yaml")).unwrap();
    let e = sweep.validate(Path::new("s.yaml")).unwrap();
    assert_eq!(e.runs, expand(SWEEP).unwrap().runs);
    let yaml = serde_yaml::to_string(&sweep).unwrap();
    assert_eq!(Sweep::parse(&yaml, Path::new("s.yaml")).unwrap(), sweep);
    let mut bad = sweep.clone();
    bad.search.as_mut().unwrap().trials = 0;
    let err = bad.expand(Path::new("s.yaml")).unwrap_err();
    assert!(
        err.to_string()
            .contains("search.trials: `trials` must be at least 1"),
        "{err}"
    );
}
