//! Where every file of a results folder lives. docs/results.md draws the same tree; a test
//! checks that the two agree.
use std::path::{Path, PathBuf};

/// `results/<sweep>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The sweep file as run, verbatim.
    pub const SWEEP: &'static str = "sweep.yaml";
    /// One folder per run, named by its run id.
    pub const RUNS: &'static str = "runs";
    /// What `rnnlab report` writes.
    pub const REPORT: &'static str = "report";
    /// A `search:` sweep's decisions, one file per successive-halving rung.
    pub const SEARCH: &'static str = "search";
    /// What `rnnlab eval` writes for a results folder, one folder per scored file.
    pub const EVAL: &'static str = "eval";

    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn sweep(&self) -> PathBuf {
        self.root.join(Self::SWEEP)
    }

    pub fn runs(&self) -> PathBuf {
        self.root.join(Self::RUNS)
    }

    pub fn run(&self, id: &str) -> RunFiles {
        RunFiles {
            dir: self.runs().join(id),
        }
    }

    /// `search/`: `rung-<i>.json` for each decided rung (0-based), see [`crate::search`].
    pub fn search(&self) -> PathBuf {
        self.root.join(Self::SEARCH)
    }

    /// The decision at rung `index` (0-based) of a search.
    pub fn rung(&self, index: usize) -> PathBuf {
        self.search().join(format!("rung-{index}.json"))
    }

    /// `eval/<set>/`: the runs scored on the sweep's eval set `set`, or on the file whose name
    /// without extension is `set` (`<run-id>.csv` each, and `summary.csv`; see [`crate::eval`]).
    pub fn eval(&self, set: &str) -> PathBuf {
        self.root.join(Self::EVAL).join(set)
    }

    /// Whether `root` looks like a results folder (a sweep file and a runs folder).
    pub fn exists(&self) -> bool {
        self.sweep().is_file() && self.runs().is_dir()
    }

    /// `report/`: report.md, tables/*.csv, figures/*.svg|png.
    pub fn report(&self) -> PathBuf {
        self.root.join(Self::REPORT)
    }

    pub fn report_md(&self) -> PathBuf {
        self.report().join("report.md")
    }

    pub fn tables(&self) -> PathBuf {
        self.report().join("tables")
    }

    pub fn figures(&self) -> PathBuf {
        self.report().join("figures")
    }
}

/// The files of one run, `runs/<run-id>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFiles {
    dir: PathBuf,
}

impl RunFiles {
    pub const CONFIG: &'static str = "config.yaml";
    pub const PARAMS: &'static str = "params.json";
    pub const METRICS: &'static str = "metrics.csv";
    pub const SUMMARY: &'static str = "summary.json";
    pub const BREAKDOWN: &'static str = "breakdown.csv";
    pub const GRADFLOW: &'static str = "gradflow.csv";
    pub const MODEL: &'static str = "model.safetensors";
    /// A run in progress's latest checkpoint: its state, naming the tensors file beside it.
    pub const CHECKPOINT: &'static str = "checkpoint.json";
    /// Every file a run folder may hold, in docs/results.md's order (the checkpoint's tensors,
    /// `checkpoint-<step>.safetensors`, are named by `checkpoint.json`).
    pub const ALL: [&'static str; 8] = [
        Self::CONFIG,
        Self::PARAMS,
        Self::METRICS,
        Self::SUMMARY,
        Self::BREAKDOWN,
        Self::GRADFLOW,
        Self::MODEL,
        Self::CHECKPOINT,
    ];

    /// The files of a run folder at `dir` (for `rnnlab eval RUN_DIR`).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The run id: the folder's name.
    pub fn id(&self) -> String {
        self.dir
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    pub fn config(&self) -> PathBuf {
        self.dir.join(Self::CONFIG)
    }

    pub fn params(&self) -> PathBuf {
        self.dir.join(Self::PARAMS)
    }

    pub fn metrics(&self) -> PathBuf {
        self.dir.join(Self::METRICS)
    }

    pub fn summary(&self) -> PathBuf {
        self.dir.join(Self::SUMMARY)
    }

    pub fn breakdown(&self) -> PathBuf {
        self.dir.join(Self::BREAKDOWN)
    }

    pub fn gradflow(&self) -> PathBuf {
        self.dir.join(Self::GRADFLOW)
    }

    pub fn model(&self) -> PathBuf {
        self.dir.join(Self::MODEL)
    }

    pub fn checkpoint(&self) -> PathBuf {
        self.dir.join(Self::CHECKPOINT)
    }

    /// The name of the tensors of the checkpoint taken after `step` updates.
    pub fn checkpoint_tensors_name(step: usize) -> String {
        format!("checkpoint-{step}.safetensors")
    }

    /// Whether `name` is a checkpoint's tensors file (any step).
    pub fn is_checkpoint_tensors(name: &str) -> bool {
        name.strip_prefix("checkpoint-")
            .and_then(|rest| rest.strip_suffix(".safetensors"))
            .is_some_and(|step| !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_documented_tree() {
        let l = Layout::new("results/ci");
        assert_eq!(l.sweep(), Path::new("results/ci/sweep.yaml"));
        let run = l.run("0123456789ab");
        assert_eq!(
            run.summary(),
            Path::new("results/ci/runs/0123456789ab/summary.json")
        );
        assert_eq!(run.id(), "0123456789ab");
        assert_eq!(l.report_md(), Path::new("results/ci/report/report.md"));
        assert_eq!(l.rung(2), Path::new("results/ci/search/rung-2.json"));
    }
}
