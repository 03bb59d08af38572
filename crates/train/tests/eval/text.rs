//! `text` runs (language models) on minimal-pair files: unknown prefix words read as
//! `<unk>`, pairs with unknown verbs left out, and each verb's score checked against the
//! model's own outputs on the prefix, computed here without the scorer's batching.
use std::path::Path;

use rnnlab_tasks::{Split, Unk};
use rnnlab_train::{evaluate_file, load_run, LoadedRun};
use tch::{Device, Kind, Tensor};

use super::train;

/// A corpus with agreement in it; "Rex" only ever capitalised, "the" only in lower case
/// after the first word, and none of "zebra", "near", "gallop(s)", "flies".
fn corpus(dir: &Path) -> String {
    let lines = [
        "The dog runs",
        "The dogs run",
        "The cat sleeps",
        "The cats sleep",
        "The dog sees the cats",
        "The cats see the dog",
        "Rex runs",
    ];
    let path = dir.join("corpus.txt");
    std::fs::write(&path, (lines.join("\n") + "\n").repeat(30)).unwrap();
    path.to_str().unwrap().to_string()
}

fn sweep(level: &str, corpus: &str, bptt: usize) -> String {
    format!(
        "name: tiny-text-{level}\nbase:\n  task: {{ kind: text, level: {level}, corpus: {{ train: \
         '{corpus}' }}, bptt: {bptt} }}\n  model: {{ cell: lstm, hidden: 8, embedding: 8 }}\n  \
         train: {{ lr: 1.0e-2, batch: 4, steps: 12, eval_every: 12, save: true }}\n"
    )
}

/// Log-softmax of the model's outputs on one unpadded row of token ids: `[T, V]`.
fn log_probabilities(run: &LoadedRun, ids: &[i64]) -> Tensor {
    let _guard = tch::no_grad_guard();
    let x = Tensor::from_slice(ids).view([1, ids.len() as i64]);
    run.model
        .forward(&x, None, false)
        .log_softmax(-1, Kind::Float)
        .get(0)
}

/// The id the task gives a token, by searching its vocabulary (id 1, `<unk>`, when absent).
fn id(run: &LoadedRun, token: &str) -> i64 {
    let words = run.task.vocab().unwrap();
    words
        .iter()
        .position(|w| w == token)
        .map_or(1, |i| i as i64)
}

const PAIRS: &str = "\
# prefix, good, bad, attractors, distance, construction
The dog\truns\trun\t0\t1\tsimple
The cats\tsleep\tsleeps\t0\t1\tsimple
The zebra\truns\trun\t0\t1\tsimple
The zebra near the zebra\truns\trun\t0\t4\tpp
The dogs\tgallop\tgallops\t0\t1\tsimple
The dog\truns\tflies\t0\t1\tsimple
Rex\truns\trun\t\t\tname
";

#[test]
fn word_level_pairs_map_unknown_prefix_words_leave_out_unknown_verbs_and_score_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let (_, folder) = train(&sweep("word", &corpus, 5), dir.path());
    let run = load_run(&folder, Device::Cpu).unwrap();
    let data = dir.path().join("pairs.tsv");
    std::fs::write(&data, PAIRS).unwrap();
    let scored = evaluate_file(&run, &data, Unk::Error, Some(2)).unwrap();
    assert_eq!((scored.n, scored.total), (5, 7));
    // Two pairs left out: both verbs unknown on line 6, one on line 7.
    assert_eq!(scored.skipped_lines, 2);
    let skipped: Vec<(&str, &[usize])> = scored
        .skipped
        .iter()
        .map(|u| (u.word.as_str(), u.lines.as_slice()))
        .collect();
    assert_eq!(
        skipped,
        [("flies", &[7][..]), ("gallop", &[6]), ("gallops", &[6])]
    );
    // `zebra` three times on lines 4 and 5, `near` once; "Rex" and "The" keep their case
    // and are known (lower-cased, `rex` would be unknown).
    assert_eq!((scored.unk.occurrences, scored.unk.lines), (4, 2));
    let mapped: Vec<(&str, &[usize])> = scored
        .unk
        .words
        .iter()
        .map(|u| (u.word.as_str(), u.lines.as_slice()))
        .collect();
    assert_eq!(mapped, [("near", &[5][..]), ("zebra", &[4, 5])]);
    assert_eq!(scored.last_noun, None);

    // Each score is the log-softmax at the prefix's last step, the prefix read after
    // `<eos>` with unknown words as <unk> (id 1).
    let eos = id(&run, "<eos>");
    let prefixes: [(&str, &str, &str); 5] = [
        ("The dog", "runs", "run"),
        ("The cats", "sleep", "sleeps"),
        ("The zebra", "runs", "run"),
        ("The zebra near the zebra", "runs", "run"),
        ("Rex", "runs", "run"),
    ];
    let lines = [2, 3, 4, 5, 8];
    let mut hits = 0;
    let mut loss = 0.0;
    for (((prefix, good, bad), line), got) in prefixes.iter().zip(lines).zip(&scored.pairs) {
        let mut ids = vec![eos];
        ids.extend(prefix.split(' ').map(|w| id(&run, w)));
        let at = log_probabilities(&run, &ids).get(ids.len() as i64 - 1);
        let (g, b) = (
            at.double_value(&[id(&run, good)]),
            at.double_value(&[id(&run, bad)]),
        );
        assert_eq!(got.line, line);
        assert!((got.good - g).abs() < 1e-5, "{prefix}: {} vs {g}", got.good);
        assert!((got.bad - b).abs() < 1e-5, "{prefix}: {} vs {b}", got.bad);
        hits += usize::from(g > b);
        loss += -(g.exp() / (g.exp() + b.exp())).ln();
    }
    assert_eq!(scored.accuracy(), hits as f64 / 5.0);
    let choice_loss = scored.evaluation.means()["loss"];
    assert!((choice_loss - loss / 5.0).abs() < 1e-5, "{choice_loss}");
    let rows = scored.evaluation.breakdown_rows();
    let bucket = |by: &str, bucket: &str| rows.iter().find(|r| r.by == by && r.bucket == bucket);
    assert_eq!(bucket("construction", "simple").unwrap().n, 3.0);
    assert_eq!(bucket("distance", "4").unwrap().n, 1.0);
    assert!(bucket("construction", "name").is_some() && bucket("attractors", "0").is_some());

    // Right padding never reaches a scored position: one pair at a time gives the same.
    let alone = evaluate_file(&run, &data, Unk::Error, Some(1)).unwrap();
    for (a, b) in alone.pairs.iter().zip(&scored.pairs) {
        assert!((a.good - b.good).abs() < 1e-5 && (a.bad - b.bad).abs() < 1e-5);
    }
    // A number file is the other form, refused by name.
    std::fs::write(&data, "The dog\tsg\n").unwrap();
    let e = evaluate_file(&run, &data, Unk::Error, None).unwrap_err();
    assert!(e.to_string().contains("text (language model) form"), "{e}");
    // Nothing left once every verb is unknown.
    std::fs::write(&data, "The dog\tflies\tfly\n").unwrap();
    let e = evaluate_file(&run, &data, Unk::Error, None).unwrap_err();
    assert!(e.to_string().contains("leaving out 1 line(s)"), "{e}");
    assert!(run.task.stream_batches(Split::Test, 4).is_some());
}

#[test]
fn char_level_scores_the_characters_of_space_and_verb_after_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let (_, folder) = train(&sweep("char", &corpus, 10), dir.path());
    let run = load_run(&folder, Device::Cpu).unwrap();
    let data = dir.path().join("pair.tsv");
    // `z` is no character of the corpus: read as <unk> in the prefix.
    std::fs::write(&data, "The dogz\truns\trun\n").unwrap();
    let scored = evaluate_file(&run, &data, Unk::Error, None).unwrap();
    assert_eq!((scored.n, scored.total, scored.skipped_lines), (1, 1, 0));
    assert_eq!((scored.unk.occurrences, scored.unk.lines), (1, 1));
    assert_eq!(scored.unk.words[0].word, "z");
    // By hand: the whole line after a newline, unpadded; " runs" is read at the prefix's
    // last character and at the first four characters of the verb.
    let hand = |verb: &str| {
        let text = format!("\nThe dogz {verb}");
        let ids: Vec<i64> = text.chars().map(|c| id(&run, &c.to_string())).collect();
        let logp = log_probabilities(&run, &ids);
        let context = "\nThe dogz".chars().count();
        (0..=verb.chars().count())
            .map(|j| {
                let at = (context - 1 + j) as i64;
                logp.get(at).double_value(&[ids[context + j]])
            })
            .sum::<f64>()
    };
    let (good, bad) = (hand("runs"), hand("run"));
    let got = scored.pairs[0];
    assert!((got.good - good).abs() < 1e-4, "{} vs {good}", got.good);
    assert!((got.bad - bad).abs() < 1e-4, "{} vs {bad}", got.bad);
    assert_eq!(scored.accuracy(), f64::from(u8::from(good > bad)));
    // A verb with a character outside the vocabulary is left out.
    std::fs::write(&data, "The dog\truns\truzz\nThe dog\truns\trun\n").unwrap();
    let scored = evaluate_file(&run, &data, Unk::Error, None).unwrap();
    assert_eq!((scored.n, scored.skipped_lines), (1, 1));
    assert_eq!(scored.skipped[0].word, "ruzz");
}
