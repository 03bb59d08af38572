//! Resource estimates and the bounds of `rnnlab validate` and `rnnlab run`: a run too big for
//! this machine's memory is refused where its width was written, `--max-runs` refuses a sweep
//! by its count, and the estimates (parameters, step memory, FLOPs, and with libtorch a time
//! from a cached calibration) are printed per grid point and per run.
#![cfg(unix)]

mod common;

use common::*;

const SMALL: &str = r#"
name: small
base:
  task: { kind: adding, length: 8 }
  model: { hidden: 8 }
  train: { batch: 8, steps: 10, eval_every: 5, eval_size: 16 }
grid:
  model.cell: [lstm, gru]
seeds: [1, 2]
"#;

fn output(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_model_too_big_for_this_machine_is_refused_where_its_width_was_written() {
    let sandbox = Sandbox::new();
    let text = SMALL.replace("model: { hidden: 8 }", "model: { hidden: 100000000 }");
    sandbox.sweep("huge.yaml", &text);
    let mut commands = vec![vec!["validate", "huge.yaml"]];
    if cfg!(feature = "torch") {
        commands.push(vec!["run", "huge.yaml", "--dry-run"]);
        commands.push(vec!["run", "huge.yaml"]);
    }
    for args in commands {
        let out = finish(sandbox.rnnlab(&args).spawn().unwrap());
        let (stdout, stderr) = output(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{stdout}\n{stderr}");
        // One message per place, not per run: the four runs share the base's width.
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{stderr}");
        // LSTM: 4·H² + ... = 4.0e16 parameters, 160 PB each of weights and gradients, twice
        // that of Adam state.
        for fragment in [
            "error: huge.yaml: base.model.hidden (line 5 column 20): run ",
            "(model.cell=lstm seed=1): a training step needs 640 PB (weights 160 PB, gradients \
             160 PB, optimizer state 320 PB",
            "40.0 P parameters), more than this machine's",
        ] {
            assert!(
                stderr.contains(fragment),
                "{args:?}: no `{fragment}` in\n{stderr}"
            );
        }
    }
    assert!(!sandbox.path().join("results").exists());
}

#[test]
fn max_runs_refuses_a_sweep_by_its_count() {
    let sandbox = Sandbox::new();
    sandbox.sweep("small.yaml", SMALL);
    let mut commands = vec![vec!["validate", "--max-runs", "3", "small.yaml"]];
    if cfg!(feature = "torch") {
        commands.push(vec!["run", "small.yaml", "--dry-run", "--max-runs", "3"]);
    }
    for args in commands {
        let out = finish(sandbox.rnnlab(&args).spawn().unwrap());
        let (_, stderr) = output(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{stderr}");
        assert!(
            stderr.contains(
                "small.yaml: grid (line 7 column 1): the sweep has 4 runs (2 levels of \
                 model.cell × 2 seeds), more than the 3 allowed"
            ),
            "{stderr}"
        );
    }
    let out = finish(
        sandbox
            .rnnlab(&["validate", "--max-runs", "4", "small.yaml"])
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
}

#[test]
fn validate_prints_each_grid_points_estimate_and_the_sweeps_totals() {
    let sandbox = Sandbox::new();
    sandbox.sweep("small.yaml", SMALL);
    let out = finish(
        sandbox
            .rnnlab(&["validate", "small.yaml"])
            .env("RNNLAB_CACHE", sandbox.path())
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let (stdout, _) = output(&out);
    // nn.LSTM(2, 8): 4·8·2 + 4·8·8 + 2·4·8 = 384, head 9; nn.GRU(2, 8): 3/4 of the cell's.
    assert!(
        stdout.contains("  model.cell=lstm (2 runs): 393 parameters, "),
        "{stdout}"
    );
    assert!(
        stdout.contains("  model.cell=gru (2 runs): 297 parameters, "),
        "{stdout}"
    );
    assert!(stdout.contains("  sweep: 4 runs, "), "{stdout}");
    if cfg!(feature = "torch") {
        assert!(stdout.contains("a run\n"), "a time per point:\n{stdout}");
        assert!(stdout.contains("measured on this machine"), "{stdout}");
    } else {
        assert!(stdout.contains("no time estimate"), "{stdout}");
    }
}

#[test]
#[cfg(feature = "torch")]
fn the_calibration_is_cached_per_build_and_machine_and_read_back() {
    let sandbox = Sandbox::new();
    sandbox.sweep("small.yaml", SMALL);
    let validate = || {
        let out = finish(
            sandbox
                .rnnlab(&["validate", "small.yaml"])
                .env("RNNLAB_CACHE", sandbox.path())
                .spawn()
                .unwrap(),
        );
        assert_success(&out);
        output(&out).0
    };
    validate();
    let cached: Vec<_> = std::fs::read_dir(sandbox.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("calibration-"))
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    // A known rate in the cache must be what the next validate uses: 1 ns per FLOP is
    // 1.00 GFLOP/s, 4 ns 0.25.
    let text = std::fs::read_to_string(&cached[0]).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["seconds_per_flop"] = serde_json::json!({ "fused": 1e-9, "unrolled": 4e-9 });
    std::fs::write(&cached[0], json.to_string()).unwrap();
    let stdout = validate();
    assert!(
        stdout.contains("(1.00 GFLOP/s a job on fused cells, 0.25 on unrolled ones"),
        "{stdout}"
    );
}

#[test]
#[cfg(feature = "torch")]
fn dry_run_gives_every_run_its_estimate_and_the_totals_on_stderr() {
    let sandbox = Sandbox::new();
    sandbox.sweep("small.yaml", SMALL);
    let out = finish(
        sandbox
            .rnnlab(&["run", "small.yaml", "--dry-run", "--jobs", "2"])
            .env("RNNLAB_CACHE", sandbox.path())
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let (stdout, stderr) = output(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(
        lines[0].contains("  model.cell=lstm seed=1  393 parameters, "),
        "{stdout}"
    );
    assert!(
        lines[3].contains("  model.cell=gru seed=2  297 parameters, "),
        "{stdout}"
    );
    assert!(
        lines.iter().take(4).all(|l| l.contains(" a run")),
        "{stdout}"
    );
    assert_eq!(lines[4], "4 runs", "the count stays last, for scripts");
    assert!(
        stderr.contains("sweep: 4 runs, ") && stderr.contains("with 2 jobs"),
        "{stderr}"
    );
}
