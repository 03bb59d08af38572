//! Scoring a saved run on an external agreement test file (Linzen et al. 2016; Marvin &
//! Linzen 2018 style), with the same metrics and breakdown as the run's own test evaluation.
//!
//! Three kinds of run are scored: the generator's `agreement` task, whose vocabulary is
//! closed (a word outside it is an error or leaves its line out, [`Unk`]); `treebank_agreement`
//! number predictors ([`treebank`]); and `text` language models on minimal pairs
//! ([`language_model`]). The last two have an `<unk>`: a prefix word outside their vocabulary
//! is read as `<unk>` and counted ([`UnkMapping`]).
mod generator;
mod language_model;
mod treebank;
mod vocabulary;

use std::path::{Path, PathBuf};

use rnnlab_models::Model;
use rnnlab_spec::{RunConfig, TaskConfig};
use rnnlab_tasks::{AgreementFile, FileError, FileKind, Task, Unk, UnknownWord};
use tch::{nn, Device};

use crate::metrics::Evaluation;
pub use language_model::PairScore;
pub use vocabulary::UnkMapping;

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
    #[error(
        "run {id} learned the `{kind}` task; only agreement, treebank_agreement and text runs \
         are scored on agreement test files"
    )]
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
/// then every variable is overwritten from the file, and a missing one is an error. Tasks
/// read from files (`text`, `treebank_agreement`) read them again to rebuild the vocabulary,
/// from the paths in the config (relative ones from the current folder).
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
/// last-noun heuristic's accuracy, the lines left out and the words read as `<unk>`.
#[derive(Debug)]
pub struct FileEvaluation {
    /// The file's kind (number or minimal pairs).
    pub kind: FileKind,
    /// Sentences scored.
    pub n: usize,
    /// Sentences in the file: those scored and those left out.
    pub total: usize,
    /// For `text` runs, `loss` is the forced choice's: the mean of −ln(p(good) / (p(good) +
    /// p(bad))) over the pairs; otherwise the run's own loss.
    pub evaluation: Evaluation,
    /// Accuracy of predicting the number of the prefix's last noun, on the sentences where it
    /// is known: the generator's sentences (its lexicon gives each noun's number) and files
    /// with a `last_noun` column (`rnnlab data agreement` writes one from the gold trees);
    /// `None` when no sentence says.
    pub last_noun: Option<f64>,
    /// Words whose lines were left out, with those lines: a closed-vocabulary run's unknown
    /// words under [`Unk::Skip`], a `text` run's verbs outside its vocabulary.
    pub skipped: Vec<UnknownWord>,
    pub skipped_lines: usize,
    /// Prefix words read as `<unk>` on the lines scored (runs with an `<unk>` only).
    pub unk: UnkMapping,
    /// A `text` run's scores of each pair scored, in file order; empty for other runs.
    pub pairs: Vec<PairScore>,
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
///
/// `unk` applies to closed vocabularies (the generator's `agreement` task). Runs with an
/// `<unk>` read unknown prefix words as `<unk>`, and a `text` run leaves out the pairs whose
/// verbs it cannot name.
pub fn evaluate_file(
    run: &LoadedRun,
    path: &Path,
    unk: Unk,
    batch: Option<usize>,
) -> Result<FileEvaluation, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Data {
        path: path.to_owned(),
        source,
    })?;
    let size = batch.unwrap_or(run.config.train.batch).max(1);
    let scored = match &run.config.task {
        TaskConfig::Agreement(config) => {
            let file = rnnlab_tasks::parse_tsv(&text, path)?;
            generator::score(run, config, file, unk, size)?
        }
        TaskConfig::TreebankAgreement(_) => {
            // The task lower-cases its words, as the file parser does.
            let file = rnnlab_tasks::parse_tsv(&text, path)?;
            treebank::score(run, file, size)?
        }
        TaskConfig::Text(config) => {
            // The text task keeps case, so the file's words keep theirs.
            let file = AgreementFile::parse_keeping_case(&text, path)?;
            language_model::score(run, config.level, file, size)?
        }
        other => {
            return Err(EvalError::NotAgreement {
                id: run.config.id(),
                kind: other.kind(),
            })
        }
    };
    if scored.n == 0 {
        return Err(EvalError::NothingLeft {
            path: path.to_owned(),
            skipped: scored.skipped_lines,
        });
    }
    Ok(scored)
}

/// The form check every scorer makes first: a file of the other kind is refused, naming both.
fn expect_kind(file: &AgreementFile, kind: FileKind, run: &'static str) -> Result<(), FileError> {
    if file.kind == kind {
        return Ok(());
    }
    Err(FileError::Form {
        path: file.path.clone(),
        file: file.kind,
        run,
    })
}

/// The last-noun heuristic's accuracy over the items whose file says whether it is right
/// (their `last_noun` column); `None` when none does.
fn last_noun_accuracy<'a>(items: impl Iterator<Item = &'a rnnlab_tasks::FileItem>) -> Option<f64> {
    let (right, known) = items
        .filter_map(|i| i.last_noun)
        .fold((0usize, 0usize), |(r, k), right| {
            (r + usize::from(right), k + 1)
        });
    (known > 0).then(|| right as f64 / known as f64)
}

#[cfg(test)]
mod tests {
    use rnnlab_tasks::{Answer, FileItem};

    #[test]
    fn the_last_noun_heuristic_counts_only_the_lines_that_say() {
        let item = |last_noun| FileItem {
            line: 1,
            prefix: vec!["the".into(), "man".into()],
            answer: Answer::Number { plural: false },
            attractors: None,
            distance: None,
            construction: None,
            last_noun,
        };
        let items = [
            item(Some(true)),
            item(Some(false)),
            item(None),
            item(Some(true)),
        ];
        let got = super::last_noun_accuracy(items.iter()).unwrap();
        assert!((got - 2.0 / 3.0).abs() < 1e-12, "{got}");
        assert_eq!(super::last_noun_accuracy([item(None)].iter()), None);
    }
}
