//! Checkpoints: what a run needs to continue to the same bytes as if it had never stopped.
//!
//! Two files in the run folder: `checkpoint-<step>.safetensors` holds the tensors (the
//! model's variables as `model.<name>`, the optimizer's state as `optim.<i>.<slot>`), and
//! `checkpoint.json` the rest (the step, the metric rows so far, the early-stopping and
//! divergence state, the dropout generator, the build that wrote it) and the name of its
//! tensors file. The tensors are written first and `checkpoint.json` renamed into place after,
//! both atomically, so whichever checkpoint.json a reader finds names a complete tensors file;
//! older tensors files are removed after. Numbers are stored as text in Rust's shortest
//! round-trip form, so that they read back to the same bits (NaN and infinities included).
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use rnnlab_results::files::{GradflowRow, MetricsRow};
use rnnlab_results::{write_atomic, write_atomic_with, Build, ResultsError, RunFiles};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::summary::this_build;
use crate::TrainError;

/// The version of checkpoint.json this build writes and reads; another version restarts
/// the run.
pub const FORMAT_VERSION: u32 = 1;

/// A float that serialises to the text that parses back to its exact bits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exact(pub f64);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map(Exact)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number")))
    }
}

/// A metrics.csv row as the checkpoint keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub step: usize,
    pub split: String,
    pub loss: Exact,
    pub metrics: Vec<Option<Exact>>,
    pub grad_norm: Option<Exact>,
    pub clip_rate: Option<Exact>,
    pub elapsed_s: Exact,
}

impl Row {
    pub fn of(r: &MetricsRow) -> Self {
        Self {
            step: r.step,
            split: r.split.to_string(),
            loss: Exact(r.loss),
            metrics: r.metrics.iter().map(|m| m.map(Exact)).collect(),
            grad_norm: r.grad_norm.map(Exact),
            clip_rate: r.clip_rate.map(Exact),
            elapsed_s: Exact(r.elapsed_s),
        }
    }

    pub fn to_row(&self) -> Option<MetricsRow> {
        let split = ["train", "valid", "test"]
            .into_iter()
            .find(|s| *s == self.split)?;
        Some(MetricsRow {
            step: self.step,
            split,
            loss: self.loss.0,
            metrics: self.metrics.iter().map(|m| m.map(|e| e.0)).collect(),
            grad_norm: self.grad_norm.map(|e| e.0),
            clip_rate: self.clip_rate.map(|e| e.0),
            elapsed_s: self.elapsed_s.0,
        })
    }
}

/// A gradflow.csv row as the checkpoint keeps it: (step, layer, direction, t, distance, norm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowRow(usize, usize, usize, usize, usize, Exact);

impl FlowRow {
    pub fn of(r: &GradflowRow) -> Self {
        Self(r.step, r.layer, r.direction, r.t, r.distance, Exact(r.norm))
    }

    pub fn to_row(&self) -> GradflowRow {
        let Self(step, layer, direction, t, distance, norm) = *self;
        GradflowRow {
            step,
            layer,
            direction,
            t,
            distance,
            norm: norm.0,
        }
    }
}

/// The sums over the training steps since the last `train` row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowState {
    pub loss: Exact,
    pub norm: Exact,
    pub clipped: usize,
    pub steps: usize,
}

/// The contents of checkpoint.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub format: u32,
    pub id: String,
    /// Updates done.
    pub step: usize,
    /// The tensors file beside it.
    pub tensors: String,
    pub rnnlab: String,
    pub commit: Option<String>,
    pub libtorch: String,
    /// The device and libtorch's intra-op threads (`cpu 1`): another setting computes the
    /// remaining steps differently in the last bits.
    pub setting: String,
    /// Updates the optimizer has applied (Adam's bias correction reads it).
    pub optimizer_steps: i64,
    pub dropout_rng: [u64; 4],
    /// Seconds of training before the checkpoint, over every earlier session of the run.
    pub elapsed_s: Exact,
    pub rows: Vec<Row>,
    pub gradflow: Vec<FlowRow>,
    pub best: BTreeMap<String, Exact>,
    pub window: WindowState,
    pub steps_to_solve: Option<usize>,
    /// The consecutive evaluations above the divergence bound: (step, valid loss).
    pub above: Vec<(usize, Exact)>,
    pub resumed_from: Vec<usize>,
}

impl State {
    fn build(&self) -> Build {
        Build {
            rnnlab: self.rnnlab.clone(),
            commit: self.commit.clone(),
            libtorch: self.libtorch.clone(),
        }
    }
}

/// Why a checkpoint found in a run folder is not used (the run starts at step 0).
#[derive(Debug, Clone, PartialEq)]
pub enum Unusable {
    /// Written by another build: resuming would mix two versions of the code in one run.
    OtherBuild(Build),
    /// Another format, another run's, or inconsistent.
    Invalid(String),
    /// Written on another device or with another number of libtorch threads: the remaining
    /// steps would compute differently (`device threads`, as written).
    OtherSetting(String),
    /// It could not be read (permissions, a filesystem error): the run fails rather than
    /// start over and overwrite a checkpoint that may be good.
    Io(String),
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::OtherBuild(b) => write!(f, "it was written by another build ({b})"),
            Unusable::Invalid(why) => f.write_str(why),
            Unusable::OtherSetting(was) => {
                write!(
                    f,
                    "it was written on another device or thread count ({was})"
                )
            }
            Unusable::Io(why) => write!(f, "it cannot be read: {why}"),
        }
    }
}

/// Writes a checkpoint: `tensors` (name, tensor) first, then `state`, then removes the
/// tensors files of earlier checkpoints.
pub fn write(
    files: &RunFiles,
    mut state: State,
    tensors: &[(String, tch::Tensor)],
) -> Result<(), TrainError> {
    let name = RunFiles::checkpoint_tensors_name(state.step);
    let path = files.dir().join(&name);
    write_atomic_with(&path, |tmp| tch::Tensor::write_safetensors(tensors, tmp))?;
    state.tensors = name.clone();
    let json = serde_json::to_vec_pretty(&state).map_err(|e| TrainError::Checkpoint {
        id: state.id.clone(),
        path: files.checkpoint(),
        reason: e.to_string(),
    })?;
    write_atomic(&files.checkpoint(), &json)?;
    remove_tensors(files, Some(&name))
}

/// The setting a checkpoint must be resumed in: device and libtorch threads.
pub fn setting(device: tch::Device) -> String {
    format!(
        "{} {}",
        rnnlab_models::device::name(device),
        tch::get_num_threads()
    )
}

/// A new checkpoint state of run `id` at `step`, stamped with this build and `setting`; the
/// caller fills in the rest.
pub fn state(id: &str, step: usize, setting: String) -> State {
    let build = this_build();
    State {
        format: FORMAT_VERSION,
        id: id.to_string(),
        step,
        tensors: String::new(),
        rnnlab: build.rnnlab,
        commit: build.commit,
        libtorch: build.libtorch,
        setting,
        optimizer_steps: 0,
        dropout_rng: [0; 4],
        elapsed_s: Exact(0.0),
        rows: Vec::new(),
        gradflow: Vec::new(),
        best: BTreeMap::new(),
        window: WindowState {
            loss: Exact(0.0),
            norm: Exact(0.0),
            clipped: 0,
            steps: 0,
        },
        steps_to_solve: None,
        above: Vec::new(),
        resumed_from: Vec::new(),
    }
}

/// A checkpoint as read: its state and its tensors by name.
pub type Loaded = (State, BTreeMap<String, tch::Tensor>);

/// The checkpoint of run `id` in `files`, with its tensors by name: `Ok(None)` when there is
/// none, `Err` when there is one that cannot be used.
pub fn read(files: &RunFiles, id: &str, setting: &str) -> Result<Option<Loaded>, Unusable> {
    let text = match std::fs::read(files.checkpoint()) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Unusable::Io(e.to_string())),
    };
    let state: State =
        serde_json::from_slice(&text).map_err(|e| Unusable::Invalid(e.to_string()))?;
    if state.format != FORMAT_VERSION {
        return Err(Unusable::Invalid(format!("format {}", state.format)));
    }
    if state.id != id {
        return Err(Unusable::Invalid(format!("it is run {}'s", state.id)));
    }
    if state.build() != this_build() {
        return Err(Unusable::OtherBuild(state.build()));
    }
    if state.setting != setting {
        return Err(Unusable::OtherSetting(state.setting));
    }
    if !RunFiles::is_checkpoint_tensors(&state.tensors) {
        return Err(Unusable::Invalid(format!(
            "tensors file `{}`",
            state.tensors
        )));
    }
    let path = files.dir().join(&state.tensors);
    if let Err(e) = std::fs::metadata(&path) {
        return Err(match e.kind() {
            std::io::ErrorKind::NotFound => {
                Unusable::Invalid(format!("its tensors file {} is missing", path.display()))
            }
            _ => Unusable::Io(format!("{}: {e}", path.display())),
        });
    }
    let tensors = tch::Tensor::read_safetensors(&path)
        .map_err(|e| Unusable::Invalid(format!("{}: {e}", state.tensors)))?;
    Ok(Some((state, tensors.into_iter().collect())))
}

/// Removes the run's checkpoint: checkpoint.json first, then every tensors file.
pub fn remove(files: &RunFiles) -> Result<(), TrainError> {
    remove_file(&files.checkpoint())?;
    remove_tensors(files, None)
}

/// Removes the checkpoint tensors files in the run folder except `keep`.
fn remove_tensors(files: &RunFiles, keep: Option<&str>) -> Result<(), TrainError> {
    let entries = std::fs::read_dir(files.dir()).map_err(|source| ResultsError::Io {
        path: files.dir().to_owned(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if RunFiles::is_checkpoint_tensors(&name) && Some(name.as_str()) != keep {
            remove_file(&entry.path())?;
        }
    }
    Ok(())
}

fn remove_file(path: &Path) -> Result<(), TrainError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ResultsError::Io {
            path: path.to_owned(),
            source: e,
        }
        .into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
