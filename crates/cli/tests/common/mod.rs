//! Helpers for driving the built `rnnlab` binary in a temporary folder.
//!
//! Every test gets its own [`Sandbox`]; commands run with the folder as working directory and
//! without the cluster variables that pick a shard, so that a test suite run inside a SLURM job
//! or a Kubernetes pod still sees the whole sweep.
#![allow(dead_code)] // each test binary uses a different subset

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Variables through which a scheduler assigns a shard (see crates/train/src/shard.rs).
pub const SHARD_VARS: [&str; 5] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_STEP",
    "JOB_COMPLETION_INDEX",
];

/// Long enough for a busy two-core machine; a test that needs it has hung.
pub const PATIENCE: Duration = Duration::from_secs(120);

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a sweep file and returns its path.
    pub fn sweep(&self, file: &str, text: &str) -> PathBuf {
        let path = self.path().join(file);
        std::fs::write(&path, text).expect("writing the sweep");
        path
    }

    /// The folder that `rnnlab run --results results` gives a sweep.
    pub fn results(&self, sweep: &str) -> PathBuf {
        self.path().join("results").join(sweep)
    }

    /// `rnnlab ARGS` in the sandbox, shard variables removed, output captured.
    pub fn rnnlab(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rnnlab"));
        cmd.current_dir(self.path())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for var in SHARD_VARS {
            cmd.env_remove(var);
        }
        cmd
    }

    /// `rnnlab run SWEEP` on the CPU with one intra-op thread and `jobs` runs at a time.
    pub fn run_cmd(&self, sweep: &Path, jobs: usize, extra: &[&str]) -> Command {
        let jobs = jobs.to_string();
        let mut args = vec![
            "run",
            sweep.to_str().expect("a UTF-8 path"),
            "--results",
            "results",
            "--device",
            "cpu",
            "--threads",
            "1",
            "--jobs",
            &jobs,
        ];
        args.extend_from_slice(extra);
        self.rnnlab(&args)
    }

    /// The ids of a sweep's runs in expansion order, from `rnnlab run --dry-run`.
    pub fn dry_run_ids(&self, sweep: &Path) -> Vec<String> {
        let out = finish(
            self.rnnlab(&["run", "--dry-run", sweep.to_str().unwrap()])
                .spawn()
                .expect("starting rnnlab"),
        );
        assert_success(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let ids: Vec<String> = stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|w| is_run_id(w))
            .map(str::to_string)
            .collect();
        assert!(stdout.contains(&format!("{} runs", ids.len())), "{stdout}");
        ids
    }
}

pub fn is_run_id(word: &str) -> bool {
    word.len() == 12 && word.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Waits for `child` to exit and collects its output; kills it after [`PATIENCE`].
pub fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + PATIENCE;
    while child.try_wait().expect("polling the child").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "rnnlab did not exit within {PATIENCE:?}; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collecting output")
}

pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "rnnlab failed with {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Calls `ready` every few milliseconds until it returns true; panics after [`PATIENCE`] or
/// when `child` exits first (the state waited for can then never come).
pub fn wait_until(child: &mut Child, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if ready() {
            return;
        }
        if let Some(status) = child.try_wait().expect("polling the child") {
            panic!("rnnlab exited ({status}) before {what}");
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Sends a signal by name (INT, TERM, ...) through kill(1): the tests need no libc binding.
pub fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .expect("running kill");
    assert!(status.success(), "kill -{name} failed");
}

/// Ids named by the runner's `start  ID  LABEL` log lines (stderr not a terminal), in order,
/// repeats kept.
pub fn started(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("start "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// A run folder's state as the tests see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The exact bytes of summary.json.
    pub text: String,
    pub json: serde_json::Value,
    pub modified: SystemTime,
}

impl Stored {
    pub fn status(&self) -> &str {
        self.json["status"].as_str().expect("a status string")
    }
}

/// Every run folder of a results folder, with its summary when it has one. A summary that
/// does not parse fails the test: the runner must never leave half a file under that name.
pub fn run_folders(results: &Path) -> BTreeMap<String, Option<Stored>> {
    let runs = results.join("runs");
    let Ok(entries) = std::fs::read_dir(&runs) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for entry in entries {
        let entry = entry.unwrap();
        let id = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path().join("summary.json");
        let stored = std::fs::read_to_string(&path).ok().map(|text| {
            let json: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} does not parse ({e}):\n{text}", path.display()));
            assert_eq!(
                json["id"],
                id.as_str(),
                "{} names another run",
                path.display()
            );
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            Stored {
                text,
                json,
                modified,
            }
        });
        out.insert(id, stored);
    }
    out
}

/// The runs that have a summary.
pub fn summaries(results: &Path) -> BTreeMap<String, Stored> {
    run_folders(results)
        .into_iter()
        .filter_map(|(id, s)| Some((id, s?)))
        .collect()
}

/// Temporaries (`.tmp-<pid>-<n>-<name>`, see `rnnlab_results::temporary_path`) under `dir`, at any depth.
pub fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".tmp-"))
            {
                found.push(p);
            }
        }
    }
    found
}

/// metrics.csv without the wall-clock column, which is the only one allowed to differ
/// between two runs of the same config.
pub fn metrics_without_time(results: &Path, id: &str) -> String {
    let text = std::fs::read_to_string(results.join("runs").join(id).join("metrics.csv"))
        .unwrap_or_else(|e| panic!("metrics.csv of {id}: {e}"));
    text.lines()
        .map(|l| l.rsplit_once(',').expect("a CSV line").0)
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn set(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}
