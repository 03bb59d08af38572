//! What the run config accepts, read off the config types themselves.
//!
//! Field lists come from the types' own `Deserialize` impls (see [`fields_of`]), so a field added
//! to `ModelConfig` is known here without an edit; type checks deserialise the owning struct with
//! just that one field set, so the rules are exactly serde's. Only the nesting (which fields are
//! themselves mappings) and the list of task kinds are written out below.
use serde::de::{self, Deserialize, Visitor};
use serde::Serialize;
use serde_yaml::{Mapping, Value};

use crate::{
    AddingConfig, AgreementConfig, Clip, CopyConfig, Criterion, Diverged, ModelConfig, RunConfig,
    StopConfig, TaskConfig, TemporalOrderConfig, TrainConfig,
};

/// The names of a derived struct's fields, as its `Deserialize` impl hands them to
/// `deserialize_struct` (renames applied). Empty for anything that is not a struct.
pub(crate) fn fields_of<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Spy(&mut fields));
    fields
}

/// A deserializer that only records what a struct asks for, then gives up.
struct Spy<'a>(&'a mut &'static [&'static str]);

impl<'de> de::Deserializer<'de> for Spy<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("introspection only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("introspection only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The task kinds, in the order the docs list them. A test checks serde agrees.
pub(crate) const TASK_KINDS: &[&str] = &[
    "copy",
    "adding",
    "temporal_order",
    "agreement",
    "treebank_agreement",
    "text",
];

/// The fields of a task kind besides `kind`.
pub(crate) fn task_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "copy" => fields_of::<CopyConfig>(),
        "adding" => fields_of::<AddingConfig>(),
        "temporal_order" => fields_of::<TemporalOrderConfig>(),
        "agreement" => fields_of::<AgreementConfig>(),
        "treebank_agreement" => fields_of::<crate::TreebankAgreementConfig>(),
        "text" => fields_of::<crate::TextConfig>(),
        _ => return None,
    })
}

/// A mapping in the run config.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// The run config itself: `task`, `model`, `train`, `stop`.
    Run,
    /// `task` of a known kind.
    Task(String),
    /// `task` when the kind is not known: any kind's fields are accepted.
    AnyTask,
    Model,
    Train,
    Clip,
    Stop,
    Criterion,
    Diverged,
}

impl Node {
    /// How messages name this mapping.
    pub(crate) fn name(&self) -> String {
        match self {
            Node::Run => "the run config".into(),
            Node::Task(kind) => format!("task kind `{kind}`"),
            Node::AnyTask => "task".into(),
            Node::Model => "model".into(),
            Node::Train => "train".into(),
            Node::Clip => "train.clip".into(),
            Node::Stop => "stop".into(),
            Node::Criterion => "stop.solved".into(),
            Node::Diverged => "stop.diverged".into(),
        }
    }

    /// The keys this mapping accepts.
    pub(crate) fn fields(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = match self {
            Node::Run => fields_of::<RunConfig>().to_vec(),
            Node::Task(kind) => task_fields(kind).unwrap_or(&[]).to_vec(),
            Node::AnyTask => TASK_KINDS
                .iter()
                .flat_map(|k| task_fields(k).unwrap_or(&[]).iter().copied())
                .collect(),
            Node::Model => fields_of::<ModelConfig>().to_vec(),
            Node::Train => fields_of::<TrainConfig>().to_vec(),
            Node::Clip => fields_of::<Clip>().to_vec(),
            Node::Stop => fields_of::<StopConfig>().to_vec(),
            Node::Criterion => fields_of::<Criterion>().to_vec(),
            Node::Diverged => fields_of::<Diverged>().to_vec(),
        };
        if matches!(self, Node::Task(_) | Node::AnyTask) {
            out.insert(0, "kind");
        }
        let mut seen = std::collections::BTreeSet::new();
        out.retain(|f| seen.insert(*f));
        out
    }

    /// The node below `field` when that field is itself a mapping; `None` for values.
    pub(crate) fn child(&self, field: &str) -> Option<Node> {
        Some(match (self, field) {
            (Node::Run, "task") => Node::AnyTask,
            (Node::Run, "model") => Node::Model,
            (Node::Run, "train") => Node::Train,
            (Node::Run, "stop") => Node::Stop,
            (Node::Train, "clip") => Node::Clip,
            (Node::Stop, "solved") => Node::Criterion,
            (Node::Stop, "diverged") => Node::Diverged,
            _ => return None,
        })
    }

    /// Whether `value` is acceptable for `field` of this mapping, judged by deserialising the
    /// owning type with only that field set. The error is serde's message.
    pub(crate) fn probe(&self, field: &str, value: &Value) -> Result<(), String> {
        let mut map = Mapping::new();
        map.insert(Value::from(field), value.clone());
        let doc = |mut map: Mapping, extra: &[(&str, Value)]| {
            for (k, v) in extra {
                if !map.contains_key(*k) {
                    map.insert(Value::from(*k), v.clone());
                }
            }
            Value::Mapping(map)
        };
        let result = match self {
            Node::Run => serde_yaml::from_value::<u64>(value.clone()).map(drop),
            Node::Task(kind) => serde_yaml::from_value::<TaskConfig>(doc(
                map,
                &[("kind", Value::from(kind.as_str()))],
            ))
            .map(drop),
            Node::AnyTask => Ok(()),
            Node::Model => serde_yaml::from_value::<ModelConfig>(doc(map, &[])).map(drop),
            Node::Train => serde_yaml::from_value::<TrainConfig>(doc(map, &[])).map(drop),
            Node::Clip => serde_yaml::from_value::<Clip>(doc(map, &[])).map(drop),
            Node::Stop => serde_yaml::from_value::<StopConfig>(doc(map, &[])).map(drop),
            Node::Criterion => {
                serde_yaml::from_value::<Criterion>(doc(map, &[("metric", Value::from("m"))]))
                    .map(drop)
            }
            Node::Diverged => serde_yaml::from_value::<Diverged>(doc(map, &[])).map(drop),
        };
        result.map_err(|e| e.to_string())
    }

    /// The field's default, to show as an example of a valid value.
    pub(crate) fn default_of(&self, field: &str) -> Option<Value> {
        let whole = match self {
            Node::Task(kind) => {
                let mut map = Mapping::new();
                map.insert(Value::from("kind"), Value::from(kind.as_str()));
                let task: TaskConfig = serde_yaml::from_value(Value::Mapping(map)).ok()?;
                to_value(&task)
            }
            Node::Model => to_value(&ModelConfig::default()),
            Node::Train => to_value(&TrainConfig::default()),
            Node::Clip => to_value(&Clip::default()),
            Node::Diverged => to_value(&Diverged::default()),
            _ => None,
        }?;
        whole.get(field).filter(|v| !v.is_null()).cloned()
    }
}

fn to_value<T: Serialize>(v: &T) -> Option<Value> {
    serde_yaml::to_value(v).ok()
}

/// Why a dotted config path (a grid axis, an exclude or claim key) is not in the schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PathProblem {
    /// How many leading segments were fine.
    pub depth: usize,
    pub message: String,
}

/// Checks that `model.cell`, `task.length`, `train.clip.max`, ... names something in the run
/// config, whether or not the sweep's base sets it. Task fields are accepted if any task kind
/// has them; the resolved runs are checked against their own kind later.
pub(crate) fn check_config_path(dotted: &str) -> Result<(), PathProblem> {
    let segs: Vec<&str> = dotted.split('.').collect();
    let mut node = Node::Run;
    for (depth, seg) in segs.iter().enumerate() {
        let fields = node.fields();
        if node == Node::Run && *seg == "seed" {
            return Err(PathProblem {
                depth,
                message: "the seed is not a config path: list seeds in the top-level `seeds:`"
                    .into(),
            });
        }
        if !fields.contains(seg) {
            let within = if depth == 0 {
                "the run config".to_string()
            } else {
                format!("`{}`", segs[..depth].join("."))
            };
            return Err(PathProblem {
                depth,
                message: format!(
                    "`{seg}` is not a field of {within}{}; expected one of {}",
                    crate::suggest::did_you_mean(seg, fields.iter().copied()),
                    crate::suggest::list(fields.iter().copied()),
                ),
            });
        }
        match node.child(seg) {
            Some(child) => node = child,
            None if depth + 1 < segs.len() => {
                return Err(PathProblem {
                    depth: depth + 1,
                    message: format!(
                        "`{}` is a value, not a mapping: nothing lies below it",
                        segs[..=depth].join(".")
                    ),
                });
            }
            None => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_come_from_the_types() {
        let model = Node::Model.fields();
        assert!(model.contains(&"hidden") && model.contains(&"bidirectional"));
        assert_eq!(Node::Clip.fields(), vec!["kind", "max"]);
        assert_eq!(Node::Task("adding".into()).fields(), vec!["kind", "length"]);
        assert!(Node::AnyTask.fields().contains(&"max_attractors"));
    }

    #[test]
    fn task_kinds_match_serde() {
        for kind in TASK_KINDS {
            let yaml = format!("kind: {kind}");
            serde_yaml::from_str::<TaskConfig>(&yaml).unwrap();
            assert!(task_fields(kind).is_some());
        }
        let err = serde_yaml::from_str::<TaskConfig>("kind: nope").unwrap_err();
        for kind in TASK_KINDS {
            assert!(err.to_string().contains(&format!("`{kind}`")), "{err}");
        }
    }

    #[test]
    fn probes_judge_one_field_with_serde_rules() {
        assert!(Node::Model.probe("hidden", &Value::from(8)).is_ok());
        let err = Node::Model
            .probe("hidden", &Value::from("big"))
            .unwrap_err();
        assert!(err.contains("expected usize"), "{err}");
        assert!(Node::Model.probe("cell", &Value::from("lsmt")).is_err());
        let copy = Node::Task("copy".into());
        assert!(copy.probe("symbols", &Value::from(4)).is_ok());
        assert!(Node::Criterion.probe("at_least", &Value::from(0.9)).is_ok());
        assert_eq!(Node::Model.default_of("hidden"), Some(Value::from(64)));
    }

    #[test]
    fn config_paths_are_checked_against_the_schema() {
        assert!(check_config_path("model.skip").is_ok());
        assert!(check_config_path("train.clip.max").is_ok());
        assert!(check_config_path("stop.diverged.evaluations").is_ok());
        assert!(check_config_path("task.max_attractors").is_ok());
        let err = check_config_path("model.hiden").unwrap_err();
        assert_eq!(err.depth, 1);
        assert!(
            err.message.contains("did you mean `hidden`"),
            "{}",
            err.message
        );
        assert!(check_config_path("model.hidden.x").is_err());
        assert!(check_config_path("seed")
            .unwrap_err()
            .message
            .contains("seeds"));
    }
}
