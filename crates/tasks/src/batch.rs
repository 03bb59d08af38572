use std::collections::BTreeMap;

/// A batch of examples as plain arrays, batch-major: element (b, t, c) of a `[batch, steps,
/// channels]` array is at `(b * steps + t) * channels + c`.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub size: usize,
    pub steps: usize,
    pub inputs: Inputs,
    pub targets: Targets,
    /// Per-example metadata for breakdowns (agreement: attractors, distance, ...).
    pub meta: Vec<Meta>,
}

/// Per-example metadata: named values, in name order.
pub type Meta = BTreeMap<&'static str, String>;

#[derive(Debug, Clone, PartialEq)]
pub enum Inputs {
    /// Real-valued inputs `[size, steps, channels]` (one-hot symbols, or the adding problem's
    /// values and markers).
    Dense { values: Vec<f32>, channels: usize },
    /// Token ids `[size, steps]`, to be embedded; sequences shorter than `steps` are padded
    /// on the left with id 0, so the last step is always the real last token.
    Tokens { ids: Vec<i64>, vocab: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// A class per step `[size, steps]`, with a loss mask `[size, steps]` (1 where the step
    /// counts) and a recall mask marking the steps reported as `recall_accuracy`.
    PerStep {
        classes: Vec<i64>,
        mask: Vec<f32>,
        recall: Vec<f32>,
        num_classes: usize,
    },
    /// A class per example `[size]`, read at the last step.
    LastClass {
        classes: Vec<i64>,
        num_classes: usize,
    },
    /// A real value per example `[size]`, read at the last step.
    LastValue { values: Vec<f32> },
}
