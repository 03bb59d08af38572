//! Examples rendered for a person to read (`rnnlab tasks sample`): one text form and one JSON
//! object per example, so that a user can see what a task asks before training on it, and
//! load the very numbers a model is fed (`--format jsonl`, one object per line, which
//! `pandas.read_json(path, lines=True)` reads as is).
use serde_json::{json, Map, Number, Value};

use crate::{Batch, Inputs, Targets, Task};

/// One example of a batch, readable.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// One or more lines of text, without a trailing newline.
    pub text: String,
    /// The same example as one flat JSON object (one line of `--format jsonl`): the data as
    /// numbers (see [`data_json`]), the metadata, the task's own readable fields and `text`.
    pub json: Value,
}

/// Example `i` of `batch`, which `task` generated, as text and JSON.
///
/// # Panics
/// When `i` is not below `batch.size`.
pub fn describe(task: &dyn Task, batch: &Batch, i: usize) -> Example {
    assert!(i < batch.size, "example {i} of a batch of {}", batch.size);
    let example = task.describe(batch, i);
    let mut object = data_json(batch, i);
    for (k, v) in meta_json(batch, i).as_object().into_iter().flatten() {
        object.entry(k.clone()).or_insert_with(|| v.clone());
    }
    if let Value::Object(own) = &example.json {
        for (k, v) in own {
            object.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    object.insert("text".into(), json!(example.text));
    Example {
        text: example.text,
        json: Value::Object(object),
    }
}

/// Example `i`'s data exactly as a model is fed and scored, as numbers:
/// - `inputs`: symbol ids per step where every step is one-hot (copy, temporal order), token
///   ids (agreement), else one array of channel values per step (adding: `[value, marker]`);
/// - `targets` (a class per step) with `mask` (the loss mask) and `recall` (the steps scored
///   as `recall_accuracy`), or `target` (one class or value, read at the last step);
/// - `length`, the real steps (padding is left out) and `readout`.
///
/// Floats are written by their shortest `f32` form (0.7265, not 0.72650003...), which reads
/// back to the same `f32`.
pub fn data_json(batch: &Batch, i: usize) -> Map<String, Value> {
    let (steps, length) = (batch.steps, batch.length(i));
    let row = |t: usize| i * steps + t;
    let mut out = Map::new();
    let inputs = match &batch.inputs {
        Inputs::Tokens { ids, .. } => json!(ids[row(0)..row(length)]),
        Inputs::Dense { values, channels } => {
            let step = |t: usize| &values[row(t) * channels..(row(t) + 1) * channels];
            let one_hot = |t: usize| {
                let v = step(t);
                let hot = v.iter().filter(|&&x| x == 1.0).count();
                (hot == 1 && v.iter().all(|&x| x == 0.0 || x == 1.0))
                    .then(|| v.iter().position(|&x| x == 1.0))
                    .flatten()
            };
            match (0..length).map(one_hot).collect::<Option<Vec<usize>>>() {
                Some(symbols) => json!(symbols),
                None => Value::Array(
                    (0..length)
                        .map(|t| Value::Array(step(t).iter().map(|&x| float(x)).collect()))
                        .collect(),
                ),
            }
        }
    };
    out.insert("inputs".into(), inputs);
    let floats = |v: &[f32]| Value::Array(v.iter().map(|&x| float(x)).collect());
    let readout = match &batch.targets {
        Targets::PerStep {
            classes,
            mask,
            recall,
            ..
        } => {
            let span = row(0)..row(length);
            out.insert("targets".into(), json!(classes[span.clone()]));
            out.insert("mask".into(), floats(&mask[span.clone()]));
            out.insert("recall".into(), floats(&recall[span]));
            "per_step"
        }
        Targets::LastClass { classes, .. } => {
            out.insert("target".into(), json!(classes[i]));
            "last_class"
        }
        Targets::LastValue { values } => {
            out.insert("target".into(), float(values[i]));
            "last_value"
        }
    };
    out.insert("length".into(), json!(length));
    out.insert("readout".into(), json!(readout));
    out
}

/// An `f32` as the JSON number of its shortest decimal form; non-finite values (which no
/// generator makes) as null, JSON having no NaN.
fn float(x: f32) -> Value {
    x.to_string()
        .parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// Joins symbols with spaces, writing a run of more than three equal symbols as
/// `symbol×count`, so that the long blank stretches of copy sequences stay one line.
pub(crate) fn run_length(symbols: impl IntoIterator<Item = String>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(String, usize)> = None;
    let flush = |out: &mut Vec<String>, run: Option<(String, usize)>| {
        if let Some((s, n)) = run {
            if n > 3 {
                out.push(format!("{s}×{n}"));
            } else {
                out.extend(std::iter::repeat_n(s, n));
            }
        }
    };
    for s in symbols {
        match &mut run {
            Some((r, n)) if *r == s => *n += 1,
            _ => flush(&mut out, run.replace((s, 1))),
        }
    }
    flush(&mut out, run);
    out.join(" ")
}

/// The metadata of example `i` as a JSON object; values that parse as integers become
/// numbers.
pub(crate) fn meta_json(batch: &Batch, i: usize) -> Value {
    let map = batch.meta[i]
        .iter()
        .map(|(k, v)| {
            let value = v.parse::<i64>().map_or_else(|_| json!(v), |n| json!(n));
            (k.to_string(), value)
        })
        .collect();
    Value::Object(map)
}

/// The metadata of example `i` as `key=value` pairs, skipping `hidden` keys.
pub(crate) fn meta_text(batch: &Batch, i: usize, hidden: &[&str]) -> String {
    batch.meta[i]
        .iter()
        .filter(|(k, _)| !hidden.contains(k))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Meta;

    #[test]
    fn data_json_writes_one_hot_steps_as_ids_and_other_steps_as_values() {
        let dense = |values: Vec<f32>| Batch {
            size: 1,
            steps: 2,
            inputs: Inputs::Dense {
                values,
                channels: 2,
            },
            targets: Targets::LastValue {
                values: vec![0.7265],
            },
            lengths: None,
            meta: vec![Meta::new()],
        };
        let one_hot = data_json(&dense(vec![0.0, 1.0, 1.0, 0.0]), 0);
        assert_eq!(one_hot["inputs"], json!([1, 0]));
        assert_eq!(one_hot["target"].to_string(), "0.7265");
        let values = data_json(&dense(vec![0.25, 1.0, 0.5, 0.0]), 0);
        assert_eq!(values["inputs"], json!([[0.25, 1.0], [0.5, 0.0]]));
        assert_eq!(values["readout"], json!("last_value"));
    }

    #[test]
    fn data_json_leaves_padding_out_of_token_rows() {
        let batch = Batch {
            size: 2,
            steps: 3,
            inputs: Inputs::Tokens {
                ids: vec![5, 6, 7, 8, 9, 0],
                vocab: 10,
            },
            targets: Targets::PerStep {
                classes: vec![6, 7, 1, 9, 2, 0],
                mask: vec![0.0, 0.0, 1.0, 0.0, 1.0, 0.0],
                recall: vec![0.0; 6],
                num_classes: 10,
            },
            lengths: Some(vec![3, 2]),
            meta: vec![Meta::new(); 2],
        };
        let second = data_json(&batch, 1);
        assert_eq!(second["inputs"], json!([8, 9]));
        assert_eq!(second["targets"], json!([9, 2]));
        assert_eq!(second["mask"], json!([0.0, 1.0]));
        assert_eq!(second["length"], json!(2));
    }

    #[test]
    fn runs_longer_than_three_are_counted() {
        let s = |v: &[&str]| run_length(v.iter().map(|x| x.to_string()));
        assert_eq!(s(&["1", "_", "_", "_", "_", ":", "_"]), "1 _×4 : _");
        assert_eq!(s(&["_", "_", "_"]), "_ _ _");
        assert_eq!(s(&[]), "");
    }
}
