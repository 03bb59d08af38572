//! Where a sentence sets its agreeing clause. In the `main` frame the clause is the sentence,
//! so its subject is always the first noun, and "predict the number of the first noun" is
//! right on every sentence, however many attractors follow it. The other frames put a noun of
//! a fair-coin number before the agreeing subject (a sentential complement's matrix subject,
//! an object relative clause's head, a fronted prepositional phrase's noun) or add a verb
//! between the subject and the one scored (verb-phrase coordination), the constructions of
//! Linzen, Dupoux & Goldberg 2016 §5 and Marvin & Linzen 2018 on which sequential heuristics
//! fail.
//!
//! ```text
//! main             : Clause V ...
//! complement       : Det Adj? N V_c "that" Clause V ...     (V_c: knows, remembers, understands)
//! coordination     : Clause V "and" V ...                   (both verbs agree with the subject)
//! within_object_rc : Det Adj? N ["that"] Clause V V' ...    (V agrees with the clause's subject,
//!                                                            V' with the head noun)
//! fronted_pp       : Prep Det Adj? N Clause V ...
//! Clause           : Det Adj? N_subj Modifier^k Adv^m       (the grammar module's modifiers)
//! ```
//!
//! The scored verb is the one after the clause (the second verb of a coordination).

use rnnlab_spec::AgreementConfig;

/// A sentence frame (the spec's `frames` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frame {
    Main,
    Complement,
    Coordination,
    WithinObjectRc,
    FrontedPp,
}

impl Frame {
    pub(crate) const ALL: [Frame; 5] = [
        Frame::Main,
        Frame::Complement,
        Frame::Coordination,
        Frame::WithinObjectRc,
        Frame::FrontedPp,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Frame::Main => "main",
            Frame::Complement => "complement",
            Frame::Coordination => "coordination",
            Frame::WithinObjectRc => "within_object_rc",
            Frame::FrontedPp => "fronted_pp",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Frame> {
        Frame::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The frames of a config: `main` alone when unset.
    pub(crate) fn of(config: &AgreementConfig) -> Vec<Frame> {
        match &config.frames {
            None => vec![Frame::Main],
            Some(names) => names.iter().filter_map(|f| Frame::parse(f)).collect(),
        }
    }

    /// Tokens the frame adds between the agreeing subject and the scored verb: the first
    /// verb and "and" of a coordination.
    pub(crate) fn span(self) -> usize {
        match self {
            Frame::Coordination => 2,
            _ => 0,
        }
    }

    /// How often the first noun of the sentence has the agreeing subject's number: always
    /// when the subject comes first, else half the time (the frame's own noun draws its
    /// number by a fair coin, independently of the subject's).
    pub(crate) fn first_noun_accuracy(self) -> f64 {
        match self {
            Frame::Main | Frame::Coordination => 1.0,
            _ => 0.5,
        }
    }

    /// The construction label of a sentence: the clause's modifier kinds (or "simple"),
    /// prefixed by the frame outside `main` ("complement:pp+subject_rc").
    pub(crate) fn label(self, clause: &str) -> String {
        match self {
            Frame::Main => clause.to_string(),
            _ => format!("{}:{clause}", self.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_specs_and_round_trip() {
        let config = |names: &[&str]| rnnlab_spec::AgreementConfig {
            frames: Some(names.iter().map(|n| n.to_string()).collect()),
            ..Default::default()
        };
        let names: Vec<&str> = Frame::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(config(&names).check(), Ok(()));
        assert!(config(&["cleft"]).check().is_err());
        for f in Frame::ALL {
            assert_eq!(Frame::parse(f.name()), Some(f));
        }
        assert_eq!(Frame::parse("cleft"), None);
        assert_eq!(Frame::Main.label("pp"), "pp");
        assert_eq!(Frame::FrontedPp.label("simple"), "fronted_pp:simple");
    }
}
