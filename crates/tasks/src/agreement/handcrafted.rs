//! Checks the hand-written test files in experiments/data/ word by word: every word is in the
//! lexicon, every label agrees with the number the lexicon gives the agreeing noun, and the
//! attractor and distance columns match what the grammar's parser reads off the words, and
//! the construction column names the frame and clause the parser reads.
use std::collections::BTreeMap;
use std::path::Path;

use rnnlab_spec::{AgreementConfig, AgreementForm};

use super::checker::read;
use super::file::{parse_tsv, AgreementFile, Answer, FileItem};
use super::lexicon::{Number, VERBS};
use super::{Agreement, Unk};

const NUMBER: &str = include_str!("../../../../experiments/data/agreement-handcrafted.tsv");
const PAIRS: &str = include_str!("../../../../experiments/data/agreement-handcrafted-pairs.tsv");
const FRAMES: &str = include_str!("../../../../experiments/data/agreement-frames.tsv");
const FRAME_PAIRS: &str = include_str!("../../../../experiments/data/agreement-frames-pairs.tsv");

/// The files: number form and its minimal pairs, whether they need a task with every frame
/// (for "and"), their least line count and their family count.
const FILES: [(&str, &str, bool, usize, usize); 2] = [
    (NUMBER, PAIRS, false, 100, 8),
    (FRAMES, FRAME_PAIRS, true, 60, 7),
];

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

/// The frame and clause construction the parser must read for a family, and whether the
/// line must have "that" (`None`: either). The families of the original file are Marvin &
/// Linzen's (2018); those of the frames file are the generator's construction labels
/// (`frame:clause`).
fn expected(family: &str) -> (&str, Vec<&str>, Option<bool>) {
    match family {
        "simple" | "pp" | "subject_rc" | "object_rc" => ("main", vec![family], None),
        "object_rc_no_that" => ("main", vec!["object_rc"], Some(false)),
        "sentential_complement" => ("complement", vec!["simple", "pp"], Some(true)),
        "within_object_rc" => ("within_object_rc", vec!["simple"], Some(true)),
        "within_object_rc_no_that" => ("within_object_rc", vec!["simple"], Some(false)),
        label => match label.split_once(':') {
            Some((frame, clause)) => (frame, vec![clause], None),
            None => panic!("unknown family `{label}`"),
        },
    }
}

/// Checks one line against its family; panics with the line number on a mistake.
fn check(item: &FileItem) {
    let line = item.line;
    let words: Vec<&str> = item.prefix.iter().map(String::as_str).collect();
    let family = item.construction.as_deref().expect("a construction column");
    let (frame, kinds, that) = expected(family);
    if let Some(that) = that {
        assert_eq!(words.contains(&"that"), that, "line {line}: `that`");
    }
    let r = read(&words).unwrap_or_else(|e| panic!("line {line}: {e}"));
    assert_eq!(r.frame, frame, "line {line}: frame");
    let clause = r.construction.rsplit(':').next().unwrap();
    let kinds_ok = clause.split('+').all(|k| kinds.contains(&k));
    assert!(
        kinds_ok,
        "line {line}: read {}, family {family}",
        r.construction
    );
    assert_eq!(
        r.subject,
        label(item),
        "line {line}: the label disagrees with the noun"
    );
    if family.contains(':') && r.frame != "coordination" {
        assert_ne!(
            r.first_noun, r.subject,
            "line {line}: the first noun agrees"
        );
    }
    assert_eq!(
        item.attractors,
        Some(r.attractors),
        "line {line}: attractors"
    );
    assert_eq!(item.distance, Some(r.distance), "line {line}: distance");
}

fn file(text: &str, form: AgreementForm, framed: bool) -> AgreementFile {
    let file = parse_tsv(text, Path::new("handcrafted.tsv")).unwrap();
    let frames = super::frame::Frame::ALL.map(|f| f.name().to_string());
    let config = AgreementConfig {
        form,
        frames: framed.then(|| frames.to_vec()),
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
    let forms = [AgreementForm::Number, AgreementForm::LanguageModel];
    for (text, form, framed, lines, count) in FILES
        .iter()
        .flat_map(|&(n, p, fr, l, c)| [(n, forms[0], fr, l, c), (p, forms[1], fr, l, c)])
    {
        let f = file(text, form, framed);
        assert!(f.items.len() >= lines, "{} sentences", f.items.len());
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
        assert_eq!(families.len(), count, "{families:?}");
    }
}

#[test]
fn the_pairs_file_holds_the_same_prefixes_and_labels() {
    for (number, pairs, framed, _, _) in FILES {
        let (number, pairs) = (
            file(number, AgreementForm::Number, framed),
            file(pairs, AgreementForm::LanguageModel, framed),
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
}
