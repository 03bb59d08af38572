//! Subject-verb number agreement (Linzen, Dupoux & Goldberg 2016) over a synthetic English
//! grammar with a real lexicon, controlling what the natural-corpus studies could only
//! observe: the number of attractors, the distance between subject and verb, whether the
//! interveners agree among themselves, and the construction (Marvin & Linzen 2018).
mod checker;
mod encode;
mod file;
mod frame;
mod grammar;
#[cfg(test)]
mod handcrafted;
mod heuristic;
mod lexicon;
mod sentence;

pub use encode::{Prepared, Unk};
pub use file::{
    list_unknown, parse_tsv, AgreementFile, Answer, FileError, FileItem, FileKind, UnknownWord,
};
pub use heuristic::heuristic_accuracy;

use rnnlab_spec::{AgreementConfig, AgreementForm};
use serde_json::json;

use self::frame::Frame;
use self::grammar::{Kind, Limits, Sampler};
use self::lexicon::Lexicon;
use self::sentence::realise;
use crate::describe::{meta_json, meta_text};
use crate::rng::mix64;
use crate::{
    split_key, Baseline, Batch, Choice, Example, Inputs, Meta, Readout, Rng, Shape, Split, Targets,
    Task,
};

/// Sentences whose prefix hashes to these buckets (of [`BUCKETS`]) belong to valid and test;
/// the rest to train.
const BUCKETS: u64 = 10;
const VALID_BUCKET: u64 = 8;
const TEST_BUCKET: u64 = 9;

/// The split a sentence belongs to, from a hash of its prefix (the words before the verb):
/// 80% train, 10% valid, 10% test. The same for every seed and config, so no prefix, and
/// hence no sentence, is ever in two splits.
fn home(prefix: &[u32]) -> Split {
    let h = prefix
        .iter()
        .fold(mix64(0x6167_7265_656d_656e), |h, &id| mix64(h ^ id as u64));
    match h % BUCKETS {
        VALID_BUCKET => Split::Valid,
        TEST_BUCKET => Split::Test,
        _ => Split::Train,
    }
}

/// One sentence as a model reads it: its token ids and what it is scored on.
struct Row {
    tokens: Vec<u32>,
    target: RowTarget,
}

enum RowTarget {
    /// Number form: the verb's number, read at the row's last token.
    Class(i64),
    /// Language-model form: the next token at every step, as long as the row.
    Next(Vec<u32>),
}

/// Packs sentences into a batch padded on the right with id 0 to the longest, with each
/// row's length, so that a model never reads padding before a step it is scored on. (Left
/// padding would put the padding before the sentence, and a model's state at the verb would
/// then depend on how long the other sentences of its batch are.)
fn pack(rows: Vec<Row>, vocab: usize, meta: Vec<Meta>) -> Batch {
    let (size, steps) = (rows.len(), rows.iter().map(|r| r.tokens.len()).max());
    let steps = steps.unwrap_or(0);
    let lm = rows.iter().any(|r| matches!(r.target, RowTarget::Next(_)));
    let mut ids = vec![0i64; size * steps];
    let mut classes = vec![0i64; size * if lm { steps } else { 1 }];
    let mut mask = vec![0f32; if lm { size * steps } else { 0 }];
    for (b, row) in rows.iter().enumerate() {
        let (start, n) = (b * steps, row.tokens.len());
        for (slot, &id) in ids[start..start + n].iter_mut().zip(&row.tokens) {
            *slot = id as i64;
        }
        match &row.target {
            RowTarget::Class(c) => classes[b] = *c,
            RowTarget::Next(next) => {
                assert_eq!(next.len(), n, "a target per input token");
                for (slot, &id) in classes[start..start + n].iter_mut().zip(next) {
                    *slot = id as i64;
                }
                mask[start..start + n].fill(1.0);
            }
        }
    }
    Batch {
        size,
        steps,
        inputs: Inputs::Tokens { ids, vocab },
        targets: if lm {
            Targets::PerStep {
                classes,
                mask,
                recall: vec![0.0; size * steps],
                num_classes: vocab,
            }
        } else {
            Targets::LastClass {
                classes,
                num_classes: 2,
            }
        },
        lengths: Some(rows.iter().map(|r| r.tokens.len()).collect()),
        meta,
    }
}

/// Subject-verb agreement.
///
/// - **Number form** (Linzen et al. 2016): the input is the sentence's prefix up to, not
///   including, the verb, as token ids right-padded with 0; the target (read at its last token)
///   is the verb's number, 0 singular and 1 plural. A bidirectional encoder sees only this
///   prefix, so reading the whole input leaks nothing.
/// - **Language-model form** (Linzen et al. 2016; Gulordava et al. 2018): the input is `<s>`
///   and the sentence, the target at each step the next token (mask on real tokens). A model
///   is right on an example when, at the step before the verb, it gives the grammatical verb
///   form a higher score than the ungrammatical one: see [`Task::choices`].
///
/// Splits: each sentence belongs to one split by a hash of its prefix (see [`home`]), and a
/// split's batches draw sentences until they find enough of their own (rejection sampling),
/// so splits never share a sentence. Train and valid sentences follow the config's plain
/// limits (valid measures in-distribution error for model selection); test sentences follow
/// its `test_*` limits (generalisation to more attractors or longer distances).
///
/// Per-example metadata: `subject` and `last_noun` (`singular` / `plural`), `attractors`,
/// `distance`, `modifiers`, `construction` (modifier kinds joined by `+`, or `simple`; after
/// `frame:` outside the `main` frame, as in `complement:pp`),
/// `interveners` (`none`, `agree`, `mixed`), `good_id` and `bad_id` (the verb's grammatical
/// and ungrammatical forms), `verb_step` (the step whose output is scored: the sentence's
/// last real step in the number form, the step before the verb in the language-model form).
/// With frames other than `main` (see [`frame`]) also `frame` and `first_noun`; without, the
/// metadata is what it was before frames existed, so the stream is too.
///
/// Baselines: majority class (1/2: the subject's number is a fair coin), last noun (the
/// sequential-recency heuristic behind "The writer of the books are") and first noun (the
/// heuristic that solves the `main` frame at any attractor count), whose exact accuracies
/// follow from the sampler's distribution.
#[derive(Debug, Clone)]
pub struct Agreement {
    form: AgreementForm,
    seed: u64,
    lexicon: Lexicon,
    train: Sampler,
    test: Sampler,
    /// True when some frame is not `main`: the sentences then carry `frame` and `first_noun`.
    framed: bool,
}

fn limits(config: &AgreementConfig, test: bool) -> Limits {
    let l = if test {
        config.test_limits()
    } else {
        config.train_limits()
    };
    Limits {
        max_attractors: l.max_attractors,
        max_modifiers: l.max_modifiers,
        max_fillers: l.max_fillers,
        min_distance: l.min_distance,
        max_distance: l.max_distance.unwrap_or(usize::MAX),
        agree: config.interveners_agree,
        kinds: config
            .constructions
            .iter()
            .filter_map(|c| Kind::parse(c))
            .collect(),
        frames: Frame::of(config),
    }
}

impl Agreement {
    /// The generator, or why the config cannot be served: out-of-range values (see
    /// [`AgreementConfig::check`]) or limits that no sentence meets (e.g. a distance bound
    /// the modifiers and fillers cannot reach).
    pub fn new(config: AgreementConfig, seed: u64) -> Result<Self, String> {
        config.check()?;
        let train = Sampler::new(limits(&config, false));
        let test = Sampler::new(limits(&config, true));
        let framed = Frame::of(&config).iter().any(|&f| f != Frame::Main);
        for (name, s) in [("train", &train), ("test", &test)] {
            if let Some(frame) = s.infeasible() {
                let of = if framed {
                    format!(" of frame `{}`", frame.name())
                } else {
                    String::new()
                };
                return Err(format!(
                    "no {name} sentence{of} meets the limits: widen the distance bounds or allow more modifiers or fillers"
                ));
            }
        }
        let and = Frame::of(&config).contains(&Frame::Coordination);
        Ok(Self {
            form: config.form,
            seed,
            lexicon: Lexicon::new(and),
            train,
            test,
            framed,
        })
    }

    fn sampler(&self, split: Split) -> &Sampler {
        match split {
            Split::Test => &self.test,
            _ => &self.train,
        }
    }

    fn language_model(&self) -> bool {
        self.form == AgreementForm::LanguageModel
    }

    fn word(&self, id: i64) -> &str {
        &self.lexicon.words[id as usize]
    }
}

impl Task for Agreement {
    fn shape(&self) -> Shape {
        let vocab = self.lexicon.words.len();
        Shape {
            inputs: vocab,
            tokens: true,
            outputs: if self.language_model() { vocab } else { 2 },
            readout: if self.language_model() {
                Readout::PerStep
            } else {
                Readout::LastClass
            },
        }
    }

    fn batch(&self, split: Split, index: u64, size: usize) -> Batch {
        let mut rng = Rng::stream(self.seed, &[split_key(split), index]);
        let sampler = self.sampler(split);
        let lm = self.language_model();
        let mut rows = Vec::with_capacity(size);
        let mut meta = Vec::with_capacity(size);
        while rows.len() < size {
            let plan = sampler.plan(&mut rng);
            let sentence = realise(&plan, &self.lexicon, &mut rng, lm);
            if home(&sentence.prefix) != split {
                continue;
            }
            let mut m = Meta::new();
            m.insert("subject", plan.subject.name().into());
            m.insert("last_noun", plan.last_noun().name().into());
            m.insert("attractors", plan.attractors.to_string());
            m.insert("distance", plan.distance.to_string());
            m.insert("modifiers", plan.modifiers.len().to_string());
            m.insert("construction", plan.construction());
            m.insert("interveners", plan.interveners().into());
            m.insert("good_id", sentence.good.to_string());
            m.insert("bad_id", sentence.bad.to_string());
            if self.framed {
                m.insert("frame", plan.frame.name().into());
                m.insert(
                    "first_noun",
                    heuristic::first_noun(&self.lexicon, &sentence.prefix).into(),
                );
            }
            // Language model: `<s> prefix verb rest`, each step predicting the next token;
            // the verb is predicted at step `prefix` (step 0 reads `<s>`).
            let row = if lm {
                let mut all = vec![self.lexicon.bos];
                all.extend(&sentence.prefix);
                all.push(sentence.good);
                all.extend(&sentence.rest);
                let next = all.split_off(1);
                all.extend(&next[..next.len() - 1]);
                m.insert("verb_step", sentence.prefix.len().to_string());
                Row {
                    tokens: all,
                    target: RowTarget::Next(next),
                }
            } else {
                m.insert("verb_step", (sentence.prefix.len() - 1).to_string());
                Row {
                    tokens: sentence.prefix,
                    target: RowTarget::Class(plan.subject.index() as i64),
                }
            };
            meta.push(m);
            rows.push(row);
        }
        pack(rows, self.lexicon.words.len(), meta)
    }

    fn baselines(&self) -> Vec<Baseline> {
        self.split_baselines(Split::Test)
    }

    fn split_baselines(&self, split: Split) -> Vec<Baseline> {
        vec![
            Baseline {
                name: "majority class",
                metric: "accuracy",
                value: 0.5,
            },
            Baseline {
                name: "last noun",
                metric: "accuracy",
                value: self.sampler(split).last_noun_accuracy(),
            },
            Baseline {
                name: "first noun",
                metric: "accuracy",
                value: self.sampler(split).first_noun_accuracy(),
            },
        ]
    }

    fn kind(&self) -> &'static str {
        "agreement"
    }

    fn vocab(&self) -> Option<&[String]> {
        Some(&self.lexicon.words)
    }

    fn choices(&self, batch: &Batch) -> Option<Vec<Choice>> {
        if !self.language_model() {
            return None;
        }
        let field = |m: &Meta, k: &str| m[k].parse::<i64>().expect("agreement metadata");
        Some(
            batch
                .meta
                .iter()
                .map(|m| Choice {
                    step: field(m, "verb_step") as usize,
                    good: field(m, "good_id"),
                    bad: field(m, "bad_id"),
                })
                .collect(),
        )
    }

    /// The sentence with the verb slot as `[good|*bad]` (the starred form ungrammatical),
    /// then the metadata.
    fn describe(&self, batch: &Batch, i: usize) -> Example {
        let Inputs::Tokens { ids, .. } = &batch.inputs else {
            panic!("not an agreement batch")
        };
        let steps = batch.steps;
        let m = &batch.meta[i];
        let id = |k: &str| m[k].parse::<i64>().expect("agreement metadata");
        let (good, bad) = (self.word(id("good_id")), self.word(id("bad_id")));
        let row = &ids[i * steps..(i + 1) * steps];
        let mut words: Vec<&str> = row
            .iter()
            .filter(|&&t| t > 1)
            .map(|&t| self.word(t))
            .collect();
        let slot = format!("[{good}|*{bad}]");
        let (prefix, sentence) = if let Targets::PerStep { classes, .. } = &batch.targets {
            // The last target is the final token, not in the inputs.
            words.push(self.word(classes[i * steps + batch.length(i) - 1]));
            let at = id("verb_step") as usize;
            let prefix = words[..at].join(" ");
            let rest = words[at + 1..].join(" ");
            (prefix.clone(), format!("{prefix} {slot} {rest}"))
        } else {
            let prefix = words.join(" ");
            (prefix.clone(), format!("{prefix} {slot}"))
        };
        let mut json = meta_json(batch, i);
        json["sentence"] = json!(sentence);
        json["prefix"] = json!(prefix);
        json["good"] = json!(good);
        json["bad"] = json!(bad);
        let meta = meta_text(batch, i, &["good_id", "bad_id", "verb_step"]);
        Example {
            text: format!("{sentence}    # {meta}"),
            json,
        }
    }
}

#[cfg(test)]
mod tests;
