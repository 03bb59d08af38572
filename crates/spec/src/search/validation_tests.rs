//! The `search:` block's validation: each bad case rejected with a located message.
use std::path::Path;

use super::tests::{edit, errors, SWEEP};
use crate::{Limits, Sweep};

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
    // Found by the fuzz test: a huge `trials` is refused by the count, before any point is
    // drawn (drawing them first held every point in memory).
    let start = std::time::Instant::now();
    let err = errors(&edit("trials: 6", "trials: 1000000000000"));
    assert!(err.contains("more than the 100000 allowed"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
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
        ("eta: 3", "eta: 3, plateau: later", "search.halving.plateau (line 20 column 47): unknown variant `later`, expected `cut` or `wait`"),
        ("min_steps: 200", "min_steps: 2000", "search.halving.min_steps (line 20 column 25): `min_steps` is 2000 but runs train only 2000 steps"),
        ("min_steps: 200", "min_steps: 250", "search.halving.min_steps (line 20 column 25): the rung at step 250 is not an evaluation step (`train.eval_every` is 100)"),
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
