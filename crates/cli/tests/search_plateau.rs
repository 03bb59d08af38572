//! `halving.plateau: wait` end to end: a rung at which no trial has left the no-learning
//! baseline keeps every trial instead of ranking noise, the winner is then the one the search
//! without halving finds, and switching the rule in the same folder decides the rung again.
#![cfg(feature = "torch")]

mod common;

use common::{assert_success, finish, Sandbox};

/// Learning rates too small to leave the adding baseline in 60 steps: every rung is on the
/// plateau. 2 cells x 4 trials x 2 tuning seeds, rungs at 20, 40, 60 (eta 2).
const SEARCH: &str = "\
name: plateau-search
base:
  task: { kind: adding, length: 20 }
  model: { cell: lstm, hidden: 8 }
  train: { optimizer: adam, lr: 1.0e-5, batch: 16, steps: 60, eval_every: 10, eval_size: 64 }
variants:
  lstm: {}
  gru: { model: { cell: gru } }
seeds: [1, 2]
search:
  trials: 4
  seed: 4
  space:
    train.lr: { loguniform: [1.0e-6, 1.0e-5] }
    model.hidden: { choice: [4, 8] }
  halving: { min_steps: 20, eta: 2, plateau: wait }
  select: { metric: valid.mse }
  confirm: { seeds: [5] }
";

fn rung(sandbox: &Sandbox, i: usize) -> serde_json::Value {
    let path = sandbox
        .results("plateau-search")
        .join(format!("search/rung-{i}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn kept(decision: &serde_json::Value, group: usize) -> usize {
    decision["groups"][group]["kept"].as_array().unwrap().len()
}

fn winners(decision: &serde_json::Value) -> Vec<serde_json::Value> {
    let groups = decision["groups"].as_array().unwrap();
    groups.iter().map(|g| g["winner"].clone()).collect()
}

#[test]
fn a_rung_on_the_plateau_waits_and_the_winner_is_the_exhaustive_one() {
    let waiting = Sandbox::new();
    let sweep = waiting.sweep("s.yaml", SEARCH);
    assert_success(&finish(waiting.run_cmd(&sweep, 2, &[]).spawn().unwrap()));
    for i in 0..2 {
        let d = rung(&waiting, i);
        for g in 0..2 {
            assert_eq!(kept(&d, g), 4, "rung {i} keeps every trial: {d}");
            let note = d["groups"][g]["note"].as_str().unwrap_or_default();
            assert!(note.contains("every trial goes on"), "{note}");
        }
    }

    // Without halving every trial trains to step 60 and the best there wins: the same winners.
    let exhaustive = Sandbox::new();
    let text = SEARCH.replace("  halving: { min_steps: 20, eta: 2, plateau: wait }\n", "");
    assert_ne!(text, SEARCH);
    let sweep_x = exhaustive.sweep("s.yaml", &text);
    assert_success(&finish(
        exhaustive.run_cmd(&sweep_x, 2, &[]).spawn().unwrap(),
    ));
    assert_eq!(winners(&rung(&waiting, 2)), winners(&rung(&exhaustive, 0)));

    // The same folder with `cut`: the waiting decisions are stale, rung 0 now cuts to 2.
    let cut = SEARCH.replace("plateau: wait", "plateau: cut");
    let sweep = waiting.sweep("s.yaml", &cut);
    let out = finish(waiting.run_cmd(&sweep, 2, &[]).spawn().unwrap());
    assert_success(&out);
    let d = rung(&waiting, 0);
    assert_eq!((kept(&d, 0), kept(&d, 1)), (2, 2), "{d}");
    assert!(d["groups"][0]["note"]
        .as_str()
        .is_some_and(|n| n.contains("ranks noise")));
}
