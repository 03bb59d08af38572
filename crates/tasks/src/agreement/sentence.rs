//! A plan's words: the frame's own words around the agreeing clause, the clause, and the
//! verb's two forms.
use super::frame::Frame;
use super::grammar::{Kind, Plan};
use super::lexicon::{Lexicon, Number};
use crate::Rng;

/// A sentence as token ids: the prefix before the verb, the verb's two forms (grammatical
/// first), and what follows the verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub prefix: Vec<u32>,
    pub good: u32,
    pub bad: u32,
    pub rest: Vec<u32>,
}

fn coin(rng: &mut Rng) -> Number {
    if rng.below(2) == 0 {
        Number::Singular
    } else {
        Number::Plural
    }
}

/// Chooses the words of a plan. `object` adds what follows the scored verb (the
/// language-model form reads the whole sentence): the verb's object and the period, after
/// the main verb when the scored verb is a relative clause's.
///
/// The `main` frame draws exactly what the grammar drew before frames existed; the words of
/// the other frames are drawn before the clause (the frame's noun phrase) or after it.
pub(crate) fn realise(plan: &Plan, lex: &Lexicon, rng: &mut Rng, object: bool) -> Sentence {
    let mut prefix = Vec::with_capacity(8 + 5 * plan.modifiers.len() + plan.adverbs);
    let pick = |rng: &mut Rng, ids: &[u32]| ids[rng.index(0, ids.len())];
    let pair = |rng: &mut Rng, ids: &[[u32; 2]], n: Number| ids[rng.index(0, ids.len())][n.index()];
    // Nouns are drawn without replacement within a sentence ("the nephew that likes the
    // nephew" reads oddly); the lexicon has far more nouns than a sentence's at most eleven.
    let mut used: Vec<usize> = Vec::with_capacity(plan.modifiers.len() + 3);
    let mut noun_phrase = |rng: &mut Rng, out: &mut Vec<u32>, n: Number, adjectives: usize| {
        out.push(pair(rng, &lex.determiners, n));
        for _ in 0..adjectives {
            out.push(pick(rng, &lex.adjectives));
        }
        let noun = loop {
            let i = rng.index(0, lex.nouns.len());
            if !used.contains(&i) {
                break i;
            }
        };
        used.push(noun);
        out.push(lex.nouns[noun][n.index()]);
    };
    // The frame's words before the clause; `head` is the number of a relative clause's head.
    let mut head = None;
    if plan.frame == Frame::FrontedPp {
        prefix.push(pick(rng, &lex.fronted_prepositions));
    }
    if matches!(
        plan.frame,
        Frame::Complement | Frame::WithinObjectRc | Frame::FrontedPp
    ) {
        let (n, adjectives) = (coin(rng), rng.below(2) as usize);
        noun_phrase(rng, &mut prefix, n, adjectives);
        head = Some(n);
        match plan.frame {
            Frame::Complement => {
                let verb = lex.complement_verbs[rng.index(0, lex.complement_verbs.len())];
                prefix.push(lex.verbs[verb][n.index()]);
                prefix.push(lex.that);
            }
            Frame::WithinObjectRc if rng.below(2) == 1 => prefix.push(lex.that),
            _ => {}
        }
    }
    let subject_adjectives = rng.below(2) as usize;
    noun_phrase(rng, &mut prefix, plan.subject, subject_adjectives);
    let mut previous = plan.subject;
    for m in &plan.modifiers {
        match m.kind {
            Kind::Pp => {
                prefix.push(pick(rng, &lex.prepositions));
                noun_phrase(rng, &mut prefix, m.number, m.adjectives);
            }
            Kind::SubjectRc => {
                prefix.push(lex.that);
                prefix.push(pair(rng, &lex.verbs, previous));
                noun_phrase(rng, &mut prefix, m.number, m.adjectives);
            }
            Kind::ObjectRc => {
                if m.that {
                    prefix.push(lex.that);
                }
                noun_phrase(rng, &mut prefix, m.number, m.adjectives);
                prefix.push(pair(rng, &lex.verbs, m.number));
            }
        }
        previous = m.number;
    }
    for _ in 0..plan.adverbs {
        prefix.push(pick(rng, &lex.adverbs));
    }
    let mut verb = rng.index(0, lex.verbs.len());
    if plan.frame == Frame::Coordination {
        // "... likes and [admires|admire]": two different verbs sharing one object.
        prefix.push(lex.verbs[verb][plan.subject.index()]);
        prefix.push(lex.and.expect("a coordination task's lexicon has `and`"));
        let first = verb;
        while verb == first {
            verb = rng.index(0, lex.verbs.len());
        }
    }
    let verb = lex.verbs[verb];
    let mut rest = Vec::new();
    if object {
        if plan.frame == Frame::WithinObjectRc {
            let head = head.expect("a relative clause has a head");
            rest.push(pair(rng, &lex.verbs, head));
        }
        let n = coin(rng);
        let adjectives = rng.below(2) as usize;
        noun_phrase(rng, &mut rest, n, adjectives);
        rest.push(lex.period);
    }
    Sentence {
        prefix,
        good: verb[plan.subject.index()],
        bad: verb[plan.subject.other().index()],
        rest,
    }
}
