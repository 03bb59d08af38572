//! Examples rendered for a person to read (`rnnlab tasks sample`): one text form and one JSON
//! object per example, so that a user can see what a task asks before training on it.
use serde_json::{json, Value};

use crate::{Batch, Task};

/// One example of a batch, readable.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// One or more lines of text, without a trailing newline.
    pub text: String,
    /// The same example as a JSON object (one line of `--format jsonl`).
    pub json: Value,
}

/// Example `i` of `batch`, which `task` generated, as text and JSON.
///
/// # Panics
/// When `i` is not below `batch.size`.
pub fn describe(task: &dyn Task, batch: &Batch, i: usize) -> Example {
    assert!(i < batch.size, "example {i} of a batch of {}", batch.size);
    task.describe(batch, i)
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

    #[test]
    fn runs_longer_than_three_are_counted() {
        let s = |v: &[&str]| run_length(v.iter().map(|x| x.to_string()));
        assert_eq!(s(&["1", "_", "_", "_", "_", ":", "_"]), "1 _×4 : _");
        assert_eq!(s(&["_", "_", "_"]), "_ _ _");
        assert_eq!(s(&[]), "");
    }
}
