//! The sentence grammar and its sampler:
//!
//! ```text
//! S        -> Det Adj? N_subj Modifier^k Adv^m V_main Det Adj? N "."   (the `main` frame)
//! Modifier -> PP   : Prep Det Adj* N
//!           | SRC  : "that" V Det Adj* N          (V agrees with the noun just before)
//!           | ORC  : ["that"] Det Adj* N V        (V agrees with its own noun; last only)
//! ```
//!
//! Each modifier holds exactly one noun and attaches to the noun before it (right-branching,
//! as in "the key to the cabinets near the door"). A modifier noun whose number differs from
//! the subject's is an attractor (Linzen et al. 2016). The sampler fixes, in this order: the
//! subject's number (fair coin, so the classes balance); the attractor count a, uniform; the
//! modifier count k given a, uniform over what `interveners_agree` allows; the modifier kinds,
//! uniform per slot (an object RC only in the last slot, its "that" present half the time);
//! the distance d, uniform over the lengths these kinds reach with at most `max_fillers`
//! fillers, intersected with the distance bounds (kinds with no such length are redrawn from
//! a); the fillers' places (up to two adjectives per modifier noun phrase, up to two adverbs
//! before the verb); and which a of the k modifiers carry the attractors, uniformly. Because
//! the last rule picks attractor slots independently of everything else, the last-noun
//! heuristic is right with probability exactly `E[1 - a/k]` (1 when k = 0), computed by
//! [`Sampler::last_noun_accuracy`] from the same distribution.
//!
//! With several frames (see `frame`), the frame is drawn uniformly right after the subject's
//! number, and the rest of the plan is drawn for that frame; a single frame draws nothing, so
//! `main` alone gives the sentences of the grammar before frames existed, draw for draw.
use super::frame::Frame;
use super::lexicon::Number;
use crate::Rng;

/// The kinds of modifier between the subject and its verb (Marvin & Linzen 2018 templates:
/// across a prepositional phrase, a subject relative clause, an object relative clause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pp,
    SubjectRc,
    ObjectRc,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Pp => "pp",
            Kind::SubjectRc => "subject_rc",
            Kind::ObjectRc => "object_rc",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Kind> {
        [Kind::Pp, Kind::SubjectRc, Kind::ObjectRc]
            .into_iter()
            .find(|k| k.name() == name)
    }

    /// Tokens without fillers; `that` only matters for object RCs.
    fn base(self, that: bool) -> usize {
        match self {
            Kind::Pp => 3,
            Kind::SubjectRc => 4,
            Kind::ObjectRc => 3 + that as usize,
        }
    }
}

/// The sentence distribution of one split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limits {
    pub max_attractors: usize,
    pub max_modifiers: usize,
    pub max_fillers: usize,
    pub min_distance: usize,
    pub max_distance: usize,
    /// `Some(true)`: all modifier nouns share one number; `Some(false)`: both numbers.
    pub agree: Option<bool>,
    pub kinds: Vec<Kind>,
    pub frames: Vec<Frame>,
}

/// Most fillers a noun phrase or the adverb slot takes.
const SLOT_CAPACITY: usize = 2;

/// One modifier as sampled: its kind, whether an object RC keeps "that", its noun's number
/// and its adjective count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Modifier {
    pub kind: Kind,
    pub that: bool,
    pub number: Number,
    pub adjectives: usize,
}

/// A sentence's structure, before words are chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub frame: Frame,
    pub subject: Number,
    pub attractors: usize,
    pub distance: usize,
    pub modifiers: Vec<Modifier>,
    pub adverbs: usize,
}

impl Plan {
    /// The construction label: modifier kinds joined by "+", or "simple", after the frame
    /// outside `main` (see [`Frame::label`]).
    pub(crate) fn construction(&self) -> String {
        let kinds: Vec<&str> = self.modifiers.iter().map(|m| m.kind.name()).collect();
        let clause = if kinds.is_empty() {
            "simple".to_string()
        } else {
            kinds.join("+")
        };
        self.frame.label(&clause)
    }

    /// "none" without modifiers; "agree" when all modifier nouns share a number; else "mixed".
    pub(crate) fn interveners(&self) -> &'static str {
        match self.modifiers.first() {
            None => "none",
            Some(first) if self.modifiers.iter().all(|m| m.number == first.number) => "agree",
            _ => "mixed",
        }
    }

    /// The number of the last noun before the verb.
    pub(crate) fn last_noun(&self) -> Number {
        self.modifiers.last().map_or(self.subject, |m| m.number)
    }
}

/// Draws plans for one split's limits.
#[derive(Debug, Clone)]
pub(crate) struct Sampler {
    limits: Limits,
}

impl Sampler {
    pub(crate) fn new(limits: Limits) -> Self {
        Self { limits }
    }

    /// The attractor counts drawn, uniformly.
    fn attractor_range(&self) -> (usize, usize) {
        let l = &self.limits;
        match l.agree {
            Some(false) => (1, l.max_attractors.min(l.max_modifiers.saturating_sub(1))),
            _ => (0, l.max_attractors),
        }
    }

    /// The modifier counts allowed with `a` attractors, drawn uniformly.
    fn modifier_range(&self, a: usize) -> (usize, usize) {
        let k = self.limits.max_modifiers;
        match self.limits.agree {
            Some(true) if a > 0 => (a, a),
            Some(false) => (a + 1, k),
            _ => (a, k),
        }
    }

    /// The kinds a slot may take: an object RC ends the modifiers.
    fn slot_kinds(&self, last: bool) -> Vec<Kind> {
        let kinds = self.limits.kinds.iter().copied();
        kinds.filter(|&k| last || k != Kind::ObjectRc).collect()
    }

    /// The distances reachable from a base length with `k` modifiers, within the bounds.
    fn window(&self, base: usize, k: usize) -> Option<(usize, usize)> {
        let l = &self.limits;
        let lo = base.max(l.min_distance);
        let hi = (base + l.max_fillers.min(SLOT_CAPACITY * (k + 1))).min(l.max_distance);
        (lo <= hi).then_some((lo, hi))
    }

    /// Samples a plan (the order of draws is described in the module documentation).
    pub(crate) fn plan(&self, rng: &mut Rng) -> Plan {
        let subject = if rng.below(2) == 0 {
            Number::Singular
        } else {
            Number::Plural
        };
        let frames = &self.limits.frames;
        let frame = match frames.len() {
            1 => frames[0],
            n => frames[rng.index(0, n)],
        };
        loop {
            let (a_lo, a_hi) = self.attractor_range();
            let a = rng.index(a_lo, a_hi + 1);
            let (k_lo, k_hi) = self.modifier_range(a);
            let k = rng.index(k_lo, k_hi + 1);
            let mut modifiers = Vec::with_capacity(k);
            for slot in 0..k {
                let kinds = self.slot_kinds(slot + 1 == k);
                let kind = kinds[rng.index(0, kinds.len())];
                let that = kind != Kind::ObjectRc || rng.below(2) == 1;
                modifiers.push(Modifier {
                    kind,
                    that,
                    number: subject,
                    adjectives: 0,
                });
            }
            let base: usize = modifiers.iter().map(|m| m.kind.base(m.that)).sum();
            let base = base + frame.span();
            let Some((lo, hi)) = self.window(base, k) else {
                continue;
            };
            let distance = rng.index(lo, hi + 1);
            // Fillers one at a time into a uniform slot with room: k noun phrases, then the
            // adverb slot.
            let mut load = vec![0usize; k + 1];
            for _ in base..distance {
                let open: usize = load.iter().filter(|&&n| n < SLOT_CAPACITY).count();
                let mut pick = rng.index(0, open);
                let slot = load
                    .iter()
                    .position(|&n| {
                        let fits = n < SLOT_CAPACITY;
                        if fits && pick == 0 {
                            return true;
                        }
                        pick -= fits as usize;
                        false
                    })
                    .expect("a slot with room");
                load[slot] += 1;
            }
            // A uniform a-subset of the k slots: a partial Fisher-Yates shuffle.
            let mut slots: Vec<usize> = (0..k).collect();
            for i in 0..a {
                let j = rng.index(i, k);
                slots.swap(i, j);
            }
            for &s in &slots[..a] {
                modifiers[s].number = subject.other();
            }
            for (m, &n) in modifiers.iter_mut().zip(&load) {
                m.adjectives = n;
            }
            return Plan {
                frame,
                subject,
                attractors: a,
                distance,
                modifiers,
                adverbs: load[k],
            };
        }
    }

    /// The exact distribution of accepted (a, k) pairs of one frame, weighted over every kind
    /// sequence, and the probability that a draw is accepted. Enumerates the same draws as
    /// [`Sampler::plan`].
    fn accepted(&self, frame: Frame) -> (Vec<(usize, usize, f64)>, f64) {
        let (a_lo, a_hi) = self.attractor_range();
        let mut pairs = Vec::new();
        let mut total = 0.0;
        if a_lo > a_hi {
            return (pairs, 0.0);
        }
        let pa = 1.0 / (a_hi - a_lo + 1) as f64;
        for a in a_lo..=a_hi {
            let (k_lo, k_hi) = self.modifier_range(a);
            if k_lo > k_hi {
                continue;
            }
            let pk = pa / (k_hi - k_lo + 1) as f64;
            for k in k_lo..=k_hi {
                let p = pk * self.kinds_accepted(k, 0, frame.span());
                pairs.push((a, k, p));
                total += p;
            }
        }
        (pairs, total)
    }

    /// The probability that slots `slot..k` draw kinds whose total base length, added to
    /// `base`, leaves a non-empty distance window.
    fn kinds_accepted(&self, k: usize, slot: usize, base: usize) -> f64 {
        if slot == k {
            return self.window(base, k).is_some() as u8 as f64;
        }
        let kinds = self.slot_kinds(slot + 1 == k);
        if kinds.is_empty() {
            return 0.0;
        }
        let p = 1.0 / kinds.len() as f64;
        kinds
            .iter()
            .map(|&kind| match kind {
                Kind::ObjectRc => [false, true]
                    .iter()
                    .map(|&that| 0.5 * self.kinds_accepted(k, slot + 1, base + kind.base(that)))
                    .sum::<f64>(),
                _ => self.kinds_accepted(k, slot + 1, base + kind.base(true)),
            })
            .sum::<f64>()
            * p
    }

    /// The first frame no sentence of which meets the limits, if any.
    pub(crate) fn infeasible(&self) -> Option<Frame> {
        let frames = self.limits.frames.iter().copied();
        frames.into_iter().find(|&f| self.accepted(f).1 <= 0.0)
    }

    /// The accuracy of predicting the verb's number from the last noun before it: 1 without
    /// modifiers, else 1 - a/k, averaged over the accepted distribution of each frame, and
    /// over the frames (drawn uniformly, before any redraw). No frame's noun comes between
    /// the subject and the verb, so the last noun is the clause's in every frame.
    pub(crate) fn last_noun_accuracy(&self) -> f64 {
        let frames = &self.limits.frames;
        let sum: f64 = frames.iter().map(|&f| self.frame_last_noun(f)).sum();
        sum / frames.len() as f64
    }

    /// The accuracy of predicting the verb's number from the first noun of the sentence: the
    /// mean of [`Frame::first_noun_accuracy`] over the frames.
    pub(crate) fn first_noun_accuracy(&self) -> f64 {
        let frames = &self.limits.frames;
        let sum: f64 = frames.iter().map(|f| f.first_noun_accuracy()).sum();
        sum / frames.len() as f64
    }

    fn frame_last_noun(&self, frame: Frame) -> f64 {
        let (pairs, total) = self.accepted(frame);
        let right: f64 = pairs
            .iter()
            .map(|&(a, k, p)| {
                p * if k == 0 {
                    1.0
                } else {
                    1.0 - a as f64 / k as f64
                }
            })
            .sum();
        right / total
    }
}
