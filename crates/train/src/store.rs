//! The results store: `results/<sweep>/` as plain files (see docs/results.md). Every file is
//! written to a temporary name in the same folder and renamed, so readers and crashes never
//! see half a file.
use std::path::{Path, PathBuf};

use rnnlab_spec::Run;

use crate::metrics::MetricsRow;
use crate::summary::Summary;
use crate::TrainError;

/// A sweep's results folder.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Opens (creating) `root` and records the sweep file as run. A folder that already holds a
    /// different sweep file keeps it only if the runs are compatible: the old runs stay valid
    /// because run ids are content hashes, so the new sweep text simply replaces the old.
    pub fn open(root: &Path, sweep_text: &str) -> Result<Self, TrainError> {
        let store = Self {
            root: root.to_owned(),
        };
        create_dir(&root.join("runs"))?;
        write_atomic(&root.join("sweep.yaml"), sweep_text.as_bytes())?;
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn run_dir(&self, id: &str) -> PathBuf {
        self.root.join("runs").join(id)
    }

    /// The stored summary of a run, if it has one that parses.
    pub fn summary(&self, id: &str) -> Option<Summary> {
        let text = std::fs::read_to_string(self.run_dir(id).join("summary.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Prepares a run's folder: its resolved config and varying parameters. Temporary files
    /// in it are removed first: they are what a process killed while writing leaves behind
    /// (never renamed into place, so never read), and only the process running a run writes
    /// into its folder, so none of them can belong to a write still in progress.
    pub fn begin(&self, run: &Run) -> Result<PathBuf, TrainError> {
        let dir = self.run_dir(&run.id);
        create_dir(&dir)?;
        remove_temporaries(&dir)?;
        let yaml = serde_yaml::to_string(&run.config).map_err(|e| TrainError::Run {
            id: run.id.clone(),
            message: format!("cannot serialise the config: {e}"),
        })?;
        write_atomic(&dir.join("config.yaml"), yaml.as_bytes())?;
        let params: serde_json::Map<String, serde_json::Value> = run
            .params
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
            .collect();
        let params = serde_json::to_string_pretty(&params).expect("strings serialise");
        write_atomic(&dir.join("params.json"), params.as_bytes())?;
        Ok(dir)
    }

    /// Rewrites a run's `metrics.csv` with all rows so far.
    pub fn write_metrics(
        &self,
        id: &str,
        columns: &[&str],
        rows: &[MetricsRow],
    ) -> Result<(), TrainError> {
        let path = self.run_dir(id).join("metrics.csv");
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["step", "split", "loss"];
        header.extend_from_slice(columns);
        header.extend_from_slice(&["grad_norm", "clip_rate", "elapsed_s"]);
        let fmt = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
        let io = |e: csv::Error| TrainError::Write {
            path: path.clone(),
            source: e.into(),
        };
        w.write_record(&header).map_err(io)?;
        for r in rows {
            let mut rec = vec![
                r.step.to_string(),
                r.split.to_string(),
                format!("{}", r.loss),
            ];
            rec.extend(r.metrics.iter().map(|m| fmt(*m)));
            rec.extend([
                fmt(r.grad_norm),
                fmt(r.clip_rate),
                format!("{:.3}", r.elapsed_s),
            ]);
            w.write_record(&rec).map_err(io)?;
        }
        let bytes = w.into_inner().map_err(|e| TrainError::Write {
            path: path.clone(),
            source: e.into_error(),
        })?;
        write_atomic(&path, &bytes)
    }

    /// Writes a run's `summary.json`, the mark that it is finished.
    pub fn write_summary(&self, summary: &Summary) -> Result<(), TrainError> {
        let path = self.run_dir(&summary.id).join("summary.json");
        let text = serde_json::to_string_pretty(summary).expect("a summary serialises");
        write_atomic(&path, text.as_bytes())
    }

    /// Writes any other file of a run (breakdown.csv, gradflow.csv, model.safetensors).
    pub fn write_file(&self, id: &str, name: &str, bytes: &[u8]) -> Result<(), TrainError> {
        write_atomic(&self.run_dir(id).join(name), bytes)
    }
}

fn create_dir(path: &Path) -> Result<(), TrainError> {
    std::fs::create_dir_all(path).map_err(|source| TrainError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Removes the `*.tmp` files directly inside `dir` (see [`write_atomic`] for their names).
fn remove_temporaries(dir: &Path) -> Result<(), TrainError> {
    let err = |source| TrainError::Write {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(err)? {
        let path = entry.map_err(err)?.path();
        if path.extension().is_some_and(|e| e == "tmp") && path.is_file() {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(TrainError::Write { path, source: e })
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
/// The temporary name carries the process id and thread so concurrent writers (shards) never
/// share one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TrainError> {
    let tmp = path.with_extension(format!(
        "{}.{}-{:?}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or(""),
        std::process::id(),
        std::thread::current().id()
    ));
    let err = |source| TrainError::Write {
        path: path.to_owned(),
        source,
    };
    std::fs::write(&tmp, bytes).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
