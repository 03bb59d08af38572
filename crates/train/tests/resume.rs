//! Checkpoints and resume: a run stopped and continued, however often and wherever, ends with
//! the same metrics.csv (wall-clock column aside), summary.json (timings aside) and weights as
//! a run that went straight through.
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rnnlab_spec::{Run, Sweep};
use rnnlab_train::{train_run, Observer, RunContext, Status, Store};
use tch::Device;

/// Every kind of state a resumed run must carry: dropout (the model's generator), Adam's
/// moments, clipping and its rate, the gradient-flow probe's rows, a cosine schedule, and
/// checkpoints off the evaluation steps (a training window half-summed).
const SWEEP: &str = r#"
name: resume
base:
  task: { kind: copy, length: 6, symbols: 4 }
  model: { cell: lstm, hidden: 12, layers: 2, dropout: 0.2 }
  train: { lr: 1.0e-2, batch: 8, steps: 60, eval_every: 10, eval_size: 16, schedule: cosine,
           clip: { kind: norm, max: 0.5 }, probe_every: 25, save: true, checkpoint_every: 7 }
seeds: [3]
"#;

fn run(text: &str) -> Run {
    let sweep = Sweep::parse(text, Path::new("resume.yaml")).unwrap();
    sweep.expand(Path::new("resume.yaml")).unwrap().remove(0)
}

/// Stops the run at the evaluation after `at` updates, first copying the run folder as a
/// process killed there would leave it (its latest checkpoint is the one before).
struct Cut<'a> {
    at: usize,
    stop: &'a AtomicBool,
    snapshot: Option<(&'a Path, &'a Path)>,
}

impl Observer for Cut<'_> {
    fn evaluated(
        &self,
        _: &Run,
        step: usize,
        _: usize,
        _: &std::collections::BTreeMap<String, f64>,
    ) {
        if step == self.at {
            if let Some((from, to)) = self.snapshot {
                copy_dir(from, to);
            }
            self.stop.store(true, Ordering::Relaxed);
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn train(store: &Store, run: &Run, observer: &dyn Observer, stop: &AtomicBool) -> Status {
    let ctx = RunContext {
        device: Device::Cpu,
        store,
        stop,
        observer,
        resume: true,
        until: None,
    };
    train_run(run, &ctx).unwrap().status
}

/// The run's files as bytes, minus what measures time.
fn outcome(store: &Store, id: &str) -> (String, serde_json::Value, Vec<u8>) {
    let dir = store.run_dir(id);
    let metrics = std::fs::read_to_string(dir.join("metrics.csv")).unwrap();
    let metrics = metrics
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0)
        .collect::<Vec<_>>()
        .join("\n");
    let mut summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    for timing in ["wall_s", "steps_per_s", "resumed_from"] {
        summary.as_object_mut().unwrap().remove(timing);
    }
    let weights = std::fs::read(dir.join("model.safetensors")).unwrap();
    (metrics, summary, weights)
}

fn resumed_from(store: &Store, id: &str) -> Vec<u64> {
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.run_dir(id).join("summary.json")).unwrap())
            .unwrap();
    s["resumed_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

#[test]
fn interrupted_and_killed_runs_resume_to_the_same_bytes() {
    resumes_to_the_same_bytes(SWEEP);
}

/// A language model's run carries its hidden state from window to window: the checkpoint
/// must too (a checkpoint at step 35 is in the middle of an epoch of the text).
#[test]
fn a_text_run_resumes_with_its_carried_state() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.txt");
    let line = "a stitch in time saves nine, and a penny saved is a penny earned.\n";
    std::fs::write(&corpus, line.repeat(40)).unwrap();
    let sweep = format!(
        r#"
name: resume-text
base:
  task: {{ kind: text, level: char, corpus: {{ train: "{}" }}, bptt: 12 }}
  model: {{ cell: gru, hidden: 16, layers: 2, skip: residual, dropout: 0.1 }}
  train: {{ lr: 1.0e-2, batch: 4, steps: 60, eval_every: 10, save: true, checkpoint_every: 7 }}
seeds: [5]
"#,
        corpus.display()
    );
    let run = run(&sweep);
    let task = rnnlab_tasks::try_build(&run.config.task, 5).unwrap();
    let windows = task.stream_batches(rnnlab_tasks::Split::Train, 4).unwrap();
    // The checkpoint of step 35 is mid-epoch, and the resumed steps cross an epoch's end,
    // where the carried state starts again from zeros.
    assert!(
        35 % windows != 0,
        "35 falls inside an epoch ({windows} windows)"
    );
    assert!(
        (36..60).any(|s| s % windows == 0),
        "{windows} windows: no epoch ends in 36..60"
    );
    resumes_to_the_same_bytes(&sweep);
}

fn resumes_to_the_same_bytes(sweep: &str) {
    tch::set_num_threads(1);
    let run = run(sweep);
    let never = AtomicBool::new(false);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let straight = Store::open(a.path(), sweep).unwrap();
    assert_eq!(train(&straight, &run, &(), &never), Status::Completed);
    let want = outcome(&straight, &run.id);
    assert!(want.0.lines().count() > 10, "{}", want.0);
    assert_eq!(resumed_from(&straight, &run.id), Vec::<u64>::new());
    let files: Vec<String> = std::fs::read_dir(straight.run_dir(&run.id))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !files.iter().any(|f| f.starts_with("checkpoint")),
        "a finished run keeps no checkpoint: {files:?}"
    );

    // Interrupted at step 20 (Ctrl-C, SIGTERM): it checkpoints there and says so.
    let cut = Store::open(b.path(), sweep).unwrap();
    let stop = AtomicBool::new(false);
    let at_20 = Cut {
        at: 20,
        stop: &stop,
        snapshot: None,
    };
    assert_eq!(train(&cut, &run, &at_20, &stop), Status::Interrupted);
    assert!(cut.run_dir(&run.id).join("checkpoint.json").exists());

    // Resumed, then killed at step 40: the folder as the kill left it holds the checkpoint of
    // step 35 (every 7 steps) and a metrics.csv already written up to step 40.
    let killed = tempfile::tempdir().unwrap();
    stop.store(false, Ordering::Relaxed);
    let at_40 = Cut {
        at: 40,
        stop: &stop,
        snapshot: Some((
            &cut.run_dir(&run.id),
            &killed.path().join("runs").join(&run.id),
        )),
    };
    assert_eq!(train(&cut, &run, &at_40, &stop), Status::Interrupted);
    let after_kill = Store::open(killed.path(), sweep).unwrap();
    stop.store(false, Ordering::Relaxed);
    assert_eq!(train(&after_kill, &run, &(), &stop), Status::Completed);
    assert_eq!(resumed_from(&after_kill, &run.id), [20, 35]);
    let got = outcome(&after_kill, &run.id);
    assert_eq!(got.0, want.0, "metrics.csv");
    assert_eq!(got.1, want.1, "summary.json");
    assert!(got.2 == want.2, "the saved weights differ");
}

#[test]
fn a_run_without_resume_starts_again_and_forgets_its_checkpoint() {
    tch::set_num_threads(1);
    let run = run(SWEEP);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), SWEEP).unwrap();
    let checkpoint = store.run_dir(&run.id).join("checkpoint.json");
    let stop = AtomicBool::new(false);
    let at_30 = Cut {
        at: 30,
        stop: &stop,
        snapshot: None,
    };
    assert_eq!(train(&store, &run, &at_30, &stop), Status::Interrupted);
    assert!(checkpoint.exists());
    // `--rerun all`, stopped before its first step: the old checkpoint is gone, so the next
    // plain run cannot bring back the state it was asked to discard.
    let fresh = |stop: &AtomicBool| {
        let ctx = RunContext {
            device: Device::Cpu,
            store: &store,
            stop,
            observer: &(),
            resume: false,
            until: None,
        };
        train_run(&run, &ctx).unwrap()
    };
    assert_eq!(fresh(&AtomicBool::new(true)).status, Status::Interrupted);
    assert!(!checkpoint.exists());
    let summary = fresh(&AtomicBool::new(false));
    assert_eq!(
        (summary.status, summary.resumed_from),
        (Status::Completed, vec![])
    );
}

/// A run killed between writing its summary and removing its checkpoint is finished: the next
/// sweep keeps it and removes the checkpoint.
#[test]
fn a_finished_runs_leftover_checkpoint_is_removed() {
    use rnnlab_train::{execute, ExecuteOptions, Rerun, Shard};
    tch::set_num_threads(1);
    let run = run(SWEEP);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), SWEEP).unwrap();
    let options = ExecuteOptions {
        jobs: 1,
        device: Device::Cpu,
        rerun: Rerun::None,
        shard: Shard::ALL,
        stop: std::sync::Arc::new(AtomicBool::new(false)),
    };
    let runs = [run.clone()];
    execute(&store, &runs, &options, &()).unwrap();
    let leftover = store.run_dir(&run.id).join("checkpoint-7.safetensors");
    std::fs::write(&leftover, b"stale").unwrap();
    std::fs::write(store.run_dir(&run.id).join("checkpoint.json"), b"{}").unwrap();
    let records = execute(&store, &runs, &options, &()).unwrap();
    assert!(records[0].reused);
    assert!(!leftover.exists() && !store.run_dir(&run.id).join("checkpoint.json").exists());
}
