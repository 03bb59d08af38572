//! Batches as tensors.
use rnnlab_tasks::{Batch, Inputs, Meta, Targets, Task};
use tch::{Device, Kind, Tensor};

/// A batch on the device: inputs and the targets the loss reads.
#[derive(Debug)]
pub struct DeviceBatch {
    pub x: Tensor,
    /// `[B]` int64 real lengths of a right-padded batch; `None` when all fill the batch.
    pub lengths: Option<Tensor>,
    pub target: DeviceTargets,
    pub size: usize,
    /// For forced-choice scoring (agreement, language-model form): `[B, 3]` int64 rows of
    /// (step, good class, bad class); see [`rnnlab_tasks::Choice`].
    pub choices: Option<Tensor>,
    /// Per-example metadata, for breakdowns.
    pub meta: Vec<Meta>,
}

#[derive(Debug)]
pub enum DeviceTargets {
    /// `classes [B, T]` int64, `mask [B, T]`, `recall [B, T]` float.
    PerStep {
        classes: Tensor,
        mask: Tensor,
        recall: Tensor,
        num_classes: i64,
    },
    /// `[B]` int64.
    LastClass(Tensor),
    /// `[B]` float.
    LastValue(Tensor),
}

impl DeviceBatch {
    /// A batch for evaluation: inputs, targets, the forced-choice rows of tasks scored that way,
    /// and the metadata that breakdowns read.
    pub fn new(mut batch: Batch, task: &dyn Task, device: Device) -> Self {
        let choices = task.choices(&batch).map(|cs| {
            let flat: Vec<i64> = cs
                .iter()
                .flat_map(|c| [c.step as i64, c.good, c.bad])
                .collect();
            Tensor::from_slice(&flat)
                .view([batch.size as i64, 3])
                .to_device(device)
        });
        let meta = std::mem::take(&mut batch.meta);
        Self {
            choices,
            meta,
            ..Self::for_training(batch, device)
        }
    }

    /// A batch for a training step: inputs and the loss's targets only. Forced-choice rows and
    /// metadata serve evaluation alone, so the hot path does not build them.
    pub fn for_training(batch: Batch, device: Device) -> Self {
        let (b, t) = (batch.size as i64, batch.steps as i64);
        let x = match &batch.inputs {
            Inputs::Dense { values, channels } => {
                Tensor::from_slice(values).view([b, t, *channels as i64])
            }
            Inputs::Tokens { ids, .. } => Tensor::from_slice(ids).view([b, t]),
        };
        let target = match &batch.targets {
            Targets::PerStep {
                classes,
                mask,
                recall,
                num_classes,
            } => DeviceTargets::PerStep {
                classes: Tensor::from_slice(classes).view([b, t]).to_device(device),
                mask: Tensor::from_slice(mask).view([b, t]).to_device(device),
                recall: Tensor::from_slice(recall).view([b, t]).to_device(device),
                num_classes: *num_classes as i64,
            },
            Targets::LastClass { classes, .. } => {
                DeviceTargets::LastClass(Tensor::from_slice(classes).to_device(device))
            }
            Targets::LastValue { values } => DeviceTargets::LastValue(
                Tensor::from_slice(values)
                    .to_kind(Kind::Float)
                    .to_device(device),
            ),
        };
        let lengths = batch.lengths.as_ref().map(|l| {
            // The model indexes rows with these; a bad one would read another example.
            assert!(
                l.len() == batch.size && l.iter().all(|&n| (1..=batch.steps).contains(&n)),
                "a batch of {} examples of {} steps has lengths {l:?}",
                batch.size,
                batch.steps
            );
            let l: Vec<i64> = l.iter().map(|&n| n as i64).collect();
            Tensor::from_slice(&l).to_device(device)
        });
        Self {
            x: x.to_device(device),
            lengths,
            target,
            size: batch.size,
            choices: None,
            meta: Vec::new(),
        }
    }
}
