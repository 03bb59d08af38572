use serde::{Deserialize, Serialize};

/// Which task a run trains on, and its parameters. YAML: `task: { kind: copy, length: 100 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskConfig {
    Copy(CopyConfig),
    Adding(AddingConfig),
    TemporalOrder(TemporalOrderConfig),
    Agreement(AgreementConfig),
}

impl TaskConfig {
    /// The YAML name of the task (`copy`, `adding`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            TaskConfig::Copy(_) => "copy",
            TaskConfig::Adding(_) => "adding",
            TaskConfig::TemporalOrder(_) => "temporal_order",
            TaskConfig::Agreement(_) => "agreement",
        }
    }

    /// True for tasks trained as a next-token language model, which a bidirectional encoder
    /// would solve by reading the answer.
    pub fn is_language_model(&self) -> bool {
        matches!(self, TaskConfig::Agreement(a) if a.form == AgreementForm::LanguageModel)
    }
}

/// Copy memory (Hochreiter & Schmidhuber 1997; layout of Arjovsky, Shah & Bengio 2016).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CopyConfig {
    /// The gap T: blanks between the data and the delimiter, plus one. Default 100.
    pub length: usize,
    /// Number of distinct data symbols. Default 8.
    pub symbols: usize,
    /// Number of data symbols to recall. Default 10.
    pub recall: usize,
}

impl Default for CopyConfig {
    fn default() -> Self {
        Self {
            length: 100,
            symbols: 8,
            recall: 10,
        }
    }
}

/// The adding problem (Hochreiter & Schmidhuber 1997, Exp. 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AddingConfig {
    /// Sequence length T. Default 100.
    pub length: usize,
}

impl Default for AddingConfig {
    fn default() -> Self {
        Self { length: 100 }
    }
}

/// Temporal order (Hochreiter & Schmidhuber 1997, Exp. 6a; layout of Pascanu et al. 2013).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemporalOrderConfig {
    /// Sequence length L. Default 100.
    pub length: usize,
    /// Relevant symbols per sequence: 2 (4 classes) or 3 (8 classes). Default 2.
    pub positions: usize,
}

impl Default for TemporalOrderConfig {
    fn default() -> Self {
        Self {
            length: 100,
            positions: 2,
        }
    }
}

/// How an agreement task is posed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementForm {
    /// Read the prefix up to the verb, classify the verb's number (Linzen et al. 2016).
    #[default]
    Number,
    /// Next-token model; right when the correct verb form is more probable than the wrong one.
    LanguageModel,
}

/// Subject-verb number agreement over a synthetic English grammar (Linzen et al. 2016).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgreementConfig {
    /// `number` (default) or `language_model`.
    pub form: AgreementForm,
    /// Largest number of attractors in training sentences. Default 2.
    pub max_attractors: usize,
    /// Largest number of attractors in valid/test sentences (generalisation when larger than
    /// `max_attractors`). Default: the same as `max_attractors`.
    pub test_max_attractors: Option<usize>,
    /// Largest number of modifiers (PPs and relative clauses) between subject and verb. Default 3.
    pub max_modifiers: usize,
    /// Largest number of number-neutral adjectives/adverbs added to stretch the distance. Default 2.
    pub max_fillers: usize,
}

impl Default for AgreementConfig {
    fn default() -> Self {
        Self {
            form: AgreementForm::Number,
            max_attractors: 2,
            test_max_attractors: None,
            max_modifiers: 3,
            max_fillers: 2,
        }
    }
}
