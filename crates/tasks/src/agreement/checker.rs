//! An independent reader of agreement sentences: it parses the words back with the grammar's
//! rules and recomputes what the generator claims (attractors, distance, constructions, the
//! last noun), without reading the generator's plan or metadata. The tests hold the two
//! against each other; it also checks that every verb agrees with the noun it should.
use super::lexicon::{Number, ADJECTIVES, ADVERBS, DETERMINERS, NOUNS, PREPOSITIONS, VERBS};

/// What the words of a sentence say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    pub subject: Number,
    /// Modifier nouns whose number differs from the subject's.
    pub attractors: usize,
    /// Tokens strictly between the subject's head noun and the main verb.
    pub distance: usize,
    /// Modifier kinds in order, or "simple".
    pub construction: String,
    pub modifiers: usize,
    /// "none", "agree" or "mixed": the numbers of the modifier nouns among themselves.
    pub interveners: &'static str,
    pub last_noun: Number,
    /// Adjectives inside modifiers plus adverbs before the verb.
    pub fillers: usize,
    /// The main verb's position, when the sentence has one (language-model form).
    pub verb: Option<usize>,
}

fn noun(w: &str) -> Option<Number> {
    NOUNS.iter().find_map(|(s, p)| {
        (w == *s)
            .then_some(Number::Singular)
            .or((w == *p).then_some(Number::Plural))
    })
}

fn verb(w: &str) -> Option<Number> {
    VERBS.iter().find_map(|(s, p)| {
        (w == *s)
            .then_some(Number::Singular)
            .or((w == *p).then_some(Number::Plural))
    })
}

fn is_determiner(w: &str) -> bool {
    DETERMINERS.iter().any(|(s, p)| w == *s || w == *p)
}

struct Parser<'a> {
    words: &'a [&'a str],
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self, ahead: usize) -> Option<&'a str> {
        self.words.get(self.at + ahead).copied()
    }

    fn next(&mut self) -> Result<&'a str, String> {
        let w = self.peek(0).ok_or("sentence ends too early")?;
        self.at += 1;
        Ok(w)
    }

    /// Det Adj* N: the noun's number, its position and the adjective count. A number-marked
    /// determiner must match the noun.
    fn noun_phrase(&mut self) -> Result<(Number, usize, usize), String> {
        let det = self.next()?;
        if !is_determiner(det) {
            return Err(format!("expected a determiner, read `{det}`"));
        }
        let mut adjectives = 0;
        while self.peek(0).is_some_and(|w| ADJECTIVES.contains(&w)) {
            self.at += 1;
            adjectives += 1;
        }
        let w = self.next()?;
        let n = noun(w).ok_or_else(|| format!("expected a noun, read `{w}`"))?;
        let agrees = DETERMINERS.iter().any(|(s, p)| [*s, *p][n.index()] == det);
        if !agrees {
            return Err(format!("`{det} {w}` disagree"));
        }
        Ok((n, self.at - 1, adjectives))
    }

    fn verb_agreeing(&mut self, with: Number) -> Result<(), String> {
        let w = self.next()?;
        match verb(w) {
            Some(n) if n == with => Ok(()),
            Some(_) => Err(format!("`{w}` does not agree")),
            None => Err(format!("expected a verb, read `{w}`")),
        }
    }
}

/// Reads a sentence: the prefix up to the verb (`whole` false), or the whole sentence with
/// its verb, object and period (`whole` true).
pub(crate) fn read(words: &[&str], whole: bool) -> Result<Reading, String> {
    let mut p = Parser { words, at: 0 };
    let (subject, head, _) = p.noun_phrase()?;
    let mut kinds = Vec::new();
    let mut numbers = Vec::new();
    let mut fillers = 0;
    let mut previous = subject;
    while let Some(w) = p.peek(0) {
        let kind = if PREPOSITIONS.contains(&w) {
            p.at += 1;
            "pp"
        } else if w == "that" && p.peek(1).is_some_and(|v| verb(v).is_some()) {
            p.at += 1;
            p.verb_agreeing(previous)?;
            "subject_rc"
        } else if w == "that" || is_determiner(w) {
            p.at += (w == "that") as usize;
            "object_rc"
        } else {
            break;
        };
        if kinds.last() == Some(&"object_rc") {
            return Err("a modifier after an object relative clause".into());
        }
        let (n, _, adjectives) = p.noun_phrase()?;
        if kind == "object_rc" {
            p.verb_agreeing(n)?;
        }
        kinds.push(kind);
        numbers.push(n);
        fillers += adjectives;
        previous = n;
    }
    while p.peek(0).is_some_and(|w| ADVERBS.contains(&w)) {
        p.at += 1;
        fillers += 1;
    }
    let end = p.at;
    let verb_at = if whole {
        p.verb_agreeing(subject)?;
        p.noun_phrase()?;
        if p.next()? != "." {
            return Err("expected the period".into());
        }
        Some(end)
    } else {
        None
    };
    if p.at != words.len() {
        return Err(format!("unread words from `{}`", words[p.at]));
    }
    let interveners = match numbers.first() {
        None => "none",
        Some(f) if numbers.iter().all(|n| n == f) => "agree",
        _ => "mixed",
    };
    Ok(Reading {
        subject,
        attractors: numbers.iter().filter(|&&n| n != subject).count(),
        distance: end - head - 1,
        construction: if kinds.is_empty() {
            "simple".into()
        } else {
            kinds.join("+")
        },
        modifiers: kinds.len(),
        interveners,
        last_noun: numbers.last().copied().unwrap_or(subject),
        fillers,
        verb: verb_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split(' ').collect()
    }

    #[test]
    fn reads_the_classic_attractor_example() {
        let r = read(&words("the author of the tall farmers often"), false).unwrap();
        assert_eq!(r.subject, Number::Singular);
        assert_eq!((r.attractors, r.distance, r.fillers), (1, 5, 2));
        assert_eq!(r.last_noun, Number::Plural);
        assert_eq!(r.construction, "pp");
    }

    #[test]
    fn reads_relative_clauses_and_checks_their_verbs() {
        let s = "these pilots that admire the mice the lady sees like my horse .";
        let r = read(&words(s), true).unwrap();
        assert_eq!(r.construction, "subject_rc+object_rc");
        assert_eq!((r.attractors, r.distance, r.verb), (1, 7, Some(9)));
        assert_eq!(r.interveners, "mixed");
        // The subject RC's verb must agree with the pilots, the main verb with the subject.
        assert!(read(&words("the pilots that admires the mice"), false).is_err());
        assert!(read(&words("the pilots likes the mice ."), true).is_err());
        assert!(read(&words("this pilots"), false).is_err());
        assert!(read(&words("the pilots the mice see near the man"), false).is_err());
    }
}
