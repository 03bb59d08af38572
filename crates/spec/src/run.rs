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
    /// (every field written out with defaults filled in, object keys sorted, no whitespace).
    ///
    /// It depends only on what the run computes, not on the sweep it came from or the order
    /// of keys in the YAML, so it is the same on every machine and changes exactly when the
    /// resolved config does (adding a field to the schema therefore changes every id).
    pub fn id(&self) -> String {
        // serde_json::Value's maps are BTreeMaps: serialising through a Value sorts the keys.
        let canonical = serde_json::to_value(self).expect("a RunConfig is always valid JSON");
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
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
    }
}
