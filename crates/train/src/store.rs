//! The results store: a sweep's `results/<sweep>/` folder as the runner writes it. Paths,
//! formats and the atomic write belong to rnnlab-results; this adds what needs the spec's
//! types (a run's resolved config and parameters).
use std::path::{Path, PathBuf};

use rnnlab_results::{
    files, read_summary, remove_temporaries, write_atomic, write_params, write_summary, Layout,
    ResultsError, RunFiles,
};
use rnnlab_spec::Run;

use crate::summary::Summary;
use crate::TrainError;

/// A sweep's results folder.
#[derive(Debug, Clone)]
pub struct Store {
    layout: Layout,
}

impl Store {
    /// Opens (creating) `root` and records the sweep file as run. A folder that already holds
    /// another version of the sweep keeps its runs: run ids are content hashes, so runs whose
    /// config is still in the sweep stay valid and the report leaves the others out as stale.
    pub fn open(root: &Path, sweep_text: &str) -> Result<Self, TrainError> {
        let layout = Layout::new(root);
        create_dir(&layout.runs())?;
        write_atomic(&layout.sweep(), sweep_text.as_bytes())?;
        Ok(Self { layout })
    }

    pub fn root(&self) -> &Path {
        self.layout.root()
    }

    /// The files of run `id`.
    pub fn run(&self, id: &str) -> RunFiles {
        self.layout.run(id)
    }

    pub fn run_dir(&self, id: &str) -> PathBuf {
        self.run(id).dir().to_owned()
    }

    /// The stored summary of a run, if it has one that parses.
    pub fn summary(&self, id: &str) -> Option<Summary> {
        read_summary(&self.run(id).summary()).ok()
    }

    /// Prepares a run's folder: its resolved config and varying parameters. Its old summary
    /// and temporary files in it are removed first: they are what a process killed while writing leaves behind
    /// (never renamed into place, so never read), and only the process running a run writes
    /// into its folder, so none of them can belong to a write still in progress.
    pub fn begin(&self, run: &Run) -> Result<RunFiles, TrainError> {
        let files = self.run(&run.id);
        create_dir(files.dir())?;
        remove_temporaries(files.dir())?;
        // An old summary (a run trained again by `--rerun`, or an interrupted one) must not
        // stand beside the new files: a kill before the new summary would leave it as if
        // it described them.
        match std::fs::remove_file(files.summary()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(ResultsError::Io {
                    path: files.summary(),
                    source: e,
                }
                .into())
            }
            _ => {}
        }
        let yaml = serde_yaml::to_string(&run.config).map_err(|source| TrainError::Config {
            id: run.id.clone(),
            source,
        })?;
        write_atomic(&files.config(), yaml.as_bytes())?;
        write_params(&files.params(), &run.params)?;
        Ok(files)
    }

    /// Rewrites a run's `metrics.csv` with all rows so far.
    pub fn write_metrics(
        &self,
        id: &str,
        columns: &[&str],
        rows: &[files::MetricsRow],
    ) -> Result<(), TrainError> {
        Ok(files::write_metrics(
            &self.run(id).metrics(),
            columns,
            rows,
        )?)
    }

    /// Writes a run's `summary.json`, the mark that it is finished.
    pub fn write_summary(&self, summary: &Summary) -> Result<(), TrainError> {
        Ok(write_summary(&self.run(&summary.id).summary(), summary)?)
    }
}

fn create_dir(path: &Path) -> Result<(), TrainError> {
    std::fs::create_dir_all(path).map_err(|source| ResultsError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(())
}
