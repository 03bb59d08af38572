//! Whole sweeps through the binary: concurrent shards, divergence, job counts and the exit
//! status.
#![cfg(all(unix, feature = "torch"))]

mod common;

use std::collections::BTreeSet;

use common::*;

/// Six short runs.
const SIX_RUNS: &str = r#"
name: six
base:
  task: { kind: adding, length: 8 }
  model: { hidden: 8 }
  train: { lr: 1.0e-2, batch: 8, steps: 20, eval_every: 5, eval_size: 16 }
grid:
  model.cell: [rnn_tanh, lstm, gru]
seeds: [1, 2]
"#;

#[test]
fn two_shards_started_together_produce_the_whole_sweep_without_overlap() {
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("six.yaml", SIX_RUNS);
    let results = sandbox.results("six");
    let ids = sandbox.dry_run_ids(&sweep);

    let first = sandbox
        .run_cmd(&sweep, 1, &["--shard", "1/2"])
        .spawn()
        .unwrap();
    let second = sandbox
        .run_cmd(&sweep, 1, &["--shard", "2/2"])
        .spawn()
        .unwrap();
    let (first, second) = (finish(first), finish(second));
    assert_success(&first);
    assert_success(&second);

    // Shard K takes the runs at positions K-1, K-1+N, ...; each starts each of its own once.
    let expect = |k: usize| -> Vec<String> { ids.iter().skip(k).step_by(2).cloned().collect() };
    let (a, b) = (started(&first.stderr), started(&second.stderr));
    assert_eq!(a, expect(0), "shard 1/2 started");
    assert_eq!(b, expect(1), "shard 2/2 started");
    assert!(set(&a).is_disjoint(&set(&b)));

    let all = summaries(&results);
    assert_eq!(all.keys().cloned().collect::<BTreeSet<_>>(), set(&ids));
    assert!(all.values().all(|s| s.status() == "completed"), "{all:?}");
    assert_eq!(temp_files(&results), Vec::<std::path::PathBuf>::new());
    let sweep_copy = std::fs::read_to_string(results.join("sweep.yaml")).unwrap();
    assert_eq!(
        sweep_copy, SIX_RUNS,
        "both shards wrote the same sweep.yaml"
    );
}

#[test]
fn one_job_and_two_jobs_give_identical_metrics() {
    let (serial, parallel) = (Sandbox::new(), Sandbox::new());
    let sweeps = [
        serial.sweep("six.yaml", SIX_RUNS),
        parallel.sweep("six.yaml", SIX_RUNS),
    ];
    let ids = serial.dry_run_ids(&sweeps[0]);
    assert_success(&finish(serial.run_cmd(&sweeps[0], 1, &[]).spawn().unwrap()));
    assert_success(&finish(
        parallel.run_cmd(&sweeps[1], 2, &[]).spawn().unwrap(),
    ));
    let (a, b) = (serial.results("six"), parallel.results("six"));
    let (sa, sb) = (summaries(&a), summaries(&b));
    for id in &ids {
        let m = metrics_without_time(&a, id);
        assert!(m.lines().count() >= 10, "{m}");
        assert_eq!(m, metrics_without_time(&b, id), "metrics.csv of {id}");
        for field in [
            "status",
            "steps",
            "final",
            "best",
            "params",
            "steps_to_solve",
        ] {
            assert_eq!(sa[id].json[field], sb[id].json[field], "{field} of {id}");
        }
    }
}

#[test]
fn a_run_forced_to_diverge_is_recorded_as_diverged_while_the_others_complete() {
    // Plain SGD with a step size of 10^4 and no clipping: the loss overflows within a few
    // steps. The same config at 10^-2 trains normally.
    let text = r#"
name: diverge
base:
  task: { kind: adding, length: 8 }
  model: { cell: rnn_tanh, hidden: 8 }
  train: { optimizer: sgd, batch: 8, steps: 40, eval_every: 10, eval_size: 16,
           clip: { kind: none } }
grid:
  train.lr: [1.0e-2, 1.0e+4]
seeds: [1, 2]
"#;
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("diverge.yaml", text);
    let ids = sandbox.dry_run_ids(&sweep);
    let out = finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap());
    assert_success(&out);
    let all = summaries(&sandbox.results("diverge"));
    for (i, id) in ids.iter().enumerate() {
        let s = &all[id];
        if i < 2 {
            assert_eq!(s.status(), "completed", "{}", s.text);
            assert_eq!(s.json["steps"], 40);
        } else {
            assert_eq!(s.status(), "diverged", "{}", s.text);
            assert!(s.json["steps"].as_u64().unwrap() < 40, "{}", s.text);
            assert!(s.json["error"].is_null());
        }
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let diverged = stdout.lines().filter(|l| l.starts_with("diverged")).count();
    assert_eq!(diverged, 2, "{stdout}");
}

#[test]
fn the_exit_status_is_1_after_the_table_when_a_run_failed() {
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("six.yaml", SIX_RUNS);
    let results = sandbox.results("six");
    let ids = sandbox.dry_run_ids(&sweep);
    // A folder where the run's config.yaml must go makes that run fail on its first write,
    // whatever the platform; the other runs are unaffected.
    let blocked = results.join("runs").join(&ids[1]).join("config.yaml");
    std::fs::create_dir_all(&blocked).unwrap();

    let out = finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let table: Vec<&str> = stdout
        .lines()
        .filter(|l| ids.iter().any(|id| l.contains(id.as_str())))
        .collect();
    assert_eq!(table.len(), ids.len(), "one table line per run:\n{stdout}");
    for (line, id) in table.iter().zip(&ids) {
        let status = if id == &ids[1] {
            "failed "
        } else {
            "completed "
        };
        assert!(
            line.starts_with(status) && line.contains(id.as_str()),
            "{stdout}"
        );
    }
    assert!(
        table[1].contains("config.yaml"),
        "the error is shown: {}",
        table[1]
    );
    let failed = &summaries(&results)[&ids[1]];
    assert_eq!(failed.status(), "failed");
    assert!(failed.json["error"]
        .as_str()
        .unwrap()
        .contains("config.yaml"));

    // A failed run is final: running again trains nothing and still reports the failure.
    let again = finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap());
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(started(&again.stderr), Vec::<String>::new());

    // With the cause removed, --rerun failed trains that run alone and the sweep succeeds.
    std::fs::remove_dir(&blocked).unwrap();
    let fixed = finish(
        sandbox
            .run_cmd(&sweep, 2, &["--rerun", "failed"])
            .spawn()
            .unwrap(),
    );
    assert_success(&fixed);
    assert_eq!(started(&fixed.stderr), vec![ids[1].clone()]);
    assert_eq!(summaries(&results)[&ids[1]].status(), "completed");
}
