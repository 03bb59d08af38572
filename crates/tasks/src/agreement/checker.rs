//! An independent reader of agreement sentences: it parses the words back with the grammar's
//! rules and recomputes what the generator claims (frame, attractors, distance, constructions,
//! the first and last noun), without reading the generator's plan or metadata. The tests hold the two
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
    /// The frame the clause is set in (`main`, `complement`, ...; see `frame`).
    pub frame: &'static str,
    /// The number of the sentence's first noun.
    pub first_noun: Number,
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

/// The agreeing clause: subject, modifiers, adverbs.
struct Clause {
    subject: Number,
    /// The subject's head noun's position.
    head: usize,
    kinds: Vec<&'static str>,
    numbers: Vec<Number>,
    fillers: usize,
}

impl Parser<'_> {
    /// Det Adj* N_subj Modifier* Adv*, checking the relative clauses' verbs.
    fn clause(&mut self) -> Result<Clause, String> {
        let (subject, head, _) = self.noun_phrase()?;
        let mut kinds = Vec::new();
        let mut numbers = Vec::new();
        let mut fillers = 0;
        let mut previous = subject;
        while let Some(w) = self.peek(0) {
            let kind = if PREPOSITIONS.contains(&w) {
                self.at += 1;
                "pp"
            } else if w == "that" && self.peek(1).is_some_and(|v| verb(v).is_some()) {
                self.at += 1;
                self.verb_agreeing(previous)?;
                "subject_rc"
            } else if w == "that" || is_determiner(w) {
                self.at += (w == "that") as usize;
                "object_rc"
            } else {
                break;
            };
            if kinds.last() == Some(&"object_rc") {
                return Err("a modifier after an object relative clause".into());
            }
            let (n, _, adjectives) = self.noun_phrase()?;
            if kind == "object_rc" {
                self.verb_agreeing(n)?;
            }
            kinds.push(kind);
            numbers.push(n);
            fillers += adjectives;
            previous = n;
        }
        while self.peek(0).is_some_and(|w| ADVERBS.contains(&w)) {
            self.at += 1;
            fillers += 1;
        }
        Ok(Clause {
            subject,
            head,
            kinds,
            numbers,
            fillers,
        })
    }

    fn end(&self) -> Result<(), String> {
        match self.peek(0) {
            None => Ok(()),
            Some(w) => Err(format!("unread words from `{w}`")),
        }
    }
}

/// Finds the frame of a prefix and parses it: a fronted PP opens with its preposition; a
/// complement reads "N V that"; otherwise the prefix is a `main` clause (a `coordination`
/// when "V and" follows it), or, when it is not, the clause of a relative whose head is the
/// first noun phrase (`within_object_rc`). No prefix parses two ways: a main clause's object
/// relative always ends with its verb, the relative clause of `within_object_rc` never does.
fn frame(words: &[&str]) -> Result<(&'static str, Number, Clause), String> {
    let mut p = Parser { words, at: 0 };
    if words.first().is_some_and(|w| PREPOSITIONS.contains(w)) {
        p.at = 1;
        let (first, _, _) = p.noun_phrase()?;
        let c = p.clause()?;
        return p.end().map(|()| ("fronted_pp", first, c));
    }
    let (first, _, _) = p.noun_phrase()?;
    if p.peek(0).is_some_and(|v| verb(v).is_some()) && p.peek(1) == Some("that") {
        p.verb_agreeing(first)?;
        p.at += 1;
        let c = p.clause()?;
        return p.end().map(|()| ("complement", first, c));
    }
    let after_head = p.at;
    let mut main = Parser { words, at: 0 };
    let plain = main.clause().and_then(|c| {
        if main.peek(0).is_some() && main.peek(1) == Some("and") {
            main.verb_agreeing(c.subject)?;
            main.at += 1;
            return main.end().map(|()| ("coordination", c));
        }
        main.end().map(|()| ("main", c))
    });
    let e = match plain {
        Ok((name, c)) => return Ok((name, c.subject, c)),
        Err(e) => e,
    };
    p.at = after_head + (p.peek(0) == Some("that")) as usize;
    let inner = p.clause().and_then(|c| p.end().map(|()| c));
    let c = inner.map_err(|e2| format!("{e} (as a relative clause's prefix: {e2})"))?;
    Ok(("within_object_rc", first, c))
}

/// Reads a prefix: the words up to, not including, the verb whose number is asked for.
pub(crate) fn read(words: &[&str]) -> Result<Reading, String> {
    let (frame, first_noun, c) = frame(words)?;
    let interveners = match c.numbers.first() {
        None => "none",
        Some(f) if c.numbers.iter().all(|n| n == f) => "agree",
        _ => "mixed",
    };
    let clause = if c.kinds.is_empty() {
        "simple".to_string()
    } else {
        c.kinds.join("+")
    };
    Ok(Reading {
        subject: c.subject,
        attractors: c.numbers.iter().filter(|&&n| n != c.subject).count(),
        distance: words.len() - c.head - 1,
        construction: if frame == "main" {
            clause
        } else {
            format!("{frame}:{clause}")
        },
        modifiers: c.kinds.len(),
        interveners,
        last_noun: c.numbers.last().copied().unwrap_or(c.subject),
        fillers: c.fillers,
        frame,
        first_noun,
    })
}

/// Reads a whole sentence whose verb at `verb` is the one asked for: the prefix before it
/// (see [`read`]), then that verb agreeing with the prefix's subject, a relative clause's
/// head's own verb (`within_object_rc`), the object and the period. (The tests read the
/// generator's language-model sentences with it.)
#[cfg(test)]
pub(crate) fn read_sentence(words: &[&str], verb: usize) -> Result<Reading, String> {
    let r = read(words.get(..verb).ok_or("the verb is past the end")?)?;
    let mut p = Parser { words, at: verb };
    p.verb_agreeing(r.subject)?;
    if r.frame == "within_object_rc" {
        p.verb_agreeing(r.first_noun)?;
    }
    p.noun_phrase()?;
    if p.next()? != "." {
        return Err("expected the period".into());
    }
    p.end()?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split(' ').collect()
    }

    fn reads(s: &str) -> Reading {
        read(&words(s)).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn reads_the_classic_attractor_example() {
        let r = reads("the author of the tall farmers often");
        assert_eq!(r.subject, Number::Singular);
        assert_eq!((r.attractors, r.distance, r.fillers), (1, 5, 2));
        assert_eq!(
            (r.last_noun, r.first_noun),
            (Number::Plural, Number::Singular)
        );
        assert_eq!((r.construction.as_str(), r.frame), ("pp", "main"));
    }

    #[test]
    fn reads_relative_clauses_and_checks_their_verbs() {
        let s = "these pilots that admire the mice the lady sees like my horse .";
        let r = read_sentence(&words(s), 9).unwrap();
        assert_eq!(r.construction, "subject_rc+object_rc");
        assert_eq!((r.attractors, r.distance), (1, 7));
        assert_eq!(r.interveners, "mixed");
        // The subject RC's verb must agree with the pilots, the main verb with the subject.
        assert!(read(&words("the pilots that admires the mice")).is_err());
        assert!(read_sentence(&words("the pilots likes the mice ."), 2).is_err());
        assert!(read(&words("this pilots")).is_err());
        assert!(read(&words("the pilots the mice see near the man")).is_err());
    }

    #[test]
    fn reads_a_complement_with_an_attractor_on_its_subject() {
        let r = reads("the teachers know that the senators around the thief");
        assert_eq!(
            (r.frame, r.construction.as_str()),
            ("complement", "complement:pp")
        );
        assert_eq!((r.subject, r.first_noun), (Number::Plural, Number::Plural));
        assert_eq!(
            (r.attractors, r.distance, r.last_noun),
            (1, 3, Number::Singular)
        );
        let r = reads("the teacher knows that the senators");
        assert_eq!(
            (r.subject, r.first_noun),
            (Number::Plural, Number::Singular)
        );
        // The matrix verb agrees with the matrix subject.
        assert!(read(&words("the teacher know that the senators")).is_err());
        let s = "the teacher knows that the senators trust my fox .";
        assert_eq!(read_sentence(&words(s), 6).unwrap().subject, Number::Plural);
        assert!(read_sentence(&words(s), 5).is_err());
    }

    #[test]
    fn reads_a_coordination_whose_second_verb_agrees_with_the_subject() {
        let r = reads("the author of the pilots likes and");
        assert_eq!(
            (r.frame, r.construction.as_str()),
            ("coordination", "coordination:pp")
        );
        assert_eq!(
            (r.subject, r.first_noun, r.last_noun),
            (Number::Singular, Number::Singular, Number::Plural)
        );
        // Distance: "of the pilots likes and".
        assert_eq!((r.attractors, r.distance, r.fillers), (1, 5, 0));
        assert!(read(&words("the author of the pilots like and")).is_err());
        let s = "the author of the pilots likes and admires the fox .";
        assert!(read_sentence(&words(s), 7).is_ok());
        let s = "the author of the pilots likes and admire the fox .";
        assert!(read_sentence(&words(s), 7).is_err());
    }

    #[test]
    fn reads_the_verb_inside_a_centre_embedded_relative() {
        for (s, frame) in [
            (
                "the senator that the teachers near the thief",
                "within_object_rc",
            ),
            (
                "the senator the teachers near the thief",
                "within_object_rc",
            ),
            ("the senator that the teachers admire", "main"),
        ] {
            let r = reads(s);
            assert_eq!(r.frame, frame, "{s}");
            assert_eq!(r.first_noun, Number::Singular, "{s}");
        }
        let r = reads("the senator that the teachers near the thief");
        assert_eq!(
            (r.subject, r.attractors, r.distance),
            (Number::Plural, 1, 3)
        );
        assert_eq!(r.construction, "within_object_rc:pp");
        // Doubly centre-embedded: the innermost object relative ends with its verb.
        let r = reads("the senator that the teachers that the thief likes");
        assert_eq!(
            (r.subject, r.construction.as_str()),
            (Number::Plural, "within_object_rc:object_rc")
        );
        // The head's own verb follows the relative's, agreeing with the head.
        let s = "the senator that the teachers admire likes the fox .";
        assert_eq!(
            read_sentence(&words(s), 5).unwrap().frame,
            "within_object_rc"
        );
        assert_eq!(read_sentence(&words(s), 6).unwrap().frame, "main");
        assert!(read_sentence(
            &words("the senator that the teachers admire like the fox ."),
            5
        )
        .is_err());
    }

    #[test]
    fn reads_a_fronted_prepositional_phrase() {
        let r = reads("near the thieves the doctor of the pilot");
        assert_eq!(
            (r.frame, r.construction.as_str()),
            ("fronted_pp", "fronted_pp:pp")
        );
        assert_eq!(
            (r.subject, r.first_noun),
            (Number::Singular, Number::Plural)
        );
        assert_eq!((r.attractors, r.distance), (0, 3));
        assert!(read(&words("near the thieves")).is_err());
    }
}
