//! `rnnlab validate`, `rnnlab run --dry-run`, and the progress log when stderr is not a
//! terminal (a pipe here, a log file on a cluster). The `run` tests need the `torch` feature;
//! without it, run, eval and bench must refuse and say how to get a build that has them.
#![cfg(unix)]

mod common;

#[cfg(feature = "torch")]
use std::collections::BTreeSet;

use common::*;

// Ten steps of an untrained tanh RNN can sit above 10x the no-learning loss without blowing
// up (its loss still falls): the loss rule of divergence is off for this toy.
const GOOD: &str = r#"
name: good
base:
  task: { kind: adding, length: 8 }
  model: { hidden: 8 }
  train: { batch: 8, steps: 10, eval_every: 5, eval_size: 16 }
  stop: { diverged: { loss_above_baseline: null } }
grid:
  model.cell: [rnn_tanh, gru]
seeds: [1, 2]
"#;

/// Two errors in one file: both must be reported.
const BAD: &str = r#"
name: bad
base:
  task: { kind: adding, length: 8 }
  model: { hiden: 8 }
  train: { lr: -0.1 }
"#;

#[test]
fn validate_exits_2_on_any_error_and_reports_each_with_its_position() {
    let sandbox = Sandbox::new();
    sandbox.sweep("good.yaml", GOOD);
    sandbox.sweep("bad.yaml", BAD);

    let out = finish(sandbox.rnnlab(&["validate", "good.yaml"]).spawn().unwrap());
    assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("good.yaml: ok, 4 runs"));

    let out = finish(
        sandbox
            .rnnlab(&["validate", "good.yaml", "bad.yaml"])
            .spawn()
            .unwrap(),
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("good.yaml: ok, 4 runs"), "{stdout}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(
        errors[0].contains("bad.yaml") && errors[0].contains("hiden"),
        "{stderr}"
    );
    assert!(errors[0].contains("line 5"), "{stderr}");
    assert!(
        errors[1].contains("train.lr") && errors[1].contains("line 6"),
        "{stderr}"
    );

    // `run` checks the same way, before creating anything.
    #[cfg(feature = "torch")]
    for args in [
        &["run", "bad.yaml"][..],
        &["run", "--dry-run", "bad.yaml"][..],
    ] {
        let out = finish(sandbox.rnnlab(args).spawn().unwrap());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    assert!(!sandbox.path().join("results").exists());
}

#[test]
#[cfg(feature = "torch")]
fn dry_run_prints_each_run_id_with_its_parameters_and_the_count_and_runs_nothing() {
    let sandbox = Sandbox::new();
    sandbox.sweep("good.yaml", GOOD);
    let out = finish(
        sandbox
            .rnnlab(&["run", "--dry-run", "good.yaml"])
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    let labels = [
        "model.cell=rnn_tanh seed=1",
        "model.cell=rnn_tanh seed=2",
        "model.cell=gru seed=1",
        "model.cell=gru seed=2",
    ];
    let mut ids = BTreeSet::new();
    for (line, label) in lines.iter().zip(labels) {
        let (id, rest) = line.split_once("  ").unwrap();
        assert!(is_run_id(id), "{line}");
        // The parameters, then the run's estimate (checked in tests/estimate.rs).
        assert!(rest.starts_with(&format!("{label}  ")), "{line}");
        ids.insert(id);
    }
    assert_eq!(ids.len(), 4, "ids are distinct");
    assert_eq!(lines[4], "4 runs");
    assert!(!sandbox.path().join("results").exists());
}

#[test]
#[cfg(feature = "torch")]
fn with_stderr_piped_progress_is_plain_log_lines_and_the_folders_match_the_dry_run() {
    let sandbox = Sandbox::new();
    let sweep = sandbox.sweep("good.yaml", GOOD);
    let ids = sandbox.dry_run_ids(&sweep);
    let out = finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap());
    assert_success(&out);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !log.contains('\x1b') && !log.contains('\r'),
        "no terminal control codes in a log:\n{log:?}"
    );
    assert!(
        log.lines()
            .any(|l| l.starts_with("good: 4 runs (4 in this shard), 2 at a time")),
        "{log}"
    );
    let mut counted = Vec::new();
    for id in &ids {
        let mine: Vec<&str> = log.lines().filter(|l| l.contains(id.as_str())).collect();
        assert!(mine.iter().any(|l| l.starts_with("start ")), "{id}:\n{log}");
        assert!(
            mine.iter()
                .any(|l| l.starts_with("step ") && l.contains("10/10") && l.contains("mse")),
            "the last evaluation of {id} is logged:\n{log}"
        );
        let done = mine
            .iter()
            .find(|l| l.starts_with('['))
            .unwrap_or_else(|| panic!("{id} finished:\n{log}"));
        let k = done[1..done.find('/').unwrap()].parse::<usize>().unwrap();
        assert!(done.contains("/4] completed"), "{done}");
        counted.push(k);
    }
    counted.sort();
    assert_eq!(counted, [1, 2, 3, 4]);

    let folders: BTreeSet<String> = run_folders(&sandbox.results("good")).into_keys().collect();
    assert_eq!(folders, set(&ids));
    // The status table goes to stdout, one line per run.
    let stdout = String::from_utf8_lossy(&out.stdout);
    for id in &ids {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("completed") && l.contains(id.as_str())),
            "{stdout}"
        );
    }
}

#[test]
#[cfg(not(feature = "torch"))]
fn without_torch_run_eval_and_bench_refuse_and_name_the_feature() {
    let sandbox = Sandbox::new();
    sandbox.sweep("good.yaml", GOOD);
    for args in [
        &["run", "good.yaml", "--device", "cpu"][..],
        &["run", "--dry-run", "good.yaml"][..],
        &["eval", "results/good/runs/x", "--data", "test.tsv"][..],
        &["bench", "--ablations"][..],
    ] {
        let out = finish(sandbox.rnnlab(args).spawn().unwrap());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("`rnnlab {}` needs libtorch", args[0]))
                && stderr.contains("built without the `torch` feature")
                && stderr.contains("rebuild with default features"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!sandbox.path().join("results").exists());

    let out = finish(sandbox.rnnlab(&["--version"]).spawn().unwrap());
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("without the `torch` feature"), "{stdout}");
}
