use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::checker::{read, read_sentence, Reading};
use super::frame::Frame;
use super::lexicon::{Number, NOUNS, VERBS};
use super::*;
use crate::metrics;

fn config(f: impl FnOnce(&mut AgreementConfig)) -> AgreementConfig {
    let mut c = AgreementConfig::default();
    f(&mut c);
    c
}

fn lm(c: &mut AgreementConfig) {
    c.form = AgreementForm::LanguageModel;
}

/// The configs the property tests sweep: defaults, both forms, generalisation settings,
/// intervener controls, single constructions and distance bounds.
fn configs() -> Vec<AgreementConfig> {
    vec![
        config(|_| {}),
        config(lm),
        config(|c| {
            c.max_attractors = 1;
            c.test_max_attractors = Some(4);
        }),
        config(|c| {
            lm(c);
            c.max_modifiers = 4;
            c.max_fillers = 5;
            c.max_distance = Some(8);
            c.test_min_distance = Some(9);
            c.test_max_distance = Some(30);
        }),
        config(|c| c.interveners_agree = Some(true)),
        config(|c| {
            c.interveners_agree = Some(false);
            c.max_modifiers = 4;
        }),
        config(|c| {
            c.constructions = vec!["object_rc".into()];
            c.max_modifiers = 1;
            c.max_attractors = 1;
        }),
        config(|c| c.constructions = vec!["pp".into(), "subject_rc".into()]),
        config(|c| {
            c.max_attractors = 0;
            c.max_modifiers = 0;
            c.max_fillers = 0;
        }),
        config(frames::mixed),
        config(|c| {
            lm(c);
            frames::mixed(c);
            c.max_modifiers = 4;
            c.max_fillers = 4;
        }),
        config(|c| {
            frames::mixed(c);
            c.constructions = vec!["object_rc".into()];
            c.max_modifiers = 1;
            c.max_attractors = 1;
        }),
        config(|c| {
            c.frames = Some(vec!["coordination".into(), "within_object_rc".into()]);
            c.interveners_agree = Some(false);
            c.max_modifiers = 4;
            c.min_distance = 6;
        }),
    ]
}

/// The number of a class id of the number form.
fn class_number(class: i64) -> Number {
    if class == 0 {
        Number::Singular
    } else {
        Number::Plural
    }
}

fn task(c: &AgreementConfig, seed: u64) -> Agreement {
    Agreement::new(c.clone(), seed).unwrap()
}

/// The words of example `b`: the prefix in the number form, the whole sentence (without
/// `<s>`) in the language-model form.
fn words(t: &Agreement, batch: &Batch, b: usize) -> Vec<String> {
    let Inputs::Tokens { ids, .. } = &batch.inputs else {
        panic!("token inputs")
    };
    let row = &ids[b * batch.steps..b * batch.steps + batch.length(b)];
    let mut w: Vec<String> = row
        .iter()
        .filter(|&&id| id > 1)
        .map(|&id| t.word(id).to_string())
        .collect();
    if let Targets::PerStep { classes, .. } = &batch.targets {
        w.push(
            t.word(classes[b * batch.steps + batch.length(b) - 1])
                .to_string(),
        );
    }
    w
}

/// The checker's reading of example `b`: of its prefix (number form) or of the whole
/// sentence with the verb at its `verb_step` (language-model form).
fn reading(t: &Agreement, batch: &Batch, b: usize) -> Reading {
    let w = words(t, batch, b);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    let r = if t.language_model() {
        read_sentence(&w, verb_step(batch, b))
    } else {
        read(&w)
    };
    r.unwrap_or_else(|e| panic!("{e}: {}", w.join(" ")))
}

fn verb_step(batch: &Batch, b: usize) -> usize {
    batch.meta[b]["verb_step"].parse().unwrap()
}

fn limits_of(c: &AgreementConfig, split: Split) -> Limits {
    limits(c, split == Split::Test)
}

#[test]
fn the_checker_recomputes_the_metadata_from_the_words_on_many_seeds() {
    for c in configs() {
        for seed in 0..12 {
            let t = task(&c, seed);
            for split in [Split::Train, Split::Valid, Split::Test] {
                let batch = t.batch(split, seed, 24);
                let l = limits_of(&c, split);
                for b in 0..batch.size {
                    let r = reading(&t, &batch, b);
                    let m = &batch.meta[b];
                    let text = words(&t, &batch, b).join(" ");
                    assert_eq!(m["subject"], r.subject.name(), "{text}");
                    assert_eq!(m["attractors"], r.attractors.to_string(), "{text}");
                    assert_eq!(m["distance"], r.distance.to_string(), "{text}");
                    assert_eq!(m["construction"], r.construction, "{text}");
                    assert_eq!(m["modifiers"], r.modifiers.to_string(), "{text}");
                    assert_eq!(m["interveners"], r.interveners, "{text}");
                    assert_eq!(m["last_noun"], r.last_noun.name(), "{text}");
                    if c.frames.is_some() {
                        assert_eq!(m["frame"], r.frame, "{text}");
                        assert_eq!(m["first_noun"], r.first_noun.name(), "{text}");
                    } else {
                        assert_eq!(r.frame, "main", "{text}");
                        assert!(!m.contains_key("frame") && !m.contains_key("first_noun"));
                    }
                    let w = words(&t, &batch, b);
                    let lemmas: Vec<usize> = w
                        .iter()
                        .filter_map(|x| NOUNS.iter().position(|(s, p)| x == s || x == p))
                        .collect();
                    let distinct: BTreeSet<&usize> = lemmas.iter().collect();
                    assert_eq!(distinct.len(), lemmas.len(), "nouns repeat: {text}");
                    // The limits hold.
                    assert!(r.attractors <= l.max_attractors, "{text}");
                    assert!(r.modifiers <= l.max_modifiers, "{text}");
                    assert!(r.fillers <= l.max_fillers, "{text}");
                    assert!(
                        (l.min_distance..=l.max_distance).contains(&r.distance),
                        "{text}"
                    );
                    let clause = r.construction.rsplit(':').next().unwrap();
                    for kind in clause.split('+').filter(|&k| k != "simple") {
                        assert!(c.constructions.iter().any(|x| x == kind), "{text}");
                    }
                    match c.interveners_agree {
                        Some(true) => assert_ne!(r.interveners, "mixed", "{text}"),
                        Some(false) => assert_eq!(r.interveners, "mixed", "{text}"),
                        None => {}
                    }
                    // The verb forms: one verb, the good one agreeing with the subject.
                    let (good, bad) = (
                        t.word(m["good_id"].parse().unwrap()),
                        t.word(m["bad_id"].parse().unwrap()),
                    );
                    let pair = [good, bad];
                    let [s, p] = match r.subject {
                        Number::Singular => pair,
                        Number::Plural => [bad, good],
                    };
                    assert!(VERBS.contains(&(s, p)), "{good}/{bad}");
                    let step: usize = m["verb_step"].parse().unwrap();
                    match &batch.targets {
                        Targets::LastClass { classes, .. } => {
                            assert_eq!(class_number(classes[b]), r.subject, "{text}");
                            assert_eq!(step, batch.length(b) - 1);
                        }
                        Targets::PerStep { classes, .. } => {
                            // `reading` read the verb at `step` as the one agreeing.
                            assert_eq!(t.word(classes[b * batch.steps + step]), good);
                        }
                        Targets::LastValue { .. } => unreachable!(),
                    }
                }
            }
        }
    }
}

mod baselines;
mod frames;
mod sampling;
