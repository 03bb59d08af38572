//! `treebank_agreement`: the number-prediction form of agreement (Linzen, Dupoux & Goldberg
//! 2016) trained and tested on a treebank's pairs instead of the generator's sentences. The
//! input is the sentence up to the verb as word ids, the target the verb's number (0 singular,
//! 1 plural, as the generator's number form), read at the prefix's last word.
use std::collections::HashMap;
use std::path::Path;

use rnnlab_spec::TreebankAgreementConfig;

use super::{extract, read_conllu};
use crate::describe::{meta_json, meta_text};
use crate::rng::mix64;
use crate::{
    parse_tsv, split_key, Answer, Baseline, Batch, Example, FileKind, Inputs, Meta, Readout, Rng,
    Shape, Split, Targets, Task,
};

/// Id 0 pads; id 1 stands for every word outside the vocabulary.
const PAD: &str = "<pad>";
const UNK: &str = "<unk>";

/// One pair as the task keeps it: lower-cased words and what the breakdown reports.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    words: Vec<String>,
    plural: bool,
    last_noun: Option<bool>,
    attractors: Option<usize>,
    distance: Option<usize>,
    construction: Option<String>,
}

/// The pairs of one file: a CoNLL-U treebank (every pair [`extract`] finds) or a number-form
/// `.tsv` agreement file.
fn load(path: &str) -> Result<Vec<Item>, String> {
    let p = Path::new(path);
    if p.extension().is_some_and(|e| e == "tsv") {
        let text =
            std::fs::read_to_string(p).map_err(|e| format!("{path}: cannot read it: {e}"))?;
        let file = parse_tsv(&text, p).map_err(|e| e.to_string())?;
        if file.kind != FileKind::Number {
            return Err(format!(
                "{path}: a {} file; treebank_agreement trains the number form and needs \
                 `prefix<TAB>sg|pl` lines (`rnnlab data agreement ... --form number`)",
                file.kind
            ));
        }
        return Ok(file
            .items
            .into_iter()
            .map(|i| Item {
                words: i.prefix,
                plural: matches!(i.answer, Answer::Number { plural: true }),
                last_noun: None,
                attractors: i.attractors,
                distance: i.distance,
                construction: i.construction,
            })
            .collect());
    }
    let sentences = read_conllu(p).map_err(|e| e.to_string())?;
    Ok(extract(&sentences)
        .pairs
        .into_iter()
        .map(|pair| Item {
            construction: Some(pair.construction()),
            words: pair.prefix.iter().map(|w| w.to_lowercase()).collect(),
            plural: pair.plural,
            last_noun: pair.last_noun,
            attractors: Some(pair.attractors),
            distance: Some(pair.distance),
        })
        .collect())
}

/// The split a train pair is held out for when the config names no file for it: a hash of
/// its words, so the same pairs in every run and seed (as the generator's [`crate::Agreement`]
/// splits its sentences).
fn held_out(words: &[String]) -> Option<Split> {
    let h = words
        .iter()
        .flat_map(|w| w.bytes().chain([0]))
        .fold(mix64(0x7472_6565_6261_6e6b), |h, b| mix64(h ^ u64::from(b)));
    match h % 10 {
        8 => Some(Split::Valid),
        9 => Some(Split::Test),
        _ => None,
    }
}

fn number(plural: bool) -> &'static str {
    if plural {
        "plural"
    } else {
        "singular"
    }
}

/// Number prediction on a treebank's subject-verb pairs; see the module docs.
///
/// Batches draw pairs uniformly, with replacement, from their split, from the stream of
/// `(seed, split, index)`: evaluation sets are `train.eval_size` such draws, so their
/// accuracy estimates the split's (for `eval_size` draws from a split of p = 0.9, a standard
/// error of about 0.3 / sqrt(eval_size)). Metadata: `subject` (the verb's number),
/// `last_noun` where the treebank gives it, `attractors`, `distance`, `construction`.
#[derive(Debug)]
pub struct TreebankAgreement {
    seed: u64,
    words: Vec<String>,
    ids: HashMap<String, u32>,
    /// Train, valid and test pairs, encoded.
    splits: [Vec<(Vec<u32>, Item)>; 3],
}

impl TreebankAgreement {
    /// Reads the config's files and builds the vocabulary from the training prefixes; the
    /// error names the file and what is wrong with it.
    pub fn new(config: &TreebankAgreementConfig, seed: u64) -> Result<Self, String> {
        let mut train = load(&config.train)?;
        let given = |path: &Option<String>| path.as_deref().map(load).transpose();
        let valid = given(&config.valid)?;
        let test = given(&config.test)?;
        let mut carved: [Vec<Item>; 2] = [Vec::new(), Vec::new()];
        train.retain(|item| match held_out(&item.words) {
            Some(Split::Valid) if valid.is_none() => {
                carved[0].push(item.clone());
                false
            }
            Some(Split::Test) if test.is_none() => {
                carved[1].push(item.clone());
                false
            }
            _ => true,
        });
        let [carved_valid, carved_test] = carved;
        let (valid, test) = (valid.unwrap_or(carved_valid), test.unwrap_or(carved_test));

        let mut counts: HashMap<&str, usize> = HashMap::new();
        for w in train.iter().flat_map(|i| &i.words) {
            *counts.entry(w.as_str()).or_default() += 1;
        }
        let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut words: Vec<String> = vec![PAD.into(), UNK.into()];
        words.extend(ranked.iter().take(config.vocab).map(|(w, _)| w.to_string()));
        let ids: HashMap<String, u32> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        let encode = |items: Vec<Item>| -> Vec<(Vec<u32>, Item)> {
            items
                .into_iter()
                .map(|i| {
                    (
                        i.words
                            .iter()
                            .map(|w| ids.get(w).copied().unwrap_or(1))
                            .collect(),
                        i,
                    )
                })
                .collect()
        };
        let splits = [encode(train), encode(valid), encode(test)];
        for (split, pairs) in [Split::Train, Split::Valid, Split::Test]
            .iter()
            .zip(&splits)
        {
            if pairs.is_empty() {
                return Err(format!(
                    "no {} pairs (train {}{}): name a treebank or pairs file with subject-verb \
                     pairs for it",
                    split.name(),
                    config.train,
                    match split {
                        Split::Valid => config.valid.as_deref().map(|v| format!(", valid {v}")),
                        Split::Test => config.test.as_deref().map(|t| format!(", test {t}")),
                        Split::Train => None,
                    }
                    .unwrap_or_default()
                ));
            }
        }
        Ok(Self {
            seed,
            words,
            ids,
            splits,
        })
    }

    fn pairs(&self, split: Split) -> &[(Vec<u32>, Item)] {
        &self.splits[split_key(split) as usize - 1]
    }

    /// The number of pairs of a split.
    pub fn len(&self, split: Split) -> usize {
        self.pairs(split).len()
    }

    /// The id a word is read as: its own, or `<unk>`'s.
    pub fn id(&self, word: &str) -> u32 {
        self.ids.get(&word.to_lowercase()).copied().unwrap_or(1)
    }
}

impl Task for TreebankAgreement {
    fn shape(&self) -> Shape {
        Shape {
            inputs: self.words.len(),
            tokens: true,
            outputs: 2,
            readout: Readout::LastClass,
        }
    }

    fn batch(&self, split: Split, index: u64, size: usize) -> Batch {
        let mut rng = Rng::stream(self.seed, &[split_key(split), index]);
        let pairs = self.pairs(split);
        let chosen: Vec<&(Vec<u32>, Item)> = (0..size)
            .map(|_| &pairs[rng.below(pairs.len() as u64) as usize])
            .collect();
        let steps = chosen.iter().map(|(ids, _)| ids.len()).max().unwrap_or(0);
        let mut ids = vec![0i64; size * steps];
        let mut meta = Vec::with_capacity(size);
        for (b, (tokens, item)) in chosen.iter().enumerate() {
            for (slot, &id) in ids[b * steps..].iter_mut().zip(tokens) {
                *slot = i64::from(id);
            }
            let mut m = Meta::new();
            m.insert("subject", number(item.plural).into());
            if let Some(l) = item.last_noun {
                m.insert("last_noun", number(l).into());
            }
            if let Some(a) = item.attractors {
                m.insert("attractors", a.to_string());
            }
            if let Some(d) = item.distance {
                m.insert("distance", d.to_string());
            }
            if let Some(c) = &item.construction {
                m.insert("construction", c.clone());
            }
            meta.push(m);
        }
        Batch {
            size,
            steps,
            inputs: Inputs::Tokens {
                ids,
                vocab: self.words.len(),
            },
            targets: Targets::LastClass {
                classes: chosen.iter().map(|(_, i)| i64::from(i.plural)).collect(),
                num_classes: 2,
            },
            lengths: Some(chosen.iter().map(|(ids, _)| ids.len()).collect()),
            meta,
        }
    }

    fn baselines(&self) -> Vec<Baseline> {
        self.split_baselines(Split::Test)
    }

    /// Always answering the train split's majority number, and the last noun's number (on
    /// the pairs whose prefix has a noun with a `Number`; the others count as wrong).
    fn split_baselines(&self, split: Split) -> Vec<Baseline> {
        let plural_train = self
            .pairs(Split::Train)
            .iter()
            .filter(|(_, i)| i.plural)
            .count();
        let majority = 2 * plural_train > self.len(Split::Train);
        let pairs = self.pairs(split);
        let n = pairs.len() as f64;
        let share =
            |f: &dyn Fn(&Item) -> bool| pairs.iter().filter(|(_, i)| f(i)).count() as f64 / n;
        vec![
            Baseline {
                name: "majority class",
                metric: "accuracy",
                value: share(&|i| i.plural == majority),
            },
            Baseline {
                name: "last noun",
                metric: "accuracy",
                value: share(&|i| i.last_noun == Some(i.plural)),
            },
        ]
    }

    fn kind(&self) -> &'static str {
        "treebank_agreement"
    }

    fn vocab(&self) -> Option<&[String]> {
        Some(&self.words)
    }

    fn describe(&self, batch: &Batch, i: usize) -> Example {
        let Inputs::Tokens { ids, .. } = &batch.inputs else {
            unreachable!("treebank_agreement batches are tokens")
        };
        let start = i * batch.steps;
        let words: Vec<&str> = ids[start..start + batch.length(i)]
            .iter()
            .map(|&id| self.words[id as usize].as_str())
            .collect();
        let plural = batch.meta[i]["subject"] == "plural";
        let answer = if plural { "[pl|*sg]" } else { "[sg|*pl]" };
        let mut json = meta_json(batch, i);
        json["prefix"] = serde_json::json!(words.join(" "));
        Example {
            text: format!(
                "{} {answer}    # {}",
                words.join(" "),
                meta_text(batch, i, &[])
            ),
            json,
        }
    }
}

#[cfg(test)]
mod tests;
