//! `treebank_agreement` runs on a number file: the number-prediction form as the task trains
//! it (Linzen, Dupoux & Goldberg 2016). The prefix's lower-cased words are the input, a word
//! outside the training vocabulary reads as `<unk>`, padding goes on the right, and the verb's
//! number (0 singular, 1 plural) is read at the prefix's last word.
use rnnlab_tasks::{AgreementFile, Answer, Batch, FileItem, FileKind, Inputs, Meta, Targets};

use super::vocabulary::OpenVocabulary;
use super::{expect_kind, EvalError, FileEvaluation, LoadedRun};
use crate::data::DeviceBatch;
use crate::metrics::Evaluation;

/// Scores a treebank number predictor on a parsed (lower-cased) number file.
pub(super) fn score(
    run: &LoadedRun,
    file: AgreementFile,
    size: usize,
) -> Result<FileEvaluation, EvalError> {
    expect_kind(&file, FileKind::Number, "number")?;
    let words = run
        .task
        .vocab()
        .expect("treebank_agreement is a token task");
    let mut vocabulary = OpenVocabulary::new(words).expect("treebank_agreement has an <unk>");
    let mut evaluation = Evaluation::with_breakdown();
    let _guard = tch::no_grad_guard();
    for chunk in file.items.chunks(size) {
        let batch = encode(chunk, &mut vocabulary, words.len());
        let b = DeviceBatch::new(batch, run.task.as_ref(), run.vs.device());
        evaluation.add(&run.model.forward(&b.x, b.lengths.as_ref(), false), &b);
    }
    Ok(FileEvaluation {
        kind: file.kind,
        n: file.items.len(),
        total: file.items.len(),
        evaluation,
        // From the file's last_noun column (`rnnlab data agreement` writes it from the trees).
        last_noun: super::last_noun_accuracy(file.items.iter()),
        skipped: Vec::new(),
        skipped_lines: 0,
        unk: vocabulary.mapping(),
        pairs: Vec::new(),
    })
}

/// The batch the task would make of these lines: the metadata keys it writes (`subject`,
/// and the file's attractors, distance and construction), so the breakdown has its buckets.
fn encode(items: &[FileItem], vocabulary: &mut OpenVocabulary, vocab: usize) -> Batch {
    let steps = items.iter().map(|i| i.prefix.len()).max().unwrap_or(0);
    let mut ids = vec![0i64; items.len() * steps];
    let mut classes = Vec::with_capacity(items.len());
    let mut meta = Vec::with_capacity(items.len());
    for (b, item) in items.iter().enumerate() {
        for (slot, word) in ids[b * steps..].iter_mut().zip(&item.prefix) {
            *slot = vocabulary.read(word, item.line);
        }
        let Answer::Number { plural } = item.answer else {
            unreachable!("a number file holds number lines only")
        };
        classes.push(i64::from(plural));
        let mut m = Meta::new();
        let (number, other) = if plural {
            ("plural", "singular")
        } else {
            ("singular", "plural")
        };
        m.insert("subject", number.into());
        if let Some(right) = item.last_noun {
            m.insert("last_noun", if right { number } else { other }.into());
        }
        item.add_columns(&mut m);
        meta.push(m);
    }
    Batch {
        size: items.len(),
        steps,
        inputs: Inputs::Tokens { ids, vocab },
        targets: Targets::LastClass {
            classes,
            num_classes: 2,
        },
        lengths: Some(items.iter().map(|i| i.prefix.len()).collect()),
        meta,
    }
}
