//! The English lexicon of the agreement grammar: real words, each form in one category only,
//! so that a sentence can be parsed back from its words alone (see `checker`).
//!
//! Nouns are animate (people and animals), so that every noun can be the subject or object of
//! every verb, as in Marvin & Linzen's (2018) templates; a few irregular plurals (children,
//! mice, geese, ...) keep the model from reading number off a final "s". Verbs are transitive,
//! with their 3rd-person singular and plural present forms.

/// Grammatical number. Singular is class 0 of the number-prediction form, plural class 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Number {
    Singular,
    Plural,
}

impl Number {
    pub(crate) fn other(self) -> Number {
        match self {
            Number::Singular => Number::Plural,
            Number::Plural => Number::Singular,
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Number::Singular => "singular",
            Number::Plural => "plural",
        }
    }
}

/// Nouns: (singular, plural).
pub(crate) const NOUNS: [(&str, &str); 46] = [
    ("author", "authors"),
    ("pilot", "pilots"),
    ("surgeon", "surgeons"),
    ("farmer", "farmers"),
    ("teacher", "teachers"),
    ("doctor", "doctors"),
    ("senator", "senators"),
    ("customer", "customers"),
    ("lawyer", "lawyers"),
    ("officer", "officers"),
    ("student", "students"),
    ("dancer", "dancers"),
    ("singer", "singers"),
    ("painter", "painters"),
    ("driver", "drivers"),
    ("manager", "managers"),
    ("worker", "workers"),
    ("parent", "parents"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("baby", "babies"),
    ("lady", "ladies"),
    ("boss", "bosses"),
    ("chef", "chefs"),
    ("soldier", "soldiers"),
    ("athlete", "athletes"),
    ("minister", "ministers"),
    ("actor", "actors"),
    ("architect", "architects"),
    ("banker", "bankers"),
    ("cousin", "cousins"),
    ("neighbor", "neighbors"),
    ("friend", "friends"),
    ("mouse", "mice"),
    ("wolf", "wolves"),
    ("goose", "geese"),
    ("puppy", "puppies"),
    ("fox", "foxes"),
    ("horse", "horses"),
    ("poet", "poets"),
    ("nephew", "nephews"),
    ("thief", "thieves"),
    ("sailor", "sailors"),
    ("waiter", "waiters"),
    ("clerk", "clerks"),
];

/// Transitive verbs: (3rd-person singular, plural).
pub(crate) const VERBS: [(&str, &str); 24] = [
    ("likes", "like"),
    ("admires", "admire"),
    ("sees", "see"),
    ("knows", "know"),
    ("hates", "hate"),
    ("loves", "love"),
    ("helps", "help"),
    ("visits", "visit"),
    ("meets", "meet"),
    ("follows", "follow"),
    ("remembers", "remember"),
    ("trusts", "trust"),
    ("blames", "blame"),
    ("praises", "praise"),
    ("watches", "watch"),
    ("greets", "greet"),
    ("avoids", "avoid"),
    ("understands", "understand"),
    ("annoys", "annoy"),
    ("impresses", "impress"),
    ("protects", "protect"),
    ("supports", "support"),
    ("ignores", "ignore"),
    ("envies", "envy"),
];

/// Determiners: (with a singular noun, with a plural noun). Most are number-neutral; "this /
/// these" agree with their noun. ("that" is kept for the complementizer only.)
pub(crate) const DETERMINERS: [(&str, &str); 8] = [
    ("the", "the"),
    ("the", "the"),
    ("my", "my"),
    ("our", "our"),
    ("their", "their"),
    ("his", "his"),
    ("her", "her"),
    ("this", "these"),
];

pub(crate) const PREPOSITIONS: [&str; 12] = [
    "of", "near", "behind", "beside", "with", "from", "for", "under", "above", "around", "without",
    "against",
];

/// Number-neutral adjectives: fillers inside noun phrases.
pub(crate) const ADJECTIVES: [&str; 20] = [
    "old", "young", "tall", "famous", "tired", "happy", "clever", "quiet", "angry", "friendly",
    "busy", "lonely", "brave", "rich", "polite", "strange", "honest", "nervous", "proud", "shy",
];

/// Number-neutral adverbs: fillers between the modifiers and the verb.
pub(crate) const ADVERBS: [&str; 12] = [
    "often",
    "never",
    "always",
    "rarely",
    "usually",
    "sometimes",
    "really",
    "probably",
    "certainly",
    "clearly",
    "still",
    "truly",
];

/// The verbs that also take a sentential complement ("the teachers know that ..."), for the
/// `complement` frame.
pub(crate) const COMPLEMENT_VERBS: [&str; 3] = ["knows", "remembers", "understands"];

/// The locative prepositions a `fronted_pp` frame opens with ("near the thieves the doctor
/// sees ..."); "of", "for" and the like do not front.
pub(crate) const FRONTED_PREPOSITIONS: [&str; 4] = ["near", "behind", "beside", "around"];

/// The coordinator of the `coordination` frame. It is in the vocabulary only of tasks whose
/// frames use it, appended after every other word, so that the other tasks keep the
/// vocabulary (and the model sizes) of the grammar before frames existed.
pub(crate) const AND: &str = "and";

pub(crate) const PAD: &str = "<pad>";
pub(crate) const BOS: &str = "<s>";
pub(crate) const PERIOD: &str = ".";
pub(crate) const THAT: &str = "that";

/// The lexicon as token ids: id 0 is padding, then `<s>`, ".", "that", and every distinct
/// word in table order.
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    pub words: Vec<String>,
    pub bos: u32,
    pub period: u32,
    pub that: u32,
    pub nouns: Vec<[u32; 2]>,
    pub verbs: Vec<[u32; 2]>,
    pub determiners: Vec<[u32; 2]>,
    pub prepositions: Vec<u32>,
    pub adjectives: Vec<u32>,
    pub adverbs: Vec<u32>,
    /// Indices into `verbs` of the [`COMPLEMENT_VERBS`].
    pub complement_verbs: Vec<usize>,
    pub fronted_prepositions: Vec<u32>,
    /// "and", when the vocabulary has it.
    pub and: Option<u32>,
}

impl Lexicon {
    /// The lexicon; `and` adds [`AND`] as the last word.
    pub(crate) fn new(and: bool) -> Self {
        let mut words: Vec<String> = Vec::new();
        let mut id = |w: &str| -> u32 {
            match words.iter().position(|x| x == w) {
                Some(i) => i as u32,
                None => {
                    words.push(w.to_string());
                    (words.len() - 1) as u32
                }
            }
        };
        id(PAD);
        let bos = id(BOS);
        let period = id(PERIOD);
        let that = id(THAT);
        let mut pairs = |table: &[(&str, &str)]| -> Vec<[u32; 2]> {
            table.iter().map(|(s, p)| [id(s), id(p)]).collect()
        };
        let determiners = pairs(&DETERMINERS);
        let nouns = pairs(&NOUNS);
        let verbs = pairs(&VERBS);
        let prepositions = PREPOSITIONS.iter().map(|w| id(w)).collect();
        let adjectives = ADJECTIVES.iter().map(|w| id(w)).collect();
        let adverbs = ADVERBS.iter().map(|w| id(w)).collect();
        let fronted_prepositions = FRONTED_PREPOSITIONS.iter().map(|w| id(w)).collect();
        let and = and.then(|| id(AND));
        let complement_verbs = COMPLEMENT_VERBS
            .iter()
            .map(|w| {
                VERBS
                    .iter()
                    .position(|v| v.0 == *w)
                    .expect("a lexicon verb")
            })
            .collect();
        Self {
            words,
            bos,
            period,
            that,
            nouns,
            verbs,
            determiners,
            prepositions,
            adjectives,
            adverbs,
            complement_verbs,
            fronted_prepositions,
            and,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn lexicon_is_large_enough_and_every_form_has_one_category() {
        assert!(NOUNS.len() >= 40 && VERBS.len() >= 20);
        let mut seen = HashSet::new();
        let forms = NOUNS
            .iter()
            .chain(&VERBS)
            .flat_map(|(s, p)| [*s, *p])
            .chain(PREPOSITIONS)
            .chain(ADJECTIVES)
            .chain(ADVERBS)
            .chain([THAT, PERIOD, BOS, PAD, AND]);
        for w in forms {
            assert!(seen.insert(w), "`{w}` is in two places");
        }
        for (s, p) in DETERMINERS {
            assert!(!seen.contains(s) && !seen.contains(p), "determiner {s}/{p}");
        }
        for (s, p) in NOUNS.iter().chain(&VERBS) {
            assert_ne!(s, p);
        }
        let lex = Lexicon::new(false);
        assert_eq!(lex.words[0], PAD);
        let distinct: HashSet<&String> = lex.words.iter().collect();
        assert_eq!(distinct.len(), lex.words.len());
        assert_eq!(lex.words[lex.nouns[18][1] as usize], "children");
        assert!(!lex.words.iter().any(|w| w == AND));
        // "and" only appends: every other word keeps its id.
        let with_and = Lexicon::new(true);
        assert_eq!(with_and.words[..lex.words.len()], lex.words[..]);
        assert_eq!(with_and.words[with_and.and.unwrap() as usize], AND);
        assert_eq!(with_and.words.len(), lex.words.len() + 1);
        for &v in &lex.complement_verbs {
            assert!(COMPLEMENT_VERBS.contains(&VERBS[v].0));
        }
        assert!(FRONTED_PREPOSITIONS
            .iter()
            .all(|p| PREPOSITIONS.contains(p)));
    }
}
