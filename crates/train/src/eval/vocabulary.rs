//! Reading a file's words with the vocabulary of a run that has an `<unk>` (the `text` and
//! `treebank_agreement` tasks): a word outside it reads as `<unk>`, as it did in training, and
//! is recorded, so that the output can say how much of the file the model could not name.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rnnlab_tasks::UnknownWord;

/// The token both open-vocabulary tasks read every word outside their vocabulary as.
const UNK: &str = "<unk>";

/// Prefix words read as `<unk>` on the lines scored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnkMapping {
    /// Each distinct word (a character, for a character-level model) with its lines, in
    /// byte order of the words.
    pub words: Vec<UnknownWord>,
    /// Occurrences: a word read as `<unk>` twice counts twice.
    pub occurrences: usize,
    /// Lines with at least one.
    pub lines: usize,
}

/// Words and the lines they occur on, collected in word order.
#[derive(Debug, Default)]
pub(super) struct WordLines(BTreeMap<String, Vec<usize>>);

impl WordLines {
    pub fn add(&mut self, word: &str, line: usize) {
        let lines = self.0.entry(word.to_string()).or_default();
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }

    pub fn into_words(self) -> Vec<UnknownWord> {
        let words = self.0.into_iter();
        words
            .map(|(word, lines)| UnknownWord { word, lines })
            .collect()
    }
}

/// A run's vocabulary with `<unk>`, and what it has read as `<unk>` so far.
pub(super) struct OpenVocabulary<'a> {
    ids: HashMap<&'a str, i64>,
    unk: i64,
    seen: WordLines,
    occurrences: usize,
    lines: BTreeSet<usize>,
}

impl<'a> OpenVocabulary<'a> {
    /// `words` indexed by id, as [`rnnlab_tasks::Task::vocab`] gives them; `None` when there
    /// is no `<unk>` (a closed vocabulary). Id 0 is padding, never a word's.
    pub fn new(words: &'a [String]) -> Option<Self> {
        let ids: HashMap<&str, i64> = (1..words.len())
            .map(|i| (words[i].as_str(), i as i64))
            .collect();
        Some(Self {
            unk: *ids.get(UNK)?,
            ids,
            seen: WordLines::default(),
            occurrences: 0,
            lines: BTreeSet::new(),
        })
    }

    /// A token's own id, `None` when the model cannot name it (`<unk>` itself included).
    pub fn id(&self, token: &str) -> Option<i64> {
        self.ids.get(token).copied().filter(|&id| id != self.unk)
    }

    /// The id a prefix token of `line` reads as: its own, or `<unk>`'s, recorded. A literal
    /// `<unk>` in the file (WikiText writes them) is read as itself, not counted.
    pub fn read(&mut self, token: &str, line: usize) -> i64 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        self.seen.add(token, line);
        self.occurrences += 1;
        self.lines.insert(line);
        self.unk
    }

    /// What was read as `<unk>`.
    pub fn mapping(self) -> UnkMapping {
        UnkMapping {
            words: self.seen.into_words(),
            occurrences: self.occurrences,
            lines: self.lines.len(),
        }
    }
}
