//! The `search:` block: expansion into trials, common random numbers, the plan.
use std::path::Path;

use super::*;
use crate::{RunConfig, Sweep};

pub(super) const SWEEP: &str = r#"name: tuned
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

pub(super) use crate::testing::{errors, expand};

pub(super) fn edit(from: &str, to: &str) -> String {
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
        // The group and the seed: the trial that won is the search's decision, not a param.
        assert_eq!(
            run.label(),
            format!("variant=gru task.length=40 seed={}", run.config.seed)
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
            eta: 2,
            plateau: Plateau::Cut,
        }
        .rungs(800),
        [100, 200, 400, 800]
    );
    assert_eq!(
        Halving {
            min_steps: 100,
            eta: 2,
            plateau: Plateau::Cut,
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
