//! Scoring a saved run on an external agreement test file (Linzen et al. 2016; Marvin &
//! Linzen 2018 style), with the same metrics and breakdown as the run's own test evaluation.
use std::path::{Path, PathBuf};

use rnnlab_models::Model;
use rnnlab_spec::{RunConfig, TaskConfig};
use rnnlab_tasks::{parse_tsv, Agreement, FileError, Task, Unk, UnknownWord};
use tch::{nn, Device};

use crate::data::DeviceBatch;
use crate::metrics::Evaluation;

/// Why a run cannot be loaded or a file scored; each names the folder or file concerned.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{}: not a run folder (cannot read config.yaml)", path.display())]
    NoConfig {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a run config: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error(
        "{}: no saved model; train the run with `train: {{ save: true }}` to keep its weights",
        path.display()
    )]
    NoModel { path: PathBuf },
    #[error("{}: cannot load the model: {message}", path.display())]
    Load { path: PathBuf, message: String },
    #[error("run {id} learned the `{kind}` task; only agreement runs are scored on test files")]
    NotAgreement { id: String, kind: &'static str },
    #[error("cannot read {}", path.display())]
    Data {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: no sentence left to score after leaving out {skipped} line(s) with unknown words", path.display())]
    NothingLeft { path: PathBuf, skipped: usize },
    #[error(transparent)]
    File(#[from] FileError),
}

/// A trained run rebuilt from its folder alone: the resolved config, its task's generator,
/// and the model with the saved weights (the VarStore owns them; keep it alive).
pub struct LoadedRun {
    pub dir: PathBuf,
    pub config: RunConfig,
    pub task: Box<dyn Task>,
    pub vs: nn::VarStore,
    pub model: Model,
}

/// Rebuilds a run from `config.yaml` and `model.safetensors`: the model is built exactly as
/// training built it (same config, task shape and seed, hence the same variable names),
/// then every variable is overwritten from the file, and a missing one is an error.
pub fn load_run(dir: &Path, device: Device) -> Result<LoadedRun, EvalError> {
    let path = dir.join("config.yaml");
    let text = std::fs::read_to_string(&path).map_err(|source| EvalError::NoConfig {
        path: path.clone(),
        source,
    })?;
    let config: RunConfig = serde_yaml::from_str(&text).map_err(|e| EvalError::Config {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let task =
        rnnlab_tasks::try_build(&config.task, config.seed).map_err(|e| EvalError::Config {
            path,
            message: e.to_string(),
        })?;
    let weights = dir.join("model.safetensors");
    if !weights.is_file() {
        return Err(EvalError::NoModel { path: weights });
    }
    let mut vs = nn::VarStore::new(device);
    let model = Model::new(&vs.root(), &config.model, &task.shape(), config.seed);
    vs.load(&weights).map_err(|e| EvalError::Load {
        path: weights,
        message: e.to_string(),
    })?;
    Ok(LoadedRun {
        dir: dir.to_owned(),
        config,
        task,
        vs,
        model,
    })
}

/// A file's score: the metrics and breakdown of [`Evaluation::with_breakdown`], the
/// last-noun heuristic's accuracy, and the lines left out for unknown words.
#[derive(Debug)]
pub struct FileEvaluation {
    /// Sentences scored.
    pub n: usize,
    pub evaluation: Evaluation,
    /// Accuracy of predicting the number of the prefix's last noun, on the sentences whose
    /// subject number is known.
    pub last_noun: Option<f64>,
    pub skipped: Vec<UnknownWord>,
    pub skipped_lines: usize,
}

impl FileEvaluation {
    /// Forced-choice accuracy (language-model form) or number accuracy.
    pub fn accuracy(&self) -> f64 {
        self.evaluation.means()["accuracy"]
    }
}

/// Scores `run` on the file at `path`, `batch` sentences at a time in file order (default:
/// the run's training batch). Sentences are right-padded to their batch's longest and each is
/// read at its own last word, as in training, so the grouping does not change a score: the
/// run's own test sentences score as in its test evaluation, and the language-model form,
/// which reads only the prefix, as the in-sweep forced choice over whole sentences.
pub fn evaluate_file(
    run: &LoadedRun,
    path: &Path,
    unk: Unk,
    batch: Option<usize>,
) -> Result<FileEvaluation, EvalError> {
    let TaskConfig::Agreement(config) = &run.config.task else {
        return Err(EvalError::NotAgreement {
            id: run.config.id(),
            kind: run.config.task.kind(),
        });
    };
    let agreement =
        Agreement::new(config.clone(), run.config.seed).map_err(|message| EvalError::Config {
            path: run.dir.join("config.yaml"),
            message,
        })?;
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Data {
        path: path.to_owned(),
        source,
    })?;
    let file = parse_tsv(&text, path)?;
    let prepared = agreement.prepare(file, unk)?;
    if prepared.items.is_empty() {
        return Err(EvalError::NothingLeft {
            path: path.to_owned(),
            skipped: prepared.skipped_lines,
        });
    }
    let size = batch.unwrap_or(run.config.train.batch).max(1);
    let mut evaluation = Evaluation::with_breakdown();
    let (mut heuristic, mut known) = (0usize, 0usize);
    let _guard = tch::no_grad_guard();
    for chunk in prepared.items.chunks(size) {
        let b = agreement.encode(chunk);
        for m in &b.meta {
            if let (Some(l), Some(s)) = (m.get("last_noun"), m.get("subject")) {
                known += 1;
                heuristic += usize::from(l == s);
            }
        }
        let b = DeviceBatch::new(b, &agreement, run.vs.device());
        evaluation.add(&run.model.forward(&b.x, b.lengths.as_ref(), false), &b);
    }
    Ok(FileEvaluation {
        n: prepared.items.len(),
        evaluation,
        last_noun: (known > 0).then(|| heuristic as f64 / known as f64),
        skipped: prepared.skipped,
        skipped_lines: prepared.skipped_lines,
    })
}
