//! The treebank_agreement task on the EWT dev sample and on EWT dev itself.
use super::*;
use crate::treebank::{write_tsv, TsvForm};

const SAMPLE: &str = include_str!("../ewt-dev-sample.conllu");

fn config(train: &Path, held: Option<&Path>) -> TreebankAgreementConfig {
    let path = |p: &Path| p.to_str().unwrap().to_string();
    TreebankAgreementConfig {
        train: path(train),
        valid: held.map(path),
        test: held.map(path),
        vocab: 10_000,
    }
}

fn sample(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("sample.conllu");
    std::fs::write(&p, SAMPLE).unwrap();
    p
}

#[test]
fn batches_are_the_pairs_prefixes_and_numbers_right_padded() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let task = TreebankAgreement::new(&config(&p, Some(&p)), 7).unwrap();
    assert_eq!(task.len(Split::Train), 9);
    let b = task.batch(Split::Train, 0, 32);
    assert_eq!(
        b,
        task.batch(Split::Train, 0, 32),
        "a pure function of the index"
    );
    assert_ne!(b, task.batch(Split::Train, 1, 32));
    let Inputs::Tokens { ids, vocab } = &b.inputs else {
        panic!("tokens")
    };
    assert_eq!(*vocab, task.words.len());
    let Targets::LastClass { classes, .. } = &b.targets else {
        panic!("last class")
    };
    for i in 0..b.size {
        let row = &ids[i * b.steps..(i + 1) * b.steps];
        let n = b.length(i);
        assert!(
            row[..n].iter().all(|&id| id > 1),
            "every sample word is known"
        );
        assert!(row[n..].iter().all(|&id| id == 0), "right padding");
        let words: Vec<&str> = row[..n]
            .iter()
            .map(|&id| task.words[id as usize].as_str())
            .collect();
        let item = task
            .pairs(Split::Train)
            .iter()
            .find(|(_, it)| it.words == words)
            .unwrap();
        assert_eq!(classes[i], i64::from(item.1.plural));
        assert_eq!(b.meta[i]["subject"], number(item.1.plural));
        assert_eq!(b.meta[i]["distance"], item.1.distance.unwrap().to_string());
    }
    let text = task.describe(&b, 0).text;
    assert!(
        text.contains("[sg|*pl]") || text.contains("[pl|*sg]"),
        "{text}"
    );
}

#[test]
fn the_vocabulary_keeps_the_most_frequent_train_words() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let mut c = config(&p, Some(&p));
    c.vocab = 3;
    let task = TreebankAgreement::new(&c, 1).unwrap();
    // Counted by hand over the nine prefixes: `-` 4 times (in the two `Ash - Sharq al -
    // Awsat`), `the` 3, then eight words twice, of which `al` comes first alphabetically.
    assert_eq!(task.words, ["<pad>", "<unk>", "-", "the", "al"]);
    assert_eq!(task.id("The"), 3);
    assert_eq!(task.id("ash"), 1, "tied with `al`, but past the cap");
}

#[test]
fn missing_splits_are_carved_from_train_by_a_hash_of_the_words() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../experiments/data/ud-english-ewt/en_ewt-ud-dev.conllu.gz");
    let task = TreebankAgreement::new(&config(&dir, None), 1).unwrap();
    let (train, valid, test) = (
        task.len(Split::Train),
        task.len(Split::Valid),
        task.len(Split::Test),
    );
    assert_eq!(train + valid + test, 754, "every pair of EWT dev, once");
    assert!(
        valid > 40 && test > 40,
        "about a tenth each: {valid}, {test}"
    );
    let in_train = |words: &Vec<String>| {
        task.pairs(Split::Train)
            .iter()
            .any(|(_, i)| &i.words == words)
    };
    for split in [Split::Valid, Split::Test] {
        assert!(task.pairs(split).iter().all(|(_, i)| !in_train(&i.words)));
    }
    let again = TreebankAgreement::new(&config(&dir, None), 2).unwrap();
    assert_eq!(
        again.pairs(Split::Test),
        task.pairs(Split::Test),
        "the same for every seed"
    );
}

#[test]
fn number_form_files_train_like_the_treebank_and_pairs_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let e = extract(&read_conllu(&p).unwrap());
    let tsv = dir.path().join("pairs.tsv");
    std::fs::write(&tsv, write_tsv(&e, TsvForm::Number, "sample")).unwrap();
    let from_tsv = TreebankAgreement::new(&config(&tsv, Some(&tsv)), 3).unwrap();
    let from_conllu = TreebankAgreement::new(&config(&p, Some(&p)), 3).unwrap();
    assert_eq!(from_tsv.words, from_conllu.words);
    assert_eq!(
        from_tsv.batch(Split::Train, 0, 8).targets,
        from_conllu.batch(Split::Train, 0, 8).targets
    );
    std::fs::write(&tsv, write_tsv(&e, TsvForm::Pairs, "sample")).unwrap();
    let message = TreebankAgreement::new(&config(&tsv, None), 3).unwrap_err();
    assert!(message.contains("pairs.tsv: a minimal-pair"), "{message}");
    let message =
        TreebankAgreement::new(&config(&dir.path().join("none.conllu"), None), 3).unwrap_err();
    assert!(message.contains("none.conllu: cannot read it"), "{message}");
}

#[test]
fn baselines_are_the_majority_number_and_the_last_noun() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample(dir.path());
    let task = TreebankAgreement::new(&config(&p, Some(&p)), 1).unwrap();
    let b = task.baselines();
    // 6 of the 9 verbs are singular; the last noun is right on 5 (see tests.rs).
    assert_eq!((b[0].name, b[0].value), ("majority class", 6.0 / 9.0));
    assert_eq!((b[1].name, b[1].value), ("last noun", 5.0 / 9.0));
}
