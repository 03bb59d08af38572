//! A `search:` sweep end to end through the binary: trials trained rung by rung, pruned at
//! the rungs by their validation score, the winners confirmed on fresh seeds — and the same
//! files whatever `--jobs` or sharding did the work (issue #13's "identical with `--jobs 1`
//! and `--jobs 2`").
#![cfg(feature = "torch")]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{assert_success, finish, metrics_without_time, run_folders, Sandbox};

/// 2 variants × 4 trials × 2 tuning seeds, rungs at 20, 40 and 60 steps (eta 2: 4, 2, 1
/// trials), the winners on 2 confirmation seeds: 16 trial runs and 4 confirmation runs.
const SEARCH: &str = "\
name: tiny-search
base:
  task: { kind: adding, length: 10 }
  model: { cell: lstm, hidden: 8 }
  train: { optimizer: adam, lr: 1.0e-2, batch: 16, steps: 60, eval_every: 10, eval_size: 64 }
variants:
  lstm: {}
  gru: { model: { cell: gru } }
seeds: [1, 2]
search:
  trials: 4
  seed: 4                # rung 0 keeps trials 3 and 0 of the LSTM: best first is not trial order
  space:
    train.lr: { loguniform: [1.0e-3, 1.0e-1] }
    model.hidden: { choice: [4, 8] }
  halving: { min_steps: 20, eta: 2 }
  select: { metric: valid.mse }
  confirm: { seeds: [5, 6] }
";

/// Everything a search leaves that must not depend on how it was run: each run's
/// summary.json without its timings, its metrics.csv without the clock column, and the
/// rung decisions' bytes.
fn outcome(results: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (id, stored) in run_folders(results) {
        let mut json = stored.unwrap_or_else(|| panic!("{id} has no summary")).json;
        for timing in ["wall_s", "steps_per_s"] {
            json.as_object_mut().unwrap().remove(timing);
        }
        out.insert(format!("{id}/summary"), json.to_string());
        out.insert(format!("{id}/metrics"), metrics_without_time(results, &id));
        let dir = results.join("runs").join(&id);
        for f in ["checkpoint.json", "params.json"] {
            if let Ok(text) = std::fs::read_to_string(dir.join(f)) {
                out.insert(format!("{id}/{f}"), text);
            }
        }
    }
    for entry in std::fs::read_dir(results.join("search")).expect("a search folder") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.insert(name, std::fs::read_to_string(&path).unwrap());
    }
    out
}

/// The two outcomes agree file by file; a failure names the files that differ.
fn same(got: &BTreeMap<String, String>, want: &BTreeMap<String, String>, what: &str) {
    let keys: std::collections::BTreeSet<&String> = got.keys().chain(want.keys()).collect();
    let differ: Vec<String> = keys
        .into_iter()
        .filter(|k| got.get(*k) != want.get(*k))
        .map(|k| format!("{k}:\n  got  {:?}\n  want {:?}", got.get(k), want.get(k)))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: {} files differ\n{}",
        differ.len(),
        differ.join("\n")
    );
}

fn rung(results: &Path, i: usize) -> serde_json::Value {
    let text = std::fs::read_to_string(results.join(format!("search/rung-{i}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The mean validation MSE at `step` of a trial's runs, read from their metrics.csv files
/// (an independent reading of what the runner ranks by).
fn score_at(results: &Path, ids: &[String], step: usize) -> f64 {
    let values: Vec<f64> = ids
        .iter()
        .map(|id| {
            let text =
                std::fs::read_to_string(results.join("runs").join(id).join("metrics.csv")).unwrap();
            let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
            let mse = header.iter().position(|h| *h == "mse").unwrap();
            text.lines()
                .map(|l| l.split(',').collect::<Vec<_>>())
                .find(|c| c[0] == step.to_string() && c[1] == "valid")
                .map(|c| c[mse].parse::<f64>().unwrap())
                .unwrap_or_else(|| panic!("{id} has no valid row at {step}"))
        })
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// Trial runs by (variant, trial), from params.json.
fn trials(results: &Path) -> BTreeMap<(String, usize), Vec<String>> {
    let mut out: BTreeMap<(String, usize), Vec<String>> = BTreeMap::new();
    for id in run_folders(results).keys() {
        let params: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(results.join("runs").join(id).join("params.json")).unwrap(),
        )
        .unwrap();
        if let Some(t) = params["trial"].as_str() {
            let variant = params["variant"].as_str().unwrap().to_string();
            out.entry((variant, t.parse().unwrap()))
                .or_default()
                .push(id.clone());
        }
    }
    out
}

#[test]
fn a_search_prunes_at_each_rung_confirms_the_winners_and_does_not_depend_on_jobs() {
    let one = Sandbox::new();
    let sweep = one.sweep("s.yaml", SEARCH);
    assert_success(&finish(one.run_cmd(&sweep, 1, &[]).spawn().unwrap()));
    let results = one.results("tiny-search");
    let folders = run_folders(&results);
    assert_eq!(folders.len(), 20, "16 trial runs and 4 confirmation runs");

    let by_trial = trials(&results);
    for (g, variant) in ["lstm", "gru"].iter().enumerate() {
        // Rung 0 (step 20) keeps the best 2 of 4 by the mean valid MSE of the two seeds.
        let r0 = &rung(&results, 0)["groups"][g];
        assert_eq!(r0["key"][0][1], *variant);
        let mut by_score: Vec<(f64, usize)> = (0..4)
            .map(|t| {
                (
                    score_at(&results, &by_trial[&(variant.to_string(), t)], 20),
                    t,
                )
            })
            .collect();
        by_score.sort_by(|a, b| a.0.total_cmp(&b.0));
        let kept: Vec<u64> = r0["kept"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(
            kept,
            [by_score[0].1 as u64, by_score[1].1 as u64],
            "{variant}"
        );
        // The others are pruned at 20 and stop there, their files kept.
        for (_, t) in &by_score[2..] {
            for id in &by_trial[&(variant.to_string(), *t)] {
                let s = &folders[id].as_ref().unwrap().json;
                assert_eq!(
                    (
                        s["status"].as_str(),
                        s["pruned_at"].as_u64(),
                        s["steps"].as_u64()
                    ),
                    (Some("pruned"), Some(20), Some(20)),
                    "{id}"
                );
                assert!(!results
                    .join("runs")
                    .join(id)
                    .join("checkpoint.json")
                    .exists());
            }
        }
        // Rung 1 (step 40) keeps the better of the two; the last rung names it the winner,
        // and its runs, paused twice, finished all 60 steps.
        let r1 = &rung(&results, 1)["groups"][g];
        let (a, b) = (kept[0] as usize, kept[1] as usize);
        let (sa, sb) = (
            score_at(&results, &by_trial[&(variant.to_string(), a)], 40),
            score_at(&results, &by_trial[&(variant.to_string(), b)], 40),
        );
        let best = if sa <= sb { a } else { b };
        assert_eq!(r1["kept"][0].as_u64(), Some(best as u64));
        let winner = rung(&results, 2)["groups"][g]["winner"].as_u64().unwrap() as usize;
        assert_eq!(winner, best);
        for id in &by_trial[&(variant.to_string(), winner)] {
            let s = &folders[id].as_ref().unwrap().json;
            assert_eq!(s["status"], "completed");
            assert_eq!(s["resumed_from"], serde_json::json!([20, 40]));
        }
    }
    // The confirmation runs: each group's winner on seeds 5 and 6, named by group and seed.
    let confirmations: Vec<serde_json::Value> = folders
        .keys()
        .map(|id| {
            serde_json::from_str(
                &std::fs::read_to_string(results.join("runs").join(id).join("params.json"))
                    .unwrap(),
            )
            .unwrap()
        })
        .filter(|p: &serde_json::Value| p.get("trial").is_none())
        .collect();
    assert_eq!(confirmations.len(), 4);
    assert!(confirmations
        .iter()
        .all(|p| ["5", "6"].contains(&p["seed"].as_str().unwrap())));

    // Run again, a finished search reads its decisions instead of making them again: no
    // stage starts, and the rung files are not rewritten.
    let written: Vec<std::time::SystemTime> = (0..3)
        .map(|i| {
            let path = results.join(format!("search/rung-{i}.json"));
            std::fs::metadata(path).unwrap().modified().unwrap()
        })
        .collect();
    let again = finish(one.run_cmd(&sweep, 1, &[]).spawn().unwrap());
    assert_success(&again);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        !stderr.contains("search rung"),
        "a decided rung ran again:\n{stderr}"
    );
    for (i, when) in written.iter().enumerate() {
        let path = results.join(format!("search/rung-{i}.json"));
        assert_eq!(
            std::fs::metadata(path).unwrap().modified().unwrap(),
            *when,
            "rung {i}"
        );
    }

    // Two jobs at a time, and two shards taking turns, leave the same files.
    let two = Sandbox::new();
    let sweep2 = two.sweep("s.yaml", SEARCH);
    assert_success(&finish(two.run_cmd(&sweep2, 2, &[]).spawn().unwrap()));
    let want = outcome(&results);
    same(
        &outcome(&two.results("tiny-search")),
        &want,
        "--jobs 2 against --jobs 1",
    );

    // Two shards in turn, each until both have found nothing to wait for.
    let sharded = Sandbox::new();
    let sweep3 = sharded.sweep("s.yaml", SEARCH);
    let (mut waits, mut done_in_a_row) = (0, 0);
    for turn in 0..12 {
        let shard = format!("{}/2", turn % 2 + 1);
        let out = finish(
            sharded
                .run_cmd(&sweep3, 1, &["--shard", &shard])
                .spawn()
                .unwrap(),
        );
        assert_success(&out);
        if String::from_utf8_lossy(&out.stderr).contains("waits for") {
            (waits, done_in_a_row) = (waits + 1, 0);
        } else {
            done_in_a_row += 1;
        }
        if done_in_a_row == 2 {
            break;
        }
    }
    assert!(
        waits >= 2,
        "the shards waited for each other at the rungs ({waits} times)"
    );
    same(
        &outcome(&sharded.results("tiny-search")),
        &want,
        "2 shards against 1 process",
    );
}

/// A results folder made by one search and then run with another (here: halving removed)
/// ends as a fresh run of the new search would: the old decisions are stale and made again,
/// pruned trials that the new search keeps train again, paused ones continue.
#[test]
fn a_changed_search_redoes_stale_decisions_and_trains_pruned_trials_again() {
    let exhaustive_text = SEARCH.replace("  halving: { min_steps: 20, eta: 2 }\n", "");
    assert_ne!(exhaustive_text, SEARCH);
    let changed = Sandbox::new();
    let halved = changed.sweep("s.yaml", SEARCH);
    assert_success(&finish(changed.run_cmd(&halved, 2, &[]).spawn().unwrap()));
    let exhaustive = changed.sweep("s.yaml", &exhaustive_text);
    assert_success(&finish(
        changed.run_cmd(&exhaustive, 2, &[]).spawn().unwrap(),
    ));

    let fresh = Sandbox::new();
    let sweep = fresh.sweep("s.yaml", &exhaustive_text);
    assert_success(&finish(fresh.run_cmd(&sweep, 2, &[]).spawn().unwrap()));
    // Where the runs were continued from a checkpoint differs; nothing else may.
    let without_resumes = |results: &Path| -> BTreeMap<String, String> {
        outcome(results)
            .into_iter()
            .map(|(k, v)| {
                if !k.ends_with("/summary") {
                    return (k, v);
                }
                let mut json: serde_json::Value = serde_json::from_str(&v).unwrap();
                json.as_object_mut().unwrap().remove("resumed_from");
                (k, json.to_string())
            })
            .collect()
    };
    let want = without_resumes(&fresh.results("tiny-search"));
    assert!(
        !want.contains_key("rung-1.json"),
        "one rung without halving"
    );
    // The old search's confirmation runs stay in the folder, as runs of an older version of a
    // sweep do (the report leaves them out); every other file is the fresh search's.
    let mut got = without_resumes(&changed.results("tiny-search"));
    let extra: Vec<String> = got
        .keys()
        .filter(|k| !want.contains_key(*k))
        .cloned()
        .collect();
    for k in &extra {
        let params = got.get(
            &k.replace("/summary", "/params.json")
                .replace("/metrics", "/params.json"),
        );
        assert!(
            params.is_some_and(|p| !p.contains("\"trial\"")),
            "{k} is not an old confirmation run"
        );
    }
    for k in &extra {
        got.remove(k);
    }
    same(&got, &want, "halved, then exhaustive, against exhaustive");
}
