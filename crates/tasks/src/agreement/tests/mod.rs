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

#[test]
fn padding_is_on_the_right_and_masked() {
    for c in [config(|_| {}), config(lm)] {
        let t = task(&c, 3);
        let batch = t.batch(Split::Train, 0, 32);
        let Inputs::Tokens { ids, vocab } = &batch.inputs else {
            unreachable!()
        };
        assert_eq!(*vocab, t.vocab().unwrap().len());
        for b in 0..32 {
            let row = &ids[b * batch.steps..(b + 1) * batch.steps];
            let n = batch.length(b);
            assert_eq!(n, row.iter().take_while(|&&id| id > 0).count(), "{row:?}");
            assert!(row[n..].iter().all(|&id| id == 0), "{row:?}");
            if let Targets::PerStep { mask, recall, .. } = &batch.targets {
                let m = &mask[b * batch.steps..(b + 1) * batch.steps];
                assert!(m[..n].iter().all(|&v| v == 1.0) && m[n..].iter().all(|&v| v == 0.0));
                assert!(recall.iter().all(|&v| v == 0.0));
                assert_eq!(row[0], t.lexicon.bos as i64);
            }
        }
        assert!(ids.contains(&0), "some sentence is shorter");
    }
}

#[test]
fn splits_share_no_sentence() {
    // A small prefix space (no modifiers, no fillers: about 13 000 prefixes), so that
    // without the partition the splits would share many sentences.
    let small = config(|c| {
        c.max_attractors = 0;
        c.max_modifiers = 0;
        c.max_fillers = 0;
    });
    for c in [small, config(lm)] {
        let t = task(&c, 5);
        let mut sets: Vec<HashSet<Vec<String>>> = Vec::new();
        for split in [Split::Train, Split::Valid, Split::Test] {
            let mut set = HashSet::new();
            let mut drawn = 0;
            for index in 0..40 {
                let batch = t.batch(split, index, 100);
                for b in 0..batch.size {
                    let mut w = words(&t, &batch, b);
                    if t.language_model() {
                        w.truncate(verb_step(&batch, b));
                    }
                    set.insert(w);
                    drawn += 1;
                }
            }
            if c.max_modifiers == 0 {
                assert!(
                    set.len() < drawn * 9 / 10,
                    "repeats within a split are expected"
                );
            }
            sets.push(set);
        }
        for i in 0..3 {
            for j in i + 1..3 {
                assert_eq!(sets[i].intersection(&sets[j]).count(), 0, "splits {i} {j}");
            }
        }
    }
}

#[test]
fn subjects_are_balanced_overall_and_per_attractor_count() {
    let t = task(&config(|c| c.max_attractors = 3), 2);
    let batch = t.batch(Split::Train, 0, 24_000);
    let Targets::LastClass { classes, .. } = &batch.targets else {
        unreachable!()
    };
    let mut by: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for (m, &c) in batch.meta.iter().zip(classes) {
        for key in ["all".to_string(), m["attractors"].clone()] {
            let e = by.entry(key).or_default();
            e.0 += c as f64;
            e.1 += 1.0;
        }
    }
    assert_eq!(by.len(), 5, "attractors 0..=3 and all: {by:?}");
    for (key, (plural, n)) in by {
        // Four standard deviations of a fair coin.
        assert!(
            (plural / n - 0.5).abs() < 2.0 / n.sqrt(),
            "{key}: {plural}/{n}"
        );
    }
}

#[test]
fn generalisation_limits_separate_train_from_test() {
    let c = config(|c| {
        c.max_attractors = 1;
        c.test_max_attractors = Some(4);
        c.max_fillers = 3;
        c.max_distance = Some(6);
        c.test_min_distance = Some(7);
        c.test_max_distance = Some(40);
    });
    let t = task(&c, 4);
    let summary = |split| {
        let batch = t.batch(split, 1, 3_000);
        let mut seen = BTreeSet::new();
        let mut distances = BTreeSet::new();
        for b in 0..batch.size {
            let r = reading(&t, &batch, b);
            seen.insert(r.attractors);
            distances.insert(r.distance);
        }
        (seen, distances)
    };
    for split in [Split::Train, Split::Valid] {
        let (a, d) = summary(split);
        assert_eq!(a, BTreeSet::from([0, 1]));
        assert!(*d.last().unwrap() <= 6);
    }
    let (a, d) = summary(Split::Test);
    assert_eq!(a, BTreeSet::from([0, 1, 2, 3, 4]));
    assert!(*d.first().unwrap() >= 7);
}

/// Distance is controlled apart from attractors: within one distance, every attractor
/// count occurs, and within one attractor count, many distances.
#[test]
fn attractors_and_distance_cross() {
    let c = config(|c| {
        c.max_modifiers = 4;
        c.max_fillers = 6;
    });
    let t = task(&c, 6);
    let batch = t.batch(Split::Train, 0, 6_000);
    let mut pairs = BTreeSet::new();
    for b in 0..batch.size {
        let r = reading(&t, &batch, b);
        pairs.insert((r.attractors, r.distance));
    }
    for a in 0..=2 {
        assert!(pairs.contains(&(a, 12)), "a={a} at d=12: {pairs:?}");
        let spread = pairs.iter().filter(|(x, _)| *x == a).count();
        assert!(spread >= 10, "a={a}: {pairs:?}");
    }
}

#[test]
fn unreachable_limits_are_refused() {
    let far = config(|c| c.min_distance = 40);
    assert!(Agreement::new(far, 0)
        .unwrap_err()
        .contains("no train sentence"));
    let test_far = config(|c| c.test_min_distance = Some(40));
    assert!(Agreement::new(test_far, 0)
        .unwrap_err()
        .contains("no test sentence"));
    let bad = config(|c| c.max_attractors = 9);
    assert!(Agreement::new(bad, 0).is_err());
}

#[test]
fn batches_are_reproducible() {
    let t = task(&config(lm), 8);
    assert_eq!(t.batch(Split::Test, 2, 16), t.batch(Split::Test, 2, 16));
    assert_ne!(t.batch(Split::Test, 2, 16), t.batch(Split::Test, 3, 16));
    assert_ne!(
        t.batch(Split::Test, 2, 16),
        task(&config(lm), 9).batch(Split::Test, 2, 16)
    );
}

#[test]
fn golden_fingerprints() {
    let got = [
        (config(|_| {}), Split::Train),
        (config(|_| {}), Split::Test),
        (config(lm), Split::Train),
        (config(lm), Split::Valid),
    ]
    .map(|(c, s)| task(&c, 1).batch(s, 0, 4).fingerprint());
    assert_eq!(got, GOLDEN, "agreement data changed: {got:#x?}");
}
/// Fingerprints of the first batches (4 examples, seed 1), computed once; a change means
/// the generator's output changed and every stored result drawn from it is stale.
const GOLDEN: [u64; 4] = [
    0x80cc_ec1a_6715_942f,
    0x46de_ea85_5235_1bae,
    0x4fcd_6970_e5c2_1af4,
    0xd531_27b3_fd18_5d19,
];

#[test]
fn description_marks_the_verb_slot() {
    for c in [config(|_| {}), config(lm)] {
        let t = task(&c, 2);
        let batch = t.batch(Split::Train, 0, 4);
        for b in 0..4 {
            let ex = t.describe(&batch, b);
            let (good, bad) = (
                ex.json["good"].as_str().unwrap(),
                ex.json["bad"].as_str().unwrap(),
            );
            let prefix = ex.json["prefix"].as_str().unwrap();
            let slot = format!("{prefix} [{good}|*{bad}]");
            assert!(ex.text.starts_with(&slot), "{}", ex.text);
            assert!(ex
                .text
                .contains(&format!("attractors={}", batch.meta[b]["attractors"])));
            assert_eq!(
                ex.json["attractors"],
                json!(batch.meta[b]["attractors"].parse::<i64>().unwrap())
            );
            if t.language_model() {
                assert!(ex.json["sentence"].as_str().unwrap().ends_with(" ."));
            }
        }
    }
}
