//! The vocabulary of a text task, built from the training tokens alone, so that validation and
//! test text never leak into what the model can name.
use std::collections::HashMap;

/// Id 0: padding, which a text batch never holds (every window is full); kept so that id 0
/// means padding in every token task, as [`crate::Task::vocab`] says.
pub const PAD: &str = "<pad>";
/// Id 1: every token outside the vocabulary, WikiText's own `<unk>` included.
pub const UNK: &str = "<unk>";
pub const UNK_ID: i64 = 1;

/// Token strings by id, and ids by string.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocab {
    words: Vec<String>,
    ids: HashMap<String, i64>,
}

impl Vocab {
    /// The `cap` most frequent token types of `train`, after [`PAD`] (id 0) and [`UNK`] (id
    /// 1): ids 2, 3, ... in order of falling count, ties broken by the token's bytes (for
    /// characters, by code point), so that the same text always gives the same ids. The
    /// strings `<pad>` and `<unk>` in the text are not counted: both read as `<unk>`.
    pub fn build(train: &[&str], cap: usize) -> Self {
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for &t in train {
            *counts.entry(t).or_default() += 1;
        }
        counts.remove(PAD);
        counts.remove(UNK);
        let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut words = vec![PAD.to_string(), UNK.to_string()];
        words.extend(ranked.iter().take(cap).map(|(w, _)| w.to_string()));
        // `<pad>` is left out of the map: a `<pad>` in the text reads as `<unk>`.
        let ids = (1..words.len())
            .map(|i| (words[i].clone(), i as i64))
            .collect();
        Self { words, ids }
    }

    /// The token strings, indexed by id.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Ids, `<pad>` included: the model's input and output width.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Never true: `<pad>` and `<unk>` are always there.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The id `token` reads as: its own, or [`UNK_ID`].
    pub fn id(&self, token: &str) -> i64 {
        self.ids.get(token).copied().unwrap_or(UNK_ID)
    }

    /// The ids of a token sequence.
    pub fn encode(&self, tokens: &[&str]) -> Vec<i64> {
        tokens.iter().map(|t| self.id(t)).collect()
    }
}

/// The unigram model of the training ids with add-one (Laplace) smoothing: p(w) = (c(w) + 1) /
/// (N + V) over the V = `vocab - 1` ids a text can hold (all but `<pad>`), `<unk>` counted like
/// any token. Its cross-entropy on a split, in nats per token over every token of the split,
/// is the no-learning reference of the text task: what a model that ignores the context can
/// reach, so a trained model must beat it to have used any history at all.
pub fn unigram_loss(train: &[i64], vocab: usize, split: &[i64]) -> f64 {
    let mut counts = vec![0u64; vocab];
    for &id in train {
        counts[id as usize] += 1;
    }
    let types = vocab.saturating_sub(1).max(1) as f64;
    let total = train.len() as f64 + types;
    let nll: f64 = split
        .iter()
        .map(|&id| -((counts[id as usize] as f64 + 1.0) / total).ln())
        .sum();
    nll / split.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_train_frequency_then_bytes_and_ignore_other_text() {
        let train = ["b", "a", "c", "a", "b", "d", "a"];
        let v = Vocab::build(&train, 10);
        assert_eq!(v.words(), ["<pad>", "<unk>", "a", "b", "c", "d"]);
        // Ties (c and d, once each) go by bytes, whatever the order of appearance.
        let reversed: Vec<&str> = train.iter().rev().copied().collect();
        assert_eq!(Vocab::build(&reversed, 10), v);
        // Valid or test text never enters the vocabulary: unseen tokens are <unk>.
        assert_eq!(v.encode(&["a", "z", "d"]), [2, UNK_ID, 5]);
    }

    #[test]
    fn the_cap_keeps_the_most_frequent_and_the_rest_reads_as_unk() {
        let train = ["x", "y", "y", "z", "z", "z"];
        let v = Vocab::build(&train, 2);
        assert_eq!(v.words(), ["<pad>", "<unk>", "z", "y"]);
        assert_eq!(v.encode(&train), [1, 3, 3, 2, 2, 2]);
        assert_eq!(v.len(), 4);
    }

    #[test]
    fn the_texts_own_unk_and_pad_read_as_unk() {
        let v = Vocab::build(&["<unk>", "<unk>", "<pad>", "w"], 10);
        assert_eq!(v.words(), ["<pad>", "<unk>", "w"]);
        assert_eq!(v.encode(&["<unk>", "<pad>", "w"]), [1, 1, 2]);
    }

    #[test]
    fn the_unigram_loss_is_add_one_smoothed_cross_entropy() {
        // Vocab [<pad>, <unk>, a, b]: V = 3 ids a text can hold. Train "a a b": counts a 2,
        // b 1, <unk> 0, N = 3, so p(a) = 3/6, p(b) = 2/6, p(<unk>) = 1/6.
        let train = [2, 2, 3];
        let valid = [2, 3, 1, 2];
        let want = -((0.5f64).ln() + (2.0f64 / 6.0).ln() + (1.0f64 / 6.0).ln() + 0.5f64.ln()) / 4.0;
        let got = unigram_loss(&train, 4, &valid);
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        // By hand: (ln 2 + ln 3 + ln 6 + ln 2) / 4 = 1.0692 nats.
        assert!((got - 1.0692).abs() < 1e-4, "{got}");
    }
}
