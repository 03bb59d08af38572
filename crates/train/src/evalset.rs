//! A split's fixed evaluation set, and evaluating a model on it.
use rnnlab_models::Model;
use rnnlab_spec::Run;
use rnnlab_tasks::{Split, Task};
use tch::Device;

use crate::data::DeviceBatch;
use crate::metrics::Evaluation;

/// Checks that every split of a stream task holds at least one window of `batch` streams (a
/// short text cut into many streams has none).
pub fn fits(task: &dyn Task, batch: usize) -> Result<(), rnnlab_tasks::TaskError> {
    for split in [Split::Train, Split::Valid, Split::Test] {
        if task.stream_batches(split, batch) == Some(0) {
            return Err(rnnlab_tasks::TaskError {
                kind: task.kind(),
                message: format!(
                    "the {} split is too short for {batch} streams of one window each: lower \
                     train.batch or the task's window (bptt)",
                    split.name()
                ),
            });
        }
    }
    Ok(())
}

/// The batches a split is evaluated on, drawn once and kept on the device.
pub struct EvalSet {
    batches: Vec<DeviceBatch>,
    /// The batches are consecutive windows of parallel streams (a text): the hidden state
    /// carries from one to the next, as in training.
    stream: bool,
}

impl EvalSet {
    /// `train.eval_size` examples of `split` in batches of `train.batch`; for stream tasks,
    /// every window of the split once, in order (the whole held-out text).
    pub fn new(task: &dyn Task, split: Split, run: &Run, device: Device) -> Self {
        let (size, batch) = (run.config.train.eval_size, run.config.train.batch);
        if let Some(windows) = task.stream_batches(split, batch) {
            let batches = (0..windows)
                .map(|k| DeviceBatch::new(task.batch(split, k, batch), task, device))
                .collect();
            return Self {
                batches,
                stream: true,
            };
        }
        let batches = (0..size.div_ceil(batch))
            .map(|i| {
                let n = batch.min(size - i * batch);
                DeviceBatch::new(task.batch(split, i as u64, n), task, device)
            })
            .collect();
        Self {
            batches,
            stream: false,
        }
    }

    /// The model's metrics on the set, summed into `e`.
    pub fn evaluate(&self, model: &Model, mut e: Evaluation) -> Evaluation {
        let _guard = tch::no_grad_guard();
        let mut carry = Vec::new();
        for b in &self.batches {
            let y = if self.stream {
                model.forward_carried(&b.x, &mut carry, false)
            } else {
                model.forward(&b.x, b.lengths.as_ref(), false)
            };
            e.add(&y, b);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics;
    use rnnlab_spec::{RunConfig, TaskConfig, TextConfig};
    use tch::{nn, Tensor};

    /// A text task over a small corpus written to a temp folder.
    fn text_run(dir: &std::path::Path) -> Run {
        let path = dir.join("corpus.txt");
        let line = "the cat sat on the mat and the dog ran to the cat.\n";
        std::fs::write(&path, line.repeat(60)).unwrap();
        let mut text = TextConfig {
            bptt: 7,
            ..TextConfig::default()
        };
        text.corpus.train = path.to_string_lossy().into_owned();
        let mut config = RunConfig {
            task: TaskConfig::Text(text),
            model: Default::default(),
            train: Default::default(),
            stop: Default::default(),
            seed: 1,
        };
        config.model.hidden = 12;
        config.train.batch = 3;
        Run::new(config, Vec::new())
    }

    #[test]
    fn a_split_too_short_for_the_batch_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let run = text_run(dir.path());
        let task = rnnlab_tasks::try_build(&run.config.task, 1).unwrap();
        assert!(fits(task.as_ref(), 3).is_ok());
        let e = fits(task.as_ref(), 100).unwrap_err();
        assert!(
            e.message.contains("valid split") && e.message.contains("100 streams"),
            "{e}"
        );
    }

    #[test]
    fn a_stream_evaluated_in_windows_scores_as_one_long_sequence() {
        let dir = tempfile::tempdir().unwrap();
        let run = text_run(dir.path());
        let task = rnnlab_tasks::try_build(&run.config.task, 1).unwrap();
        let vs = nn::VarStore::new(Device::Cpu);
        let model = Model::new(&vs.root(), &run.config.model, &task.shape(), 1);
        let set = EvalSet::new(task.as_ref(), Split::Valid, &run, Device::Cpu);
        let windows = task.stream_batches(Split::Valid, 3).unwrap();
        assert!(windows >= 3 && set.batches.len() == windows as usize);
        let mut means = set.evaluate(&model, Evaluation::default()).means();
        metrics::derive(task.metrics(), &mut means);

        // The same windows joined along time, read in one pass from a zero state.
        let _guard = tch::no_grad_guard();
        let x = Tensor::cat(
            &set.batches
                .iter()
                .map(|b| b.x.shallow_clone())
                .collect::<Vec<_>>(),
            1,
        );
        let classes: Vec<Tensor> = set
            .batches
            .iter()
            .map(|b| match &b.target {
                crate::data::DeviceTargets::PerStep { classes, .. } => classes.shallow_clone(),
                _ => unreachable!("text targets are per step"),
            })
            .collect();
        let y = model.forward(&x, None, false);
        let v = task.shape().outputs as i64;
        let loss = y
            .view([-1, v])
            .cross_entropy_for_logits(&Tensor::cat(&classes, 1).view([-1]))
            .double_value(&[]);
        assert!(
            (means["loss"] - loss).abs() < 1e-5,
            "{} vs {loss}",
            means["loss"]
        );
        assert!((means["perplexity"] - loss.exp()).abs() < 1e-4);
        assert!((means["bits_per_token"] - loss / std::f64::consts::LN_2).abs() < 1e-5);
    }
}
