//! The no-learning controls of agreement, scored on sentences: predict the verb's number
//! from one noun of the prefix. The last noun is Linzen, Dupoux & Goldberg's (2016)
//! sequential-recency heuristic; the first noun solves every sentence whose subject opens it,
//! which is why the frames exist (see `frame`).
use super::lexicon::{Lexicon, Number};
use crate::Batch;

/// How often predicting the verb's number from the noun whose number the metadata key
/// `noun` holds (`last_noun`, `first_noun`) is right on a batch: the share of its sentences
/// whose `noun` has the `subject`'s number, over the sentences that have both keys. `None`
/// when none has them (a batch of the `main` frame alone has no `first_noun`: it would be 1).
pub fn heuristic_accuracy(batch: &Batch, noun: &str) -> Option<f64> {
    let pairs = batch
        .meta
        .iter()
        .filter_map(|m| Some((m.get(noun)?, m.get("subject")?)));
    let (right, n) = pairs.fold((0usize, 0usize), |(r, n), (a, s)| {
        (r + (a == s) as usize, n + 1)
    });
    (n > 0).then(|| right as f64 / n as f64)
}

/// The number of the first noun of a prefix (every sentence has one).
pub(crate) fn first_noun(lex: &Lexicon, prefix: &[u32]) -> &'static str {
    let number = prefix.iter().find_map(|id| {
        let n = lex
            .nouns
            .iter()
            .find_map(|pair| pair.iter().position(|x| x == id));
        n.map(|i| {
            if i == 0 {
                Number::Singular
            } else {
                Number::Plural
            }
        })
    });
    number.expect("a sentence has a noun").name()
}
