//! Checks the hand-written test files in experiments/data/ word by word: every word is in the
//! lexicon, every label agrees with the number the lexicon gives the agreeing noun, and the
//! attractor and distance columns match what the grammar's parser reads off the words.
use std::collections::BTreeMap;
use std::path::Path;

use rnnlab_spec::{AgreementConfig, AgreementForm};

use super::checker::read;
use super::file::{parse_tsv, AgreementFile, Answer, FileItem};
use super::lexicon::{Number, NOUNS, VERBS};
use super::{Agreement, Unk};

const NUMBER: &str = include_str!("../../../../experiments/data/agreement-handcrafted.tsv");
const PAIRS: &str = include_str!("../../../../experiments/data/agreement-handcrafted-pairs.tsv");

fn verb_number(w: &str) -> Option<Number> {
    VERBS.iter().find_map(|(s, p)| {
        (w == *s)
            .then_some(Number::Singular)
            .or((w == *p).then_some(Number::Plural))
    })
}

/// The number a line says the next verb has.
fn label(item: &FileItem) -> Number {
    match &item.answer {
        Answer::Number { plural: true } => Number::Plural,
        Answer::Number { plural: false } => Number::Singular,
        Answer::Pair { good, bad } => {
            let (g, b) = (verb_number(good).unwrap(), verb_number(bad).unwrap());
            let pair = VERBS
                .iter()
                .any(|(s, p)| [*s, *p] == [good, bad] || [*p, *s] == [good, bad]);
            assert!(
                pair && g != b,
                "line {}: {good}/{bad} are not one verb's two forms",
                item.line
            );
            g
        }
    }
}

/// Checks one line against its family; panics with the line number on a mistake.
fn check(item: &FileItem) {
    let line = item.line;
    let words: Vec<&str> = item.prefix.iter().map(String::as_str).collect();
    let family = item.construction.as_deref().expect("a construction column");
    let has_that = words.contains(&"that");
    // The part of the prefix that starts with the agreeing noun phrase, and the construction
    // the parser must find there.
    let (clause, expected): (&[&str], &str) = match family {
        "simple" | "pp" | "subject_rc" | "object_rc" => (&words, family),
        "object_rc_no_that" => {
            assert!(!has_that, "line {line}");
            (&words, "object_rc")
        }
        "sentential_complement" => {
            let v = words.iter().position(|w| verb_number(w).is_some()).unwrap();
            let main = read(&words[..v], false).unwrap();
            assert_eq!(main.construction, "simple", "line {line}");
            assert_eq!(
                verb_number(words[v]),
                Some(main.subject),
                "line {line}: main verb"
            );
            assert_eq!(words[v + 1], "that", "line {line}");
            let inner = &words[v + 2..];
            let r = read(inner, false).unwrap();
            (inner, if r.modifiers == 0 { "simple" } else { "pp" })
        }
        "within_object_rc" | "within_object_rc_no_that" => {
            assert_eq!(has_that, family == "within_object_rc", "line {line}");
            let main = words
                .iter()
                .position(|w| NOUNS.iter().any(|(s, p)| w == s || w == p))
                .unwrap();
            let start = main + 1 + has_that as usize;
            (&words[start..], "simple")
        }
        other => panic!("line {line}: unknown family `{other}`"),
    };
    let r = read(clause, false).unwrap_or_else(|e| panic!("line {line}: {e}"));
    assert_eq!(
        r.subject,
        label(item),
        "line {line}: the label disagrees with the noun"
    );
    let kinds_ok = r.construction.split('+').all(|k| k == expected);
    assert!(
        kinds_ok,
        "line {line}: read {}, family {family}",
        r.construction
    );
    assert_eq!(
        item.attractors,
        Some(r.attractors),
        "line {line}: attractors"
    );
    assert_eq!(item.distance, Some(r.distance), "line {line}: distance");
}

fn file(text: &str, form: AgreementForm) -> AgreementFile {
    let file = parse_tsv(text, Path::new("handcrafted.tsv")).unwrap();
    let config = AgreementConfig {
        form,
        ..Default::default()
    };
    // Every word is in the vocabulary: `prepare` refuses the file otherwise.
    let task = Agreement::new(config, 1).unwrap();
    let kept = task.prepare(file.clone(), Unk::Error).unwrap();
    assert_eq!(kept.items.len(), file.items.len());
    file
}

#[test]
fn handcrafted_files_are_in_the_lexicon_and_their_labels_agree() {
    for (text, form) in [
        (NUMBER, AgreementForm::Number),
        (PAIRS, AgreementForm::LanguageModel),
    ] {
        let f = file(text, form);
        assert!(f.items.len() >= 100, "{} sentences", f.items.len());
        let mut families: BTreeMap<String, [usize; 2]> = BTreeMap::new();
        for item in &f.items {
            check(item);
            let n = families
                .entry(item.construction.clone().unwrap())
                .or_default();
            n[label(item).index()] += 1;
        }
        for (family, [sg, pl]) in &families {
            assert!(*sg >= 4 && *pl >= 4, "{family}: {sg} singular, {pl} plural");
        }
        assert_eq!(families.len(), 8, "{families:?}");
    }
}

#[test]
fn the_pairs_file_holds_the_same_prefixes_and_labels() {
    let (number, pairs) = (
        file(NUMBER, AgreementForm::Number),
        file(PAIRS, AgreementForm::LanguageModel),
    );
    assert_eq!(number.items.len(), pairs.items.len());
    for (a, b) in number.items.iter().zip(&pairs.items) {
        assert_eq!(
            (&a.prefix, label(a)),
            (&b.prefix, label(b)),
            "line {}",
            b.line
        );
        assert_eq!((a.attractors, a.distance), (b.attractors, b.distance));
    }
}
