//! `text`: next-token language modelling on a corpus read from files, trained with truncated
//! backpropagation through time over the stream layout of Zaremba, Sutskever & Vinyals 2014.
//!
//! The files are read and tokenised once, when the task is built ([`corpus`]); the vocabulary
//! comes from the training tokens alone ([`vocab`]); each split is one token array, and a
//! batch is a window of it in `size` parallel streams ([`stream`]), copied out of the array
//! that every batch shares. Nothing is random: the data of a split depends on the files and
//! the config only, not on the seed.
pub mod corpus;
pub mod stream;
#[cfg(test)]
mod tests;
pub mod vocab;

use std::path::PathBuf;

use rnnlab_spec::{TextConfig, TextLevel};
use serde_json::json;

use crate::treebank::TreebankError;
use crate::{Baseline, Batch, Example, Inputs, Readout, Shape, Split, Targets, Task};
use stream::Layout;
use vocab::Vocab;

/// Why a text task cannot be built; each names the file or split and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("{}: cannot read it: {source}; corpus paths are relative to the folder `rnnlab run` starts in", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: not UTF-8 text (first bad byte at offset {offset}); convert the corpus to UTF-8 \
         (plain or gzip-compressed)",
        path.display()
    )]
    Utf8 { path: PathBuf, offset: usize },
    #[error(transparent)]
    Treebank(#[from] TreebankError),
    #[error(
        "the {split} split ({source_text}) has {tokens} tokens, fewer than the {need} one \
         window of one stream needs (bptt + 2); give a longer text or lower task.bptt"
    )]
    TooShort {
        split: &'static str,
        source_text: String,
        tokens: usize,
        need: usize,
    },
}

/// Language modelling on a corpus; see the module docs.
///
/// Batch `index` of a split with `size` streams is window `index % windows` of the
/// [`Layout`] (training goes round the text, epoch after epoch): inputs `[size, bptt]` token
/// ids, targets the next token at every step, all counted. [`Task::stream_batches`] gives
/// `windows`, for the trainer to carry the hidden state across consecutive batches.
#[derive(Debug)]
pub struct Text {
    config: TextConfig,
    vocab: Vocab,
    /// Train, valid and test token ids.
    splits: [Vec<i64>; 3],
    /// The unigram baseline's loss on each split.
    unigram: [f64; 3],
}

fn slot(split: Split) -> usize {
    match split {
        Split::Train => 0,
        Split::Valid => 1,
        Split::Test => 2,
    }
}

impl Text {
    /// Reads and tokenises the corpus, cuts the held-out slices where no file is named, builds
    /// the vocabulary from the training tokens and encodes every split.
    pub fn new(config: &TextConfig) -> Result<Self, TextError> {
        let level = config.level;
        let corpus = &config.corpus;
        let train_text = corpus::read(&corpus.train)?;
        let read = |path: &Option<String>| path.as_deref().map(corpus::read).transpose();
        let (valid_text, test_text) = (read(&corpus.valid)?, read(&corpus.test)?);
        let all = corpus::tokenise(&train_text, level);
        let ranges = corpus::held_out(all.len(), valid_text.is_some(), test_text.is_some());
        let train = &all[ranges[0].clone()];
        let vocab = Vocab::build(train, config.vocab);
        let own = |text: &Option<String>, range: std::ops::Range<usize>| match text {
            Some(t) => vocab.encode(&corpus::tokenise(t, level)),
            None => vocab.encode(&all[range]),
        };
        let splits = [
            vocab.encode(train),
            own(&valid_text, ranges[1].clone()),
            own(&test_text, ranges[2].clone()),
        ];
        let need = config.bptt + 2;
        for (split, ids) in [Split::Train, Split::Valid, Split::Test]
            .into_iter()
            .zip(&splits)
        {
            if ids.len() < need {
                let file = match split {
                    Split::Train => None,
                    Split::Valid => corpus.valid.clone(),
                    Split::Test => corpus.test.clone(),
                };
                return Err(TextError::TooShort {
                    split: split.name(),
                    source_text: file.unwrap_or_else(|| match split {
                        Split::Train => format!("{}, held-out slices removed", corpus.train),
                        _ => format!("a 1/20 slice of {}", corpus.train),
                    }),
                    tokens: ids.len(),
                    need,
                });
            }
        }
        let unigram = [0, 1, 2].map(|i| vocab::unigram_loss(&splits[0], vocab.len(), &splits[i]));
        Ok(Self {
            config: config.clone(),
            vocab,
            splits,
            unigram,
        })
    }

    /// The token ids of a split, as the batches slice them.
    pub fn ids(&self, split: Split) -> &[i64] {
        &self.splits[slot(split)]
    }

    /// The split's layout for `size` streams.
    pub fn layout(&self, split: Split, size: usize) -> Layout {
        Layout::new(self.ids(split).len(), size, self.config.bptt)
    }

    /// Tokens as a person reads them: characters joined (a newline shown as `⏎`), words
    /// joined by spaces.
    fn render(&self, ids: &[i64]) -> String {
        let words = self.vocab.words();
        let token = |&id: &i64| words[id as usize].as_str();
        match self.config.level {
            TextLevel::Char => ids
                .iter()
                .map(|id| match token(id) {
                    "\n" => "⏎",
                    t => t,
                })
                .collect(),
            TextLevel::Word => ids.iter().map(token).collect::<Vec<_>>().join(" "),
        }
    }
}

impl Task for Text {
    fn shape(&self) -> Shape {
        Shape {
            inputs: self.vocab.len(),
            tokens: true,
            outputs: self.vocab.len(),
            readout: Readout::PerStep,
        }
    }

    /// # Panics
    /// When the split is too short for one window of `size` streams (the build checked one
    /// stream); [`Task::stream_batches`] is then `Some(0)`.
    fn batch(&self, split: Split, index: u64, size: usize) -> Batch {
        let windows = self.layout(split, size).windows;
        assert!(
            windows > 0,
            "the {} split of task `text` has {} tokens: too few for {size} streams of \
             {}-step windows; lower the batch size or task.bptt",
            split.name(),
            self.ids(split).len(),
            self.config.bptt
        );
        let bptt = self.config.bptt;
        let k = (index % windows as u64) as usize;
        let (ids, classes) = stream::window(self.ids(split), size, bptt, k);
        Batch {
            size,
            steps: bptt,
            inputs: Inputs::Tokens {
                ids,
                vocab: self.vocab.len(),
            },
            targets: Targets::PerStep {
                classes,
                mask: vec![1.0; size * bptt],
                recall: vec![0.0; size * bptt],
                num_classes: self.vocab.len(),
            },
            lengths: None,
            meta: vec![Default::default(); size],
        }
    }

    fn stream_batches(&self, split: Split, size: usize) -> Option<u64> {
        Some(self.layout(split, size).windows as u64)
    }

    fn baselines(&self) -> Vec<Baseline> {
        self.split_baselines(Split::Test)
    }

    /// The unigram model of the training text (see [`vocab::unigram_loss`]) on the split:
    /// its loss, perplexity and bits per token.
    fn split_baselines(&self, split: Split) -> Vec<Baseline> {
        let loss = self.unigram[slot(split)];
        vec![
            Baseline {
                name: "unigram loss",
                metric: "loss",
                value: loss,
            },
            Baseline {
                name: "unigram perplexity",
                metric: "perplexity",
                value: loss.exp(),
            },
            Baseline {
                name: "unigram bits per token",
                metric: "bits_per_token",
                value: loss / std::f64::consts::LN_2,
            },
        ]
    }

    fn kind(&self) -> &'static str {
        "text"
    }

    fn vocab(&self) -> Option<&[String]> {
        Some(self.vocab.words())
    }

    /// Row `i` of the batch as text: its inputs and the last target, the stretch of stream
    /// `i` the window covers.
    fn describe(&self, batch: &Batch, i: usize) -> Example {
        let (Inputs::Tokens { ids, .. }, Targets::PerStep { classes, .. }) =
            (&batch.inputs, &batch.targets)
        else {
            unreachable!("text batches are tokens with per-step targets")
        };
        let row = i * batch.steps..(i + 1) * batch.steps;
        let mut stretch = ids[row.clone()].to_vec();
        stretch.extend(classes[row].last());
        let words = self.vocab.words();
        let tokens: Vec<&str> = stretch
            .iter()
            .map(|&id| words[id as usize].as_str())
            .collect();
        Example {
            text: format!(
                "stream {i}: {}    # {} steps, each predicting the next token",
                self.render(&stretch),
                batch.steps
            ),
            json: json!({ "stream": i, "tokens": tokens }),
        }
    }
}
