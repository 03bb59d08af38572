use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{ModelConfig, StopConfig, TaskConfig, TrainConfig};

/// One fully resolved training run: what `runs/<id>/config.yaml` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    pub task: TaskConfig,
    #[serde(default)]
    pub model: ModelConfig,
    #[serde(default)]
    pub train: TrainConfig,
    #[serde(default)]
    pub stop: StopConfig,
    /// The run's seed: all of its randomness (data, initialisation, dropout) derives from it.
    pub seed: u64,
}

impl RunConfig {
    /// The run id: the first 12 hex digits of the SHA-256 of the config's canonical JSON
    /// (every field written out with defaults filled in, object keys sorted, no whitespace;
    /// `stop.diverged` only when it is not its default, so its introduction kept the ids).
    ///
    /// It depends only on what the run computes, not on the sweep it came from or the order
    /// of keys in the YAML, so it is the same on every machine and changes exactly when the
    /// resolved config does (adding a field to the schema therefore changes every id).
    /// `train.checkpoint_every` is left out: how often a run saves its state does not change
    /// its numbers.
    pub fn id(&self) -> String {
        let digest = Sha256::digest(self.canonical_json().as_bytes());
        digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
    }

    /// The text the run id hashes: compact JSON, object keys sorted by their bytes, numbers
    /// as serde_json writes them (shortest round-trip form, `1.0` for whole floats).
    pub fn canonical_json(&self) -> String {
        let mut value = serde_json::to_value(self).expect("a RunConfig is always valid JSON");
        if let Some(train) = value.get_mut("train").and_then(|t| t.as_object_mut()) {
            train.remove("checkpoint_every");
        }
        let mut out = String::new();
        write_sorted(&value, &mut out);
        out
    }
}

/// Writes JSON with sorted keys ourselves: serde_json's own order depends on whether any crate
/// in the build enables its `preserve_order` feature, and ids must not.
fn write_sorted(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_sorted(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sorted(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A run of an expanded sweep: its config, id, and the parameters that vary across the sweep
/// (in the sweep's order: variant, grid paths, seed), for tables and progress lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: String,
    pub config: RunConfig,
    pub params: Vec<(String, String)>,
}

impl Run {
    pub fn new(config: RunConfig, params: Vec<(String, String)>) -> Self {
        Self {
            id: config.id(),
            config,
            params,
        }
    }

    /// `cell=lstm task.length=100 seed=1`: the varying parameters as one line.
    pub fn label(&self) -> String {
        let parts: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AddingConfig;

    fn config(seed: u64) -> RunConfig {
        RunConfig {
            task: TaskConfig::Adding(AddingConfig { length: 50 }),
            model: ModelConfig::default(),
            train: TrainConfig::default(),
            stop: StopConfig::default(),
            seed,
        }
    }

    /// Pinned: if this changes, every stored result would be re-run. Adding a config field
    /// changes it on purpose (docs/sweeps.md, "Run ids"); update the literal then.
    #[test]
    fn id_is_pinned() {
        let c = config(1);
        assert!(c
            .canonical_json()
            .starts_with(r#"{"model":{"bidirectional":false,"cell":"lstm","dropout":0.0,"#));
        assert!(c
            .canonical_json()
            .contains(r#""seed":1,"stop":{"solved":null},"task":{"kind":"adding","length":50}"#));
        assert_eq!(c.id(), "9834c2de79be");
    }

    #[test]
    fn id_is_pinned_and_changes_with_the_config() {
        let a = config(1);
        // Pinned: a change here means every stored result would be re-run.
        assert_eq!(a.id().len(), 12);
        assert_eq!(a.id(), config(1).id());
        assert_ne!(a.id(), config(2).id());
        let mut b = config(1);
        b.model.hidden += 1;
        assert_ne!(a.id(), b.id());
        let mut c = config(1);
        c.stop.diverged = crate::Diverged::off();
        assert_ne!(a.id(), c.id());
        c.stop.diverged = crate::Diverged::default();
        assert_eq!(a.id(), c.id());
        c.train.checkpoint_every = Some(7);
        assert_eq!(
            a.id(),
            c.id(),
            "checkpoints do not change what a run computes"
        );
    }
}
