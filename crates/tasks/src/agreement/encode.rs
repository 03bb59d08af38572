//! Turning an external file's sentences into the batches the generator would have made from
//! them: the same ids, right padding, `<s>` handling, targets and metadata, so that a model
//! trained on the generator is scored on a file exactly as on its own test split.
use std::collections::{BTreeMap, HashMap};

use rnnlab_spec::AgreementForm;

use super::checker::read;
use super::file::{AgreementFile, Answer, FileError, FileItem, FileKind, UnknownWord};
use super::lexicon::{Number, NOUNS, VERBS};
use super::{pack, Agreement, Row, RowTarget};
use crate::{Batch, Meta};

/// What to do with lines that hold words outside the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unk {
    /// Refuse the file, listing every unknown word and its lines.
    #[default]
    Error,
    /// Leave those lines out and report them.
    Skip,
}

/// A file checked against a model: the lines to score, and those left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub items: Vec<FileItem>,
    /// Unknown words and their lines (empty unless [`Unk::Skip`] left lines out).
    pub skipped: Vec<UnknownWord>,
    /// How many lines were left out.
    pub skipped_lines: usize,
}

fn number_of(table: &[(&str, &str)], word: &str) -> Option<Number> {
    table.iter().find_map(|(s, p)| {
        if word == *s {
            Some(Number::Singular)
        } else if word == *p {
            Some(Number::Plural)
        } else {
            None
        }
    })
}

impl Agreement {
    fn ids(&self) -> HashMap<&str, u32> {
        let words = self.lexicon.words.iter().enumerate();
        // Padding and `<s>` are the trainer's, never a sentence's words.
        words.skip(2).map(|(i, w)| (w.as_str(), i as u32)).collect()
    }

    /// Checks a parsed file against this generator: its kind must match the form, and its
    /// words must be in the vocabulary (else an error listing them, or the lines left out,
    /// by `unk`).
    pub fn prepare(&self, file: AgreementFile, unk: Unk) -> Result<Prepared, FileError> {
        let (expected, run) = match self.form {
            AgreementForm::Number => (FileKind::Number, "number"),
            AgreementForm::LanguageModel => (FileKind::MinimalPair, "language_model"),
        };
        if file.kind != expected {
            return Err(FileError::Form {
                path: file.path,
                file: file.kind,
                run,
            });
        }
        let ids = self.ids();
        let mut unknown: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut items = Vec::with_capacity(file.items.len());
        let mut skipped_lines = 0;
        for item in file.items {
            let mut known = true;
            for w in item.words().filter(|w| !ids.contains_key(w)) {
                known = false;
                let lines = unknown.entry(w.to_string()).or_default();
                if lines.last() != Some(&item.line) {
                    lines.push(item.line);
                }
            }
            if known {
                items.push(item);
            } else {
                skipped_lines += 1;
            }
        }
        let unknown: Vec<UnknownWord> = unknown
            .into_iter()
            .map(|(word, lines)| UnknownWord { word, lines })
            .collect();
        if !unknown.is_empty() && unk == Unk::Error {
            return Err(FileError::Unknown {
                path: file.path,
                words: unknown,
            });
        }
        Ok(Prepared {
            items,
            skipped: unknown,
            skipped_lines,
        })
    }

    /// The batch the generator would make of these sentences (checked by
    /// [`Agreement::prepare`]): number form, the prefix with the verb's number
    /// as the class; language-model form, `<s>` and the prefix with next-token targets, the
    /// verb scored by forced choice at the sentence's last real step. Metadata the line does not give
    /// (attractors, distance, construction, interveners) is read off the words by the
    /// grammar's parser when the prefix is one of the generator's sentences; `last_noun` is
    /// the number of the prefix's last noun (and, for a task with frames, `first_noun` its
    /// first's, `frame` the parser's).
    ///
    /// # Panics
    /// On a word outside the vocabulary or a line of the other kind.
    pub fn encode(&self, items: &[FileItem]) -> Batch {
        let lm = self.language_model();
        let vocab = self.ids();
        let id = |w: &str| *vocab.get(w).unwrap_or_else(|| panic!("`{w}` is unknown"));
        let mut rows = Vec::with_capacity(items.len());
        let mut meta = Vec::with_capacity(items.len());
        for item in items {
            let mut tokens: Vec<u32> = lm.then_some(self.lexicon.bos).into_iter().collect();
            tokens.extend(item.prefix.iter().map(|w| id(w)));
            let mut m = self.describe_item(item);
            m.insert("verb_step", (tokens.len() - 1).to_string());
            let target = match &item.answer {
                Answer::Number { plural } => {
                    assert!(!lm, "a number line for a language model");
                    RowTarget::Class(*plural as i64)
                }
                Answer::Pair { good, bad } => {
                    assert!(lm, "a minimal pair for the number form");
                    m.insert("good_id", id(good).to_string());
                    m.insert("bad_id", id(bad).to_string());
                    // Step j predicts token j + 1: the prefix's next word, then the verb.
                    RowTarget::Next(tokens[1..].iter().copied().chain([id(good)]).collect())
                }
            };
            meta.push(m);
            rows.push(Row { tokens, target });
        }
        pack(rows, self.lexicon.words.len(), meta)
    }

    /// The generator's metadata keys for a line, as far as the line and its words tell.
    fn describe_item(&self, item: &FileItem) -> Meta {
        let mut m = Meta::new();
        let subject = match &item.answer {
            Answer::Number { plural: true } => Some(Number::Plural),
            Answer::Number { plural: false } => Some(Number::Singular),
            Answer::Pair { good, .. } => number_of(&VERBS, good),
        };
        if let Some(s) = subject {
            m.insert("subject", s.name().into());
        }
        let last_noun = item.prefix.iter().rev().find_map(|w| number_of(&NOUNS, w));
        if let Some(n) = last_noun {
            m.insert("last_noun", n.name().into());
        }
        if self.framed {
            let first_noun = item.prefix.iter().find_map(|w| number_of(&NOUNS, w));
            if let Some(n) = first_noun {
                m.insert("first_noun", n.name().into());
            }
        }
        let words: Vec<&str> = item.prefix.iter().map(String::as_str).collect();
        if let Ok(r) = read(&words) {
            if self.framed {
                m.insert("frame", r.frame.into());
            }
            m.insert("attractors", r.attractors.to_string());
            m.insert("distance", r.distance.to_string());
            m.insert("modifiers", r.modifiers.to_string());
            m.insert("construction", r.construction);
            m.insert("interveners", r.interveners.into());
        }
        item.add_columns(&mut m);
        m
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rnnlab_spec::AgreementConfig;

    use super::*;
    use crate::{Inputs, Split, Targets, Task};

    const KEYS: [&str; 9] = [
        "frame",
        "first_noun",
        "subject",
        "last_noun",
        "attractors",
        "distance",
        "construction",
        "interveners",
        "modifiers",
    ];

    fn task(form: AgreementForm) -> Agreement {
        tasks(form).remove(0)
    }

    /// Today's grammar, and every frame.
    fn tasks(form: AgreementForm) -> Vec<Agreement> {
        let frames = super::super::frame::Frame::ALL
            .map(|f| f.name().to_string())
            .to_vec();
        [None, Some(frames)]
            .map(|frames| {
                let config = AgreementConfig {
                    form,
                    max_attractors: 3,
                    max_modifiers: 3,
                    frames,
                    ..Default::default()
                };
                Agreement::new(config, 5).unwrap()
            })
            .into()
    }

    /// Example `b`'s tokens, without its padding.
    fn row(batch: &Batch, b: usize) -> &[i64] {
        let Inputs::Tokens { ids, .. } = &batch.inputs else {
            panic!("tokens")
        };
        &ids[b * batch.steps..b * batch.steps + batch.length(b)]
    }

    fn word(t: &Agreement, id: i64) -> String {
        t.lexicon.words[id as usize].clone()
    }

    fn item(line: usize, prefix: Vec<String>, answer: Answer) -> FileItem {
        FileItem {
            line,
            prefix,
            answer,
            attractors: None,
            distance: None,
            construction: None,
            last_noun: None,
        }
    }

    #[test]
    fn number_form_reencodes_the_generators_own_test_batches_exactly() {
        for t in tasks(AgreementForm::Number) {
            let batch = t.batch(Split::Test, 0, 24);
            let Targets::LastClass { classes, .. } = &batch.targets else {
                panic!("classes")
            };
            let items: Vec<FileItem> = (0..batch.size)
                .map(|b| {
                    let prefix = row(&batch, b).iter().filter(|&&i| i > 1);
                    let prefix = prefix.map(|&i| word(&t, i)).collect();
                    item(
                        b + 1,
                        prefix,
                        Answer::Number {
                            plural: classes[b] == 1,
                        },
                    )
                })
                .collect();
            let ours = t.encode(&items);
            assert_eq!((ours.steps, &ours.inputs), (batch.steps, &batch.inputs));
            assert_eq!(
                (&ours.targets, &ours.lengths),
                (&batch.targets, &batch.lengths)
            );
            for (a, b) in ours.meta.iter().zip(&batch.meta) {
                for k in KEYS.iter().chain(&["verb_step"]) {
                    assert_eq!(a.get(k), b.get(k), "{k}");
                }
            }
        }
    }

    #[test]
    fn language_model_form_reads_the_prefix_and_scores_the_verb_at_its_last_token() {
        for t in tasks(AgreementForm::LanguageModel) {
            let batch = t.batch(Split::Test, 0, 24);
            let items: Vec<FileItem> = (0..batch.size)
                .map(|b| {
                    let m = &batch.meta[b];
                    let at: usize = m["verb_step"].parse().unwrap();
                    let r = row(&batch, b);
                    let start = r.iter().position(|&i| i == 1).unwrap() + 1;
                    let prefix = r[start..=at].iter().map(|&i| word(&t, i)).collect();
                    let verb = |k: &str| word(&t, m[k].parse().unwrap());
                    let answer = Answer::Pair {
                        good: verb("good_id"),
                        bad: verb("bad_id"),
                    };
                    item(b + 1, prefix, answer)
                })
                .collect();
            let ours = t.encode(&items);
            let (theirs, mine) = (t.choices(&batch).unwrap(), t.choices(&ours).unwrap());
            for b in 0..batch.size {
                assert_eq!(row(&ours, b), &row(&batch, b)[..=theirs[b].step]);
                assert_eq!(mine[b].step, ours.length(b) - 1);
                assert_eq!((mine[b].good, mine[b].bad), (theirs[b].good, theirs[b].bad));
                for k in KEYS {
                    assert_eq!(ours.meta[b].get(k), batch.meta[b].get(k), "{k}");
                }
            }
            // Next-token targets over the prefix, ending with the grammatical verb.
            let Targets::PerStep { classes, mask, .. } = &ours.targets else {
                panic!("per step")
            };
            let last = ours.length(0) - 1;
            assert_eq!(classes[last], mine[0].good);
            assert_eq!(mask[last], 1.0);
            assert_eq!(classes[last - 1], row(&ours, 0)[last]);
        }
    }

    #[test]
    fn prepare_checks_the_form_and_the_vocabulary() {
        let path = Path::new("f.tsv");
        let text = "the author\tsg\nthe authors is\tpl\nthe Writer is\tsg\nthe pilots\tpl\n";
        let file = super::super::parse_tsv(text, path).unwrap();
        let lm = task(AgreementForm::LanguageModel);
        let e = lm.prepare(file.clone(), Unk::Error).unwrap_err();
        assert!(matches!(e, FileError::Form { .. }), "{e}");
        assert!(e.to_string().contains("language_model"), "{e}");
        let t = task(AgreementForm::Number);
        let e = t.prepare(file.clone(), Unk::Error).unwrap_err();
        let message = e.to_string();
        assert!(message.contains("`is` (lines 2, 3)"), "{message}");
        assert!(message.contains("`writer` (line 3)"), "{message}");
        assert!(message.contains("--unk skip"), "{message}");
        let kept = t.prepare(file, Unk::Skip).unwrap();
        let lines: Vec<usize> = kept.items.iter().map(|i| i.line).collect();
        assert_eq!((lines, kept.skipped_lines), (vec![1, 4], 2));
        // A file that names `<s>` or padding mid-sentence has unknown words too.
        let file = super::super::parse_tsv("the <pad> author\tsg\n", path).unwrap();
        assert!(t.prepare(file, Unk::Error).is_err());
    }
}
