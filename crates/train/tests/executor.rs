//! The executor end to end on tiny runs: determinism across job counts, divergence, failure
//! isolation, and resuming.
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use rnnlab_spec::{AddingConfig, Run, Sweep, TaskConfig};
use rnnlab_train::{execute, ExecuteOptions, Rerun, Shard, Status, Store};
use tch::Device;

const SWEEP: &str = r#"
name: tiny
base:
  task: { kind: adding, length: 12 }
  model: { cell: lstm, hidden: 8 }
  train: { lr: 1.0e-2, batch: 16, steps: 40, eval_every: 20, eval_size: 32 }
grid:
  model.cell: [rnn_tanh, lstm, gru]
seeds: [1, 2]
"#;

fn runs(text: &str) -> Vec<Run> {
    let sweep = Sweep::parse(text, Path::new("tiny.yaml")).unwrap();
    sweep.expand(Path::new("tiny.yaml")).unwrap()
}

fn options(jobs: usize) -> ExecuteOptions {
    ExecuteOptions {
        jobs,
        device: Device::Cpu,
        rerun: Rerun::None,
        shard: Shard::ALL,
        stop: Arc::new(AtomicBool::new(false)),
    }
}

/// metrics.csv without the wall-clock column.
fn metrics(store: &Store, id: &str) -> String {
    let text = std::fs::read_to_string(store.run_dir(id).join("metrics.csv")).unwrap();
    text.lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn one_job_and_two_jobs_give_bit_identical_metrics() {
    tch::set_num_threads(1);
    let runs = runs(SWEEP);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let serial = Store::open(a.path(), SWEEP).unwrap();
    let parallel = Store::open(b.path(), SWEEP).unwrap();
    execute(&serial, &runs, &options(1), &()).unwrap();
    execute(&parallel, &runs, &options(2), &()).unwrap();
    for run in &runs {
        let m = metrics(&serial, &run.id);
        assert!(m.lines().count() >= 5, "{m}");
        assert_eq!(
            m,
            metrics(&parallel, &run.id),
            "run {} differs",
            run.label()
        );
    }
}

#[test]
fn a_diverging_run_is_recorded_and_the_others_complete() {
    tch::set_num_threads(1);
    // Plain SGD far above any stable step size, no clipping: the loss grows geometrically.
    let text = SWEEP
        .replace("lr: 1.0e-2", "optimizer: sgd, lr: 1.0e+4")
        .replace("[rnn_tanh, lstm, gru]", "[rnn_tanh]");
    let mut all = runs(&text);
    all.extend(runs(SWEEP).into_iter().take(1));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), SWEEP).unwrap();
    let records = execute(&store, &all, &options(2), &()).unwrap();
    let statuses: Vec<Status> = records
        .iter()
        .map(|r| r.summary.as_ref().unwrap().status)
        .collect();
    assert_eq!(
        statuses[..2],
        [Status::Diverged, Status::Diverged],
        "{statuses:?}"
    );
    assert_eq!(statuses[2], Status::Completed);
    let s = store.summary(&all[0].id).unwrap();
    assert!(s.steps < 40, "diverged at step {}", s.steps);
    assert!(s.divergence.is_some(), "the reason is recorded: {s:?}");
}

#[test]
fn a_run_whose_loss_blows_up_but_stays_finite_is_diverged_by_the_loss_rule() {
    use rnnlab_results::DivergenceRule;
    tch::set_num_threads(1);
    // Clipped SGD with a huge rate: every step is bounded, so nothing becomes NaN, but the
    // output weights take steps of 50 and the MSE ends far above adding's 1/6 baseline.
    let text = r#"
name: blowup
base:
  task: { kind: adding, length: 12 }
  model: { cell: rnn_tanh, hidden: 8 }
  train: { optimizer: sgd, lr: 50.0, clip: { kind: norm, max: 1.0 }, batch: 16, steps: 40, eval_every: 5, eval_size: 32 }
variants:
  blowup: {}
  rule_off: { stop: { diverged: { loss_above_baseline: null } } }
  healthy: { train: { optimizer: adam, lr: 1.0e-2, clip: { kind: none } } }
seeds: [1]
"#;
    let all = runs(text);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), text).unwrap();
    let records = execute(&store, &all, &options(2), &()).unwrap();
    let summaries: Vec<_> = records.iter().map(|r| r.summary.clone().unwrap()).collect();
    let blowup = &summaries[0];
    assert_eq!(blowup.status, Status::Diverged, "{blowup:?}");
    let why = blowup.divergence.as_ref().expect("a reason");
    assert_eq!(why.rule, DivergenceRule::Loss, "{why:?}");
    assert!(
        why.reason.starts_with("valid loss above 10 x the no-learning loss 0.1667 (= 1.667) at 2 consecutive evaluations: "),
        "{}",
        why.reason
    );
    assert!(blowup.steps < 40, "stopped at step {}", blowup.steps);
    assert!(
        blowup.final_.is_empty(),
        "no test evaluation after diverging"
    );
    // The same run with the loss rule off runs to the end: its loss stays finite.
    let off = &summaries[1];
    assert_eq!(off.status, Status::Completed, "{off:?}");
    assert!(off.final_value("loss").unwrap() > 10.0 / 6.0, "{off:?}");
    let healthy = &summaries[2];
    assert_eq!(healthy.status, Status::Completed, "{healthy:?}");
    assert_eq!(healthy.divergence, None);
}

#[test]
fn a_failing_run_is_isolated_and_finished_runs_are_not_run_again() {
    tch::set_num_threads(1);
    // Length 1 cannot hold one marker in each half: the generator panics on it (validation
    // rejects it in a sweep file, so the run is built in code).
    let good = runs(SWEEP).remove(0);
    let mut config = good.config.clone();
    config.task = TaskConfig::Adding(AddingConfig { length: 1 });
    let bad = Run::new(config, vec![("task.length".into(), "1".into())]);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), SWEEP).unwrap();
    let records = execute(&store, &[bad.clone(), good.clone()], &options(2), &()).unwrap();
    let failed = records[0].summary.as_ref().unwrap();
    assert_eq!(failed.status, Status::Failed);
    assert!(
        failed.error.as_deref().unwrap().contains("length"),
        "{failed:?}"
    );
    assert_eq!(
        records[1].summary.as_ref().unwrap().status,
        Status::Completed
    );

    let again = execute(&store, &[bad.clone(), good.clone()], &options(1), &()).unwrap();
    assert!(again.iter().all(|r| r.reused), "finished runs are kept");
    let mut rerun = options(1);
    rerun.rerun = Rerun::Failed;
    let again = execute(&store, &[bad, good], &rerun, &()).unwrap();
    assert!(!again[0].reused && again[1].reused);
}

/// A process killed while writing leaves temporaries (`.tmp-PID-N-NAME`, the weights' among
/// them) in the run's folder; the next start of that run removes them, and leaves the run's
/// other files to be overwritten.
#[test]
fn starting_a_run_removes_temporary_files_a_killed_process_left() {
    let run = runs(SWEEP).remove(0);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), SWEEP).unwrap();
    let run_dir = store.run_dir(&run.id);
    std::fs::create_dir_all(&run_dir).unwrap();
    let stale = rnnlab_results::temporary_path(&run_dir.join("summary.json"));
    std::fs::write(&stale, "{\"id\":").unwrap();
    let weights = rnnlab_results::temporary_path(&run_dir.join("model.safetensors"));
    std::fs::write(&weights, "half the weights").unwrap();
    std::fs::write(run_dir.join("metrics.csv"), "step\n").unwrap();
    store.begin(&run).unwrap();
    assert!(!stale.exists() && !weights.exists());
    assert!(run_dir.join("metrics.csv").exists());
    assert!(run_dir.join("config.yaml").exists());
}
