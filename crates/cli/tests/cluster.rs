//! A scheduler's environment picks the shard through the CLI: SLURM job arrays
//! (scripts/cluster/slurm-array.sbatch) and Kubernetes Indexed Jobs
//! (scripts/cluster/k8s-indexed-job.yaml), as docs/cluster.md describes.
#![cfg(all(unix, feature = "torch"))]

mod common;

use std::collections::BTreeSet;

use common::*;

/// Five runs of ten steps: positions 0 to 4.
const FIVE_RUNS: &str = r#"
name: five
base:
  task: { kind: adding, length: 8 }
  model: { cell: rnn_tanh, hidden: 8 }
  train: { batch: 8, steps: 10, eval_every: 5, eval_size: 16 }
seeds: [1, 2, 3, 4, 5]
"#;

fn ids_with_summary(sandbox: &Sandbox) -> BTreeSet<String> {
    summaries(&sandbox.results("five")).into_keys().collect()
}

fn pick(ids: &[String], positions: &[usize]) -> BTreeSet<String> {
    positions.iter().map(|&i| ids[i].clone()).collect()
}

#[test]
fn slurm_and_kubernetes_variables_pick_the_shard() {
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("five.yaml", FIVE_RUNS);
    let ids = sandbox.dry_run_ids(&sweep);

    // `sbatch --array=3-5`: task 4 is the second of three, so it owns positions 1 and 4.
    let out = finish(
        sandbox
            .run_cmd(&sweep, 1, &[])
            .env("SLURM_ARRAY_TASK_ID", "4")
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_ARRAY_TASK_MIN", "3")
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("5 runs (2 in this shard)"), "{log}");
    assert_eq!(ids_with_summary(&sandbox), pick(&ids, &[1, 4]));

    // An Indexed Job with completions 3: index 2 owns position 2, index 0 positions 0 and 3;
    // with the SLURM shard before, the folder then holds the whole sweep.
    for (index, added) in [("2", vec![2]), ("0", vec![0, 3])] {
        let out = finish(
            sandbox
                .run_cmd(&sweep, 1, &["--shards", "3"])
                .env("JOB_COMPLETION_INDEX", index)
                .spawn()
                .unwrap(),
        );
        assert_success(&out);
        let expect: Vec<String> = added.iter().map(|&i| ids[i].clone()).collect();
        assert_eq!(started(&out.stderr), expect, "JOB_COMPLETION_INDEX={index}");
    }
    assert_eq!(ids_with_summary(&sandbox), pick(&ids, &[0, 1, 2, 3, 4]));
}

#[test]
fn a_shard_environment_that_does_not_add_up_is_refused_before_any_run() {
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("five.yaml", FIVE_RUNS);
    let cases: [(&[(&str, &str)], &str); 2] = [
        (&[("JOB_COMPLETION_INDEX", "1")], "--shards"),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "7"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
                ("SLURM_ARRAY_TASK_MIN", "3"),
            ],
            "not one of the 3 tasks",
        ),
    ];
    for (vars, message) in cases {
        let mut cmd = sandbox.run_cmd(&sweep, 1, &[]);
        cmd.envs(vars.iter().copied());
        let out = finish(cmd.spawn().unwrap());
        let log = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{vars:?}: {log}");
        assert!(log.contains(message), "{vars:?}: {log}");
        assert!(ids_with_summary(&sandbox).is_empty());
    }
}
