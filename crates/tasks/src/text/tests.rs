use rnnlab_spec::{CorpusConfig, TaskConfig, TextConfig, TextLevel};

use super::*;
use crate::{describe, metrics, try_build};

fn config(level: TextLevel, train: &str, bptt: usize) -> TextConfig {
    TextConfig {
        level,
        corpus: CorpusConfig {
            train: train.into(),
            ..Default::default()
        },
        bptt,
        vocab: 10_000,
    }
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().into()
}

/// 40 lines "line 00 a" ... "line 39 a": 400 characters, 120 words and 40 `<eos>`.
fn numbered() -> String {
    (0..40).map(|i| format!("line {i:02} a\n")).collect()
}

#[test]
fn char_level_holds_out_the_last_tenth_and_learns_only_the_train_alphabet() {
    let dir = tempfile::tempdir().unwrap();
    // 400 characters; the last 40 (held out) hold the only `z`.
    let mut text = numbered();
    text.replace_range(390..391, "z");
    let path = write(&dir, "a.txt", &text);
    let task = Text::new(&config(TextLevel::Char, &path, 4)).unwrap();
    let (train, valid, test) = (
        task.ids(Split::Train),
        task.ids(Split::Valid),
        task.ids(Split::Test),
    );
    assert_eq!((train.len(), valid.len(), test.len()), (360, 20, 20));
    let words = task.vocab().unwrap();
    assert!(!words.contains(&"z".to_string()), "{words:?}");
    assert!(words.contains(&"\n".to_string()));
    assert!(test.contains(&vocab::UNK_ID) && !train.contains(&vocab::UNK_ID));
    // The splits are the text's own characters, in order: train then valid then test.
    let decode =
        |ids: &[i64]| -> String { ids.iter().map(|&i| words[i as usize].as_str()).collect() };
    assert_eq!(decode(train), text[..360]);
    assert_eq!(decode(valid), text[360..380]);
    assert_eq!(decode(&test[..10]), text[380..390]);
}

#[test]
fn word_level_adds_eos_and_caps_the_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let train = write(&dir, "train.txt", "a b a\nc a <unk>\n");
    let valid = write(&dir, "valid.txt", "a d\n");
    let mut c = config(TextLevel::Word, &train, 1);
    c.corpus.valid = Some(valid);
    c.corpus.test = Some(train.clone());
    c.vocab = 2;
    let task = Text::new(&c).unwrap();
    // Counts: a 3, <eos> 2, b 1, c 1: the cap keeps `a` and `<eos>` (`<eos>` sorts before
    // `a` by bytes, but `a` is more frequent).
    assert_eq!(task.vocab().unwrap(), ["<pad>", "<unk>", "a", "<eos>"]);
    assert_eq!(task.ids(Split::Train), [2, 1, 2, 3, 1, 2, 1, 3]);
    assert_eq!(task.ids(Split::Valid), [2, 1, 3]);
    // Given files are used whole: nothing is held out of train.
    assert_eq!(task.ids(Split::Test), task.ids(Split::Train));
}

#[test]
fn a_batch_is_a_window_of_the_streams_and_training_wraps_round() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "a.txt", &numbered());
    let task = Text::new(&config(TextLevel::Char, &path, 5)).unwrap();
    let ids = task.ids(Split::Train);
    let size = 3;
    // 360 tokens: 3 streams of 119, windows floor(118 / 5) = 23.
    assert_eq!(task.stream_batches(Split::Train, size), Some(23));
    let batch = task.batch(Split::Train, 7, size);
    let (
        Inputs::Tokens { ids: inputs, vocab },
        Targets::PerStep {
            classes,
            mask,
            recall,
            num_classes,
        },
    ) = (&batch.inputs, &batch.targets)
    else {
        panic!("{batch:?}")
    };
    assert_eq!(
        (batch.size, batch.steps, batch.lengths.clone()),
        (3, 5, None)
    );
    assert_eq!(
        (*vocab, *num_classes),
        (task.shape().inputs, task.shape().outputs)
    );
    for b in 0..size {
        let start = b * 119 + 7 * 5;
        assert_eq!(inputs[b * 5..(b + 1) * 5], ids[start..start + 5]);
        assert_eq!(classes[b * 5..(b + 1) * 5], ids[start + 1..start + 6]);
    }
    assert!(mask.iter().all(|&m| m == 1.0) && recall.iter().all(|&r| r == 0.0));
    assert_eq!(task.batch(Split::Train, 7 + 23, size), batch);
    assert_ne!(task.batch(Split::Train, 8, size), batch);
    assert_eq!(batch.meta.len(), size);
    let shape = task.shape();
    assert!(shape.tokens && shape.readout == Readout::PerStep);
}

#[test]
fn too_short_a_split_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "a.txt", &numbered());
    // Held-out slices of 20 characters cannot hold one window of 19 steps (21 tokens).
    let err = Text::new(&config(TextLevel::Char, &path, 19))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("the valid split (a 1/20 slice of "),
        "{err}"
    );
    assert!(
        err.contains("has 20 tokens") && err.contains("task.bptt"),
        "{err}"
    );
    assert!(Text::new(&config(TextLevel::Char, &path, 18)).is_ok());
    let missing = config(TextLevel::Char, "/nonexistent/x.txt", 5);
    let Err(err) = try_build(&TaskConfig::Text(missing), 1) else {
        panic!("a missing corpus file built a task")
    };
    assert!(
        err.to_string()
            .starts_with("task `text`: /nonexistent/x.txt: cannot read it"),
        "{err}"
    );
}

#[test]
fn the_unigram_baseline_is_the_no_learning_loss_and_beats_uniform() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "a.txt", &numbered());
    let task = Text::new(&config(TextLevel::Char, &path, 4)).unwrap();
    let want = vocab::unigram_loss(
        task.ids(Split::Train),
        task.vocab.len(),
        task.ids(Split::Valid),
    );
    assert_eq!(task.no_learning_loss(), Some(want));
    let b = task.split_baselines(Split::Valid);
    assert_eq!(b[1].value, want.exp());
    assert!((b[2].value * std::f64::consts::LN_2 - want).abs() < 1e-12);
    assert!(want < ((task.vocab.len() - 1) as f64).ln());
    // The unigram predictor scored by the crate's reference cross-entropy on a batch agrees
    // with the closed form up to which tokens the batch covers.
    let batch = task.batch(Split::Valid, 0, 1);
    let loss = metrics::cross_entropy(&batch, |_, _, c| {
        let n = task.ids(Split::Train).iter().filter(|&&i| i == c).count() as f64;
        (n + 1.0) / (360.0 + (task.vocab.len() - 1) as f64)
    })
    .unwrap();
    assert!(loss.is_finite() && loss > 0.0);
    for name in ["loss", "perplexity", "bits_per_token"] {
        assert!(task.catalogue().get(name).is_some(), "{name}");
    }
}

#[test]
fn describe_shows_the_stretch_of_text_a_row_covers() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "a.txt", &numbered());
    let task = Text::new(&config(TextLevel::Char, &path, 12)).unwrap();
    let batch = task.batch(Split::Train, 0, 2);
    let first = describe(&task, &batch, 0);
    assert!(
        first
            .text
            .starts_with("stream 0: line 00 a⏎lin    # 12 steps"),
        "{}",
        first.text
    );
    assert_eq!(first.json["tokens"].as_array().unwrap().len(), 13);
    assert_eq!(first.json["inputs"].as_array().unwrap().len(), 12);
    let words = Text::new(&config(TextLevel::Word, &path, 4)).unwrap();
    let w = describe(&words, &words.batch(Split::Train, 0, 1), 0);
    assert!(
        w.text.starts_with("stream 0: line 00 a <eos> line"),
        "{}",
        w.text
    );
}

#[test]
fn tiny_shakespeare_builds_with_its_65_characters() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../experiments/data/tinyshakespeare/input.txt.gz"
    );
    let task = Text::new(&config(TextLevel::Char, path, 100)).unwrap();
    // Karpathy's tiny-shakespeare: 1,115,394 characters over 65 distinct ones.
    let n: usize = [Split::Train, Split::Valid, Split::Test]
        .map(|s| task.ids(s).len())
        .iter()
        .sum();
    assert_eq!(n, 1_115_394);
    assert_eq!(task.vocab().unwrap().len(), 2 + 65);
    assert_eq!(task.vocab().unwrap()[2], " ");
    let loss = task.no_learning_loss().unwrap();
    assert!((2.5..3.5).contains(&loss), "{loss}");
}
