use serde::{Deserialize, Serialize};

use crate::TaskMetrics;

/// Which task a run trains on, and its parameters. YAML: `task: { kind: copy, length: 100 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskConfig {
    Copy(CopyConfig),
    Adding(AddingConfig),
    TemporalOrder(TemporalOrderConfig),
    Agreement(AgreementConfig),
    TreebankAgreement(crate::TreebankAgreementConfig),
    Text(crate::TextConfig),
}

impl TaskConfig {
    /// The YAML name of the task (`copy`, `adding`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            TaskConfig::Copy(_) => "copy",
            TaskConfig::Adding(_) => "adding",
            TaskConfig::TemporalOrder(_) => "temporal_order",
            TaskConfig::Agreement(_) => "agreement",
            TaskConfig::TreebankAgreement(_) => "treebank_agreement",
            TaskConfig::Text(_) => "text",
        }
    }

    /// The task kind's metrics, from the [catalogue](crate::metric).
    pub fn metrics(&self) -> &'static TaskMetrics {
        crate::metric::task(self.kind()).expect("the catalogue lists every task kind")
    }

    /// True for tasks trained as a next-token language model, which a bidirectional encoder
    /// would solve by reading the answer.
    pub fn is_language_model(&self) -> bool {
        matches!(self, TaskConfig::Agreement(a) if a.form == AgreementForm::LanguageModel)
            || matches!(self, TaskConfig::Text(_))
    }

    /// Range checks of the task's parameters: `Err` names the first out-of-range field
    /// (relative to `task.`) and says why. The generators rely on these holding.
    pub fn check(&self) -> Result<(), String> {
        match self {
            TaskConfig::Copy(c) => c.check(),
            TaskConfig::Adding(c) => c.check(),
            TaskConfig::TemporalOrder(c) => c.check(),
            TaskConfig::Agreement(c) => c.check(),
            TaskConfig::TreebankAgreement(c) => c.check(),
            TaskConfig::Text(c) => c.check(),
        }
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

impl CopyConfig {
    /// `length`, `symbols` and `recall` must each be at least 1.
    pub fn check(&self) -> Result<(), String> {
        positive("length", self.length)?;
        positive("symbols", self.symbols)?;
        positive("recall", self.recall)
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

impl AddingConfig {
    /// `length` must be at least 2: one marker in each half.
    pub fn check(&self) -> Result<(), String> {
        if self.length < 2 {
            return Err(format!(
                "length: {} is below 2 (one marker per half)",
                self.length
            ));
        }
        Ok(())
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

impl TemporalOrderConfig {
    /// `positions` must be 2 or 3; `length` at least 10, so that every position window
    /// (a tenth of the sequence wide) holds at least one step.
    pub fn check(&self) -> Result<(), String> {
        if !(2..=3).contains(&self.positions) {
            return Err(format!("positions: {} is not 2 or 3", self.positions));
        }
        if self.length < 10 {
            return Err(format!("length: {} is below 10", self.length));
        }
        Ok(())
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

/// The intervener constructions an agreement sentence may use (Marvin & Linzen 2018).
pub const AGREEMENT_CONSTRUCTIONS: [&str; 3] = ["pp", "subject_rc", "object_rc"];

/// Where an agreement sentence sets its agreeing clause (see [`AgreementConfig::frames`]).
pub const AGREEMENT_FRAMES: [&str; 5] = [
    "main",
    "complement",
    "coordination",
    "within_object_rc",
    "fronted_pp",
];

/// Largest number of modifiers between subject and verb that the generator accepts.
pub const AGREEMENT_MAX_MODIFIERS: usize = 8;

/// Subject-verb number agreement over a synthetic English grammar (Linzen et al. 2016).
///
/// Sentences are `Det Adj* N_subj Modifier^k Adv* V ...`, each modifier holding one noun.
/// Training and valid sentences follow the plain fields; test sentences follow the `test_*`
/// fields, which default to the training values: set them apart for generalisation (train on
/// at most 1 attractor, test on 0..4; train on short distances, test on long ones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgreementConfig {
    /// `number` (default) or `language_model`.
    pub form: AgreementForm,
    /// Largest number of attractors (intervening nouns of the other number than the subject)
    /// in train and valid sentences. The count is drawn uniformly over `0..=max_attractors`
    /// (`1..` when `interveners_agree` is false); counts that the distance bounds cannot
    /// accommodate are redrawn. Default 2.
    pub max_attractors: usize,
    /// Largest number of modifiers (PPs and relative clauses, one noun each) between subject
    /// and verb in train and valid sentences. Default 3.
    pub max_modifiers: usize,
    /// Largest number of number-neutral filler words (adjectives inside the modifiers' noun
    /// phrases, adverbs before the verb) in train and valid sentences; they stretch the
    /// distance without adding nouns. Default 2.
    pub max_fillers: usize,
    /// Smallest distance (tokens strictly between the subject's head noun and the verb) in
    /// train and valid sentences. Default 0.
    pub min_distance: usize,
    /// Largest distance in train and valid sentences. Default: none (bounded by the grammar).
    pub max_distance: Option<usize>,
    /// `true`: all intervening nouns share one number; `false`: they mix both numbers (needs
    /// 2 modifiers and 1 attractor at least); unset: either. Applies to every split.
    /// Default: unset.
    pub interveners_agree: Option<bool>,
    /// The modifier kinds to draw from, among `pp` ("near the N"), `subject_rc` ("that V the
    /// N") and `object_rc` ("(that) the N V", always the last modifier). Applies to every
    /// split. Default: all three.
    pub constructions: Vec<String>,
    /// `max_attractors` of test sentences. Default: `max_attractors`.
    pub test_max_attractors: Option<usize>,
    /// `max_modifiers` of test sentences. Default: the larger of `max_modifiers` and the test
    /// attractor maximum.
    pub test_max_modifiers: Option<usize>,
    /// `max_fillers` of test sentences. Default: `max_fillers`.
    pub test_max_fillers: Option<usize>,
    /// `min_distance` of test sentences. Default: `min_distance`.
    pub test_min_distance: Option<usize>,
    /// `max_distance` of test sentences. Default: `max_distance`.
    pub test_max_distance: Option<usize>,
    /// The frames the agreeing clause (subject, modifiers, adverbs) is set in, one drawn
    /// uniformly per sentence: `main` (the clause is the sentence, its subject the first
    /// noun), `complement` ("the N knows that" + clause), `coordination` (clause + "V and":
    /// the second verb), `within_object_rc` ("the N (that)" + clause: the relative clause's
    /// own verb), `fronted_pp` ("near the N" + clause). Default: unset, `main` only; left out
    /// of the run id while unset, so it kept every existing id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<Vec<String>>,
}

impl Default for AgreementConfig {
    fn default() -> Self {
        Self {
            form: AgreementForm::Number,
            max_attractors: 2,
            max_modifiers: 3,
            max_fillers: 2,
            min_distance: 0,
            max_distance: None,
            interveners_agree: None,
            constructions: AGREEMENT_CONSTRUCTIONS.map(String::from).to_vec(),
            test_max_attractors: None,
            test_max_modifiers: None,
            test_max_fillers: None,
            test_min_distance: None,
            test_max_distance: None,
            frames: None,
        }
    }
}

/// The sentence distribution of one split of an agreement task, defaults resolved (fields as
/// in [`AgreementConfig`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementLimits {
    pub max_attractors: usize,
    pub max_modifiers: usize,
    pub max_fillers: usize,
    pub min_distance: usize,
    pub max_distance: Option<usize>,
}

impl AgreementConfig {
    /// The limits of train and valid sentences.
    pub fn train_limits(&self) -> AgreementLimits {
        AgreementLimits {
            max_attractors: self.max_attractors,
            max_modifiers: self.max_modifiers,
            max_fillers: self.max_fillers,
            min_distance: self.min_distance,
            max_distance: self.max_distance,
        }
    }

    /// The limits of test sentences, each unset `test_*` field taking its default.
    pub fn test_limits(&self) -> AgreementLimits {
        let max_attractors = self.test_max_attractors.unwrap_or(self.max_attractors);
        AgreementLimits {
            max_attractors,
            max_modifiers: self
                .test_max_modifiers
                .unwrap_or(self.max_modifiers.max(max_attractors)),
            max_fillers: self.test_max_fillers.unwrap_or(self.max_fillers),
            min_distance: self.test_min_distance.unwrap_or(self.min_distance),
            max_distance: self.test_max_distance.or(self.max_distance),
        }
    }

    /// Range checks: attractors within modifiers, at most [`AGREEMENT_MAX_MODIFIERS`]
    /// modifiers, known and distinct constructions, ordered distance bounds, and a mixed
    /// intervener setting that can be met. Whether some sentence falls within the distance
    /// bounds is checked by the generator (`rnnlab_tasks::try_build`).
    pub fn check(&self) -> Result<(), String> {
        if self.constructions.is_empty() {
            return Err(
                "constructions: empty; name at least one of pp, subject_rc, object_rc".into(),
            );
        }
        for (i, c) in self.constructions.iter().enumerate() {
            if !AGREEMENT_CONSTRUCTIONS.contains(&c.as_str()) {
                return Err(format!(
                    "constructions: unknown `{c}`; expected pp, subject_rc or object_rc"
                ));
            }
            if self.constructions[..i].contains(c) {
                return Err(format!("constructions: `{c}` named twice"));
            }
        }
        let frames = self.frames.as_deref().unwrap_or_default();
        let unknown = |(i, f): (usize, &String)| {
            !AGREEMENT_FRAMES.contains(&f.as_str()) || frames[..i].contains(f)
        };
        if self.frames.is_some() && frames.is_empty() || frames.iter().enumerate().any(unknown) {
            let all = AGREEMENT_FRAMES.join(", ");
            return Err(format!(
                "frames: {frames:?}; name one or more of {all}, each once"
            ));
        }
        let only_object_rc = self.constructions.iter().all(|c| c == "object_rc");
        for (prefix, l) in [("", self.train_limits()), ("test_", self.test_limits())] {
            if l.max_attractors > l.max_modifiers {
                return Err(format!(
                    "{prefix}max_attractors: {} exceeds {prefix}max_modifiers {} (each attractor is the noun of one modifier)",
                    l.max_attractors, l.max_modifiers
                ));
            }
            if l.max_modifiers > AGREEMENT_MAX_MODIFIERS {
                return Err(format!(
                    "{prefix}max_modifiers: {} exceeds {AGREEMENT_MAX_MODIFIERS}",
                    l.max_modifiers
                ));
            }
            if only_object_rc && l.max_modifiers > 1 {
                return Err(format!(
                    "{prefix}max_modifiers: {} needs pp or subject_rc in constructions (an object relative clause only ends the modifiers)",
                    l.max_modifiers
                ));
            }
            if let Some(max) = l.max_distance {
                if max < l.min_distance {
                    return Err(format!(
                        "{prefix}max_distance: {max} is below {prefix}min_distance {}",
                        l.min_distance
                    ));
                }
            }
            if self.interveners_agree == Some(false)
                && (l.max_modifiers < 2 || l.max_attractors < 1)
            {
                return Err(format!(
                    "interveners_agree: false needs {prefix}max_modifiers >= 2 and {prefix}max_attractors >= 1"
                ));
            }
        }
        Ok(())
    }
}

fn positive(field: &str, value: usize) -> Result<(), String> {
    if value == 0 {
        return Err(format!("{field}: must be at least 1"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
