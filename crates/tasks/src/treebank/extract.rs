//! Subject-verb agreement pairs from gold dependency trees, the method of Linzen, Dupoux &
//! Goldberg 2016 (on parsed Wikipedia) and Gulordava et al. 2018 (on treebanks), here on
//! gold Universal Dependencies trees.
//!
//! A pair is an `nsubj` or `nsubj:pass` relation whose clause has a finite verb that shows
//! number: the head itself when tagged `VBZ`/`VBP` (present, 3rd-person singular / other), or
//! the first `aux`, `aux:pass` or `cop` child of the head so tagged; past `was`/`were` count
//! too (`VBD`; the only past forms English inflects for number). The subject must come
//! before the verb, so that the prefix a model reads contains it.
//!
//! Left out, and counted: subjects after their verb (questions, inversions); 1st- and
//! 2nd-person subjects (`I`, `we`, `you`: English marks their person, not their number, on
//! the verb: "I have", "we have"); coordinated subjects (`John and Mary are`: the number
//! belongs to the coordination); and subjects whose own `Number` contradicts the verb's
//! (annotation slips, notional agreement such as "the team are"); and, of the rest, verbs not
//! spelled as their lemma inflects (`it s`, `u r`: no trustworthy other form).
use super::conllu::{Sentence, Word};
use super::inflect::{to_plural, to_singular};

/// What kind of word the subject is: Linzen et al. 2016 used common nouns only; pronouns
/// and names agree too but carry their number on their face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubjectKind {
    /// UPOS `NOUN`.
    Noun,
    /// UPOS `PROPN`.
    Proper,
    /// UPOS `PRON` (he, it, they, this, who, that, ...).
    Pronoun,
    /// Anything else (numbers, determiners, adjectives used as heads, symbols).
    Other,
}

impl SubjectKind {
    fn of(word: &Word) -> Self {
        match word.upos.as_str() {
            "NOUN" => Self::Noun,
            "PROPN" => Self::Proper,
            "PRON" => Self::Pronoun,
            _ => Self::Other,
        }
    }

    /// The label's first part: `noun`, `proper`, `pronoun` or `other`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Noun => "noun",
            Self::Proper => "proper",
            Self::Pronoun => "pronoun",
            Self::Other => "other",
        }
    }
}

/// One agreement pair, ready to be written as a line of an eval file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub sent_id: Option<String>,
    /// The words before the verb, as the treebank writes them.
    pub prefix: Vec<String>,
    /// The verb as written, lower-cased, and the form the other number would take.
    pub good: String,
    pub bad: String,
    /// The verb's number: `VBP` and `were` are plural.
    pub plural: bool,
    /// 1-based positions of the subject (the head word of its relation), of the subject's
    /// last word when it is a multi-word name (`Sergey Brin`, `Ash - Sharq al - Awsat`: the
    /// `flat`, `fixed` and `goeswith` words after the head), and of the verb.
    pub subject: usize,
    pub subject_end: usize,
    pub verb: usize,
    /// Nouns (`NOUN`, `PROPN`) between subject and verb whose `Number` is not the verb's.
    pub attractors: usize,
    /// Words strictly between the subject's last word and the verb, punctuation included.
    pub distance: usize,
    pub kind: SubjectKind,
    /// The number of the prefix's last noun (`NOUN` or `PROPN` with a `Number`), `true` for
    /// plural: the sequential-recency heuristic of Linzen et al. 2016 answers with it. `None`
    /// when the prefix has no such noun.
    pub last_noun: Option<bool>,
    /// The relations of what stands between subject and verb: for each stretch of words
    /// between them, the relation by which it hangs from the subject or the clause (`nmod`,
    /// `acl:relcl`, `advmod`, `appos`, ...), in order, each once; punctuation left out.
    pub path: Vec<String>,
}

impl Pair {
    /// The construction column: the subject's kind, then the path (`noun`, `noun+nmod`,
    /// `pronoun+advmod`, `noun+acl:relcl+advmod`).
    pub fn construction(&self) -> String {
        std::iter::once(self.kind.name())
            .chain(self.path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("+")
    }
}

/// Relations left out of the extraction, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    /// `nsubj` relations whose clause has no finite verb that shows number (past tense,
    /// modals, infinitives, ...): not agreement pairs at all.
    pub no_number: usize,
    pub verb_first: usize,
    pub first_or_second_person: usize,
    pub coordinated: usize,
    pub mismatch: usize,
    /// Verbs not spelled as their lemma inflects (web-text typos such as `it s`, `u r`).
    pub nonstandard: usize,
}

/// What [`extract`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    pub sentences: usize,
    pub pairs: Vec<Pair>,
    pub skipped: Skipped,
}

impl Extraction {
    /// Pairs of one subject kind.
    pub fn count(&self, kind: SubjectKind) -> usize {
        self.pairs.iter().filter(|p| p.kind == kind).count()
    }

    /// Pairs of one subject kind with at least one attractor.
    pub fn attracted(&self, kind: SubjectKind) -> usize {
        self.pairs
            .iter()
            .filter(|p| p.kind == kind && p.attractors > 0)
            .count()
    }
}

/// The verb's number when `word` is a finite form that shows it: `Some(true)` for plural.
fn verb_number(word: &Word) -> Option<bool> {
    match word.xpos.as_str() {
        "VBZ" => Some(false),
        "VBP" => Some(true),
        "VBD" => match word.form.to_lowercase().as_str() {
            "was" => Some(false),
            "were" => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// True when the verb is spelled as English inflects its lemma: `is`/`are`/`was`/`were` and
/// their contractions for `be`, `has`/`have`/`'s`/`'ve` for `have`, otherwise the lemma's
/// third-person singular ([`to_singular`]) for `VBZ` and the lemma itself for `VBP`. Typos
/// and clipped forms of web text (`s`, `r`, `ai`) have no trustworthy other form.
fn standard(verb: &Word) -> bool {
    let (form, lemma) = (plain(&verb.form.to_lowercase()), verb.lemma.to_lowercase());
    match lemma.as_str() {
        "be" => ["is", "are", "was", "were", "'s", "'re"].contains(&form.as_str()),
        "have" => ["has", "have", "'s", "'ve"].contains(&form.as_str()),
        _ if verb.xpos == "VBZ" => to_singular(&lemma) == form,
        _ => form == lemma,
    }
}

/// A word with its typographic apostrophes (`’s`, `` `s ``: web text has both) written `'`.
fn plain(word: &str) -> String {
    word.replace(['\u{2019}', '`'], "'")
}

/// The finite verb of the clause headed by `head`: the head itself, or its first auxiliary
/// or copula that shows number.
fn finite_verb<'s>(sentence: &'s Sentence, head: &'s Word) -> Option<&'s Word> {
    if verb_number(head).is_some() {
        return Some(head);
    }
    sentence
        .children(head.id)
        .filter(|w| matches!(w.deprel.as_str(), "aux" | "aux:pass" | "cop"))
        .find(|w| verb_number(w).is_some())
}

/// The relations by which the words between `from` and `to` (exclusive) hang from outside
/// that stretch: each word is followed up its heads while they stay inside; the relation of
/// the last step is the stretch's. Punctuation is left out; each relation is named once.
fn path(sentence: &Sentence, from: usize, to: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in from + 1..to {
        let mut word = sentence.word(id).expect("ids within the sentence");
        while word.head > from && word.head < to {
            word = sentence.word(word.head).expect("heads within the sentence");
        }
        if word.deprel != "punct" && !out.contains(&word.deprel) {
            out.push(word.deprel.clone());
        }
    }
    out
}

/// The last word of the name the subject heads: the words right after it that hang from it
/// by `flat`, `fixed` or `goeswith` (UD's relations inside one name or expression), with the
/// hyphens and other punctuation inside them.
fn name_end(sentence: &Sentence, subject: usize) -> usize {
    let mut members = vec![subject];
    let mut end = subject;
    while let Some(next) = sentence.word(end + 1) {
        let inside = |w: &Word| {
            members.contains(&w.head) && matches!(w.deprel.as_str(), "flat" | "fixed" | "goeswith")
        };
        // A hyphen inside the name hangs from the name word that follows it.
        let joins = inside(next)
            || (next.deprel == "punct"
                && sentence
                    .word(next.head)
                    .is_some_and(|h| h.id > next.id && inside(h)));
        if !joins {
            break;
        }
        if next.deprel != "punct" {
            members.push(next.id);
        }
        end = next.id;
    }
    // A trailing hyphen is not part of the name.
    while end > subject && sentence.word(end).is_some_and(|w| w.deprel == "punct") {
        end -= 1;
    }
    end
}

/// Replaces whitespace inside a word (a few treebank tokens hold spaces, e.g. `2 1/2`) so that
/// a prefix splits back into the same words.
fn one_token(form: &str) -> String {
    form.split_whitespace().collect::<Vec<_>>().join("_")
}

/// Every agreement pair of `sentences`, in sentence order, subject by subject.
pub fn extract(sentences: &[Sentence]) -> Extraction {
    let mut out = Extraction {
        sentences: sentences.len(),
        ..Extraction::default()
    };
    for sentence in sentences {
        for subject in &sentence.words {
            if !matches!(subject.deprel.as_str(), "nsubj" | "nsubj:pass") {
                continue;
            }
            let Some(head) = sentence.word(subject.head) else {
                continue;
            };
            let Some(verb) = finite_verb(sentence, head) else {
                out.skipped.no_number += 1;
                continue;
            };
            let plural = verb_number(verb).expect("finite_verb shows number");
            if verb.id < subject.id {
                out.skipped.verb_first += 1;
                continue;
            }
            if matches!(subject.feat("Person"), Some("1" | "2")) {
                out.skipped.first_or_second_person += 1;
                continue;
            }
            if sentence.children(subject.id).any(|w| w.deprel == "conj") {
                out.skipped.coordinated += 1;
                continue;
            }
            let number = if plural { "Plur" } else { "Sing" };
            if subject.feat("Number").is_some_and(|n| n != number) {
                out.skipped.mismatch += 1;
                continue;
            }
            if !standard(verb) {
                out.skipped.nonstandard += 1;
                continue;
            }
            let end = name_end(sentence, subject.id);
            let between = &sentence.words[end..verb.id - 1];
            let attractors = between
                .iter()
                .filter(|w| matches!(w.upos.as_str(), "NOUN" | "PROPN"))
                .filter(|w| w.feat("Number").is_some_and(|n| n != number))
                .count();
            let good = verb.form.to_lowercase();
            let bad = if plural {
                to_singular(&plain(&good))
            } else {
                to_plural(&plain(&good), Some(verb.lemma.as_str()))
            };
            // The wrong form keeps the right one's apostrophe: `’s` against `’re`.
            let bad = match good.chars().find(|c| matches!(c, '\u{2019}' | '`')) {
                Some(a) => bad.replace('\'', &a.to_string()),
                None => bad,
            };
            out.pairs.push(Pair {
                sent_id: sentence.sent_id.clone(),
                prefix: sentence.words[..verb.id - 1]
                    .iter()
                    .map(|w| one_token(&w.form))
                    .collect(),
                good,
                bad,
                plural,
                subject: subject.id,
                subject_end: end,
                verb: verb.id,
                attractors,
                distance: between.len(),
                kind: SubjectKind::of(subject),
                last_noun: sentence.words[..verb.id - 1]
                    .iter()
                    .rev()
                    .filter(|w| matches!(w.upos.as_str(), "NOUN" | "PROPN"))
                    .find_map(|w| w.feat("Number"))
                    .map(|n| n == "Plur"),
                path: path(sentence, end, verb.id),
            });
        }
    }
    out
}
