//! `text` runs (language models of a corpus) on a minimal-pair file: the forced choice of
//! Linzen, Dupoux & Goldberg 2016 and Marvin & Linzen 2018, for a model that names whole
//! tokens. Each verb is scored as the sum of the log-probabilities of its tokens after the
//! prefix, tokenised exactly as the text task tokenises its corpus
//! ([`rnnlab_tasks::text::corpus::tokenise`]): at word level the verb is one token, at
//! character level the characters of " verb" (the space that separates it from the prefix,
//! then its letters). The pair is right when the grammatical verb scores higher.
//!
//! The context starts as the text task's lines do: after `<eos>` at word level, after a
//! newline at character level (when the training text had one), from a zero state (training
//! also starts each epoch from zero). Prefix tokens outside the vocabulary read as `<unk>`;
//! a pair whose verb the model cannot name (a word, or at character level a character, outside
//! the vocabulary) is left out, since p(`<unk>`) says nothing about that verb.
//!
//! Rows are right-padded: a unidirectional model's output at step t reads steps 0..=t only,
//! so the padding after a row never reaches a position it is scored at (the text task
//! refuses bidirectional models). A verb of m tokens reads m outputs: the prefix's last step,
//! then the steps of the verb's first m − 1 tokens.
use rnnlab_spec::TextLevel;
use rnnlab_tasks::text::corpus::{tokenise, EOS};
use rnnlab_tasks::{AgreementFile, Answer, FileItem, FileKind, Meta};
use tch::{Device, Kind, Tensor};

use super::vocabulary::{OpenVocabulary, WordLines};
use super::{expect_kind, EvalError, FileEvaluation, LoadedRun};
use crate::data::{DeviceBatch, DeviceTargets};
use crate::metrics::Evaluation;

/// One pair's scores: the log-probability (nats) of each verb's tokens after the prefix,
/// summed over its tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    /// The pair's line in the file.
    pub line: usize,
    pub good: f64,
    pub bad: f64,
}

/// A pair as token ids: the context (start token and prefix) and each verb's tokens.
struct Pair {
    line: usize,
    context: Vec<i64>,
    verbs: [Vec<i64>; 2],
    meta: Meta,
}

/// The tokens of one line of text as the text task reads it, without the `<eos>` that closes
/// a word-level line.
fn tokens(text: &str, level: TextLevel) -> Vec<&str> {
    let mut t = tokenise(text, level);
    if level == TextLevel::Word {
        t.pop();
    }
    t
}

/// A verb's token ids after a prefix, or `None` when one of them is outside the vocabulary.
fn verb(word: &str, level: TextLevel, vocabulary: &OpenVocabulary) -> Option<Vec<i64>> {
    let text = match level {
        TextLevel::Word => word.to_string(),
        TextLevel::Char => format!(" {word}"),
    };
    tokens(&text, level)
        .iter()
        .map(|t| vocabulary.id(t))
        .collect()
}

/// Scores a text run on a parsed (case-kept) minimal-pair file, `size` pairs at a time.
pub(super) fn score(
    run: &LoadedRun,
    level: TextLevel,
    file: AgreementFile,
    size: usize,
) -> Result<FileEvaluation, EvalError> {
    expect_kind(&file, FileKind::MinimalPair, "text (language model)")?;
    let words = run.task.vocab().expect("text is a token task");
    let mut vocabulary = OpenVocabulary::new(words).expect("the text task has an <unk>");
    let start = vocabulary.id(match level {
        TextLevel::Word => EOS,
        TextLevel::Char => "\n",
    });
    let mut skipped = WordLines::default();
    let mut skipped_lines = 0;
    let mut pairs = Vec::with_capacity(file.items.len());
    let mut scored: Vec<&FileItem> = Vec::with_capacity(file.items.len());
    for item in &file.items {
        let Answer::Pair { good, bad } = &item.answer else {
            unreachable!("a minimal-pair file holds pairs only")
        };
        let ids = [good, bad].map(|w| verb(w, level, &vocabulary));
        let [Some(g), Some(b)] = ids.clone() else {
            for (w, id) in [good, bad].iter().zip(&ids) {
                if id.is_none() {
                    skipped.add(w, item.line);
                }
            }
            skipped_lines += 1;
            continue;
        };
        let mut context: Vec<i64> = start.into_iter().collect();
        let prefix = item.prefix.join(" ");
        context.extend(
            tokens(&prefix, level)
                .iter()
                .map(|t| vocabulary.read(t, item.line)),
        );
        scored.push(item);
        pairs.push(Pair {
            line: item.line,
            context,
            verbs: [g, b],
            meta: columns(item),
        });
    }
    let device = run.vs.device();
    let mut evaluation = Evaluation::with_breakdown();
    let mut scores = Vec::with_capacity(pairs.len());
    let _guard = tch::no_grad_guard();
    for chunk in pairs.chunks(size) {
        let chunk_scores = log_probabilities(run, chunk, device);
        evaluation.add(
            &choice_scores(&chunk_scores, device),
            &choice_batch(chunk, device),
        );
        scores.extend(chunk_scores);
    }
    Ok(FileEvaluation {
        kind: file.kind,
        n: pairs.len(),
        total: file.items.len(),
        evaluation,
        // From the file's last_noun column, over the pairs scored.
        last_noun: super::last_noun_accuracy(scored.iter().copied()),
        skipped: skipped.into_words(),
        skipped_lines,
        unk: vocabulary.mapping(),
        pairs: scores,
    })
}

/// What the breakdown reads of a line: its attractors, distance and construction columns.
fn columns(item: &FileItem) -> Meta {
    let mut m = Meta::new();
    item.add_columns(&mut m);
    // The breakdown's last-noun column compares `last_noun` with `subject`; a pair file gives
    // whether the last noun agrees with the grammatical verb, not the numbers themselves.
    if let Some(right) = item.last_noun {
        m.insert("subject", "grammatical".into());
        m.insert(
            "last_noun",
            if right {
                "grammatical"
            } else {
                "ungrammatical"
            }
            .into(),
        );
    }
    m
}

/// Each pair's two verbs' log-probabilities, from one forward pass over a right-padded batch
/// of two rows per pair (context, then all but the last token of the verb).
fn log_probabilities(run: &LoadedRun, pairs: &[Pair], device: Device) -> Vec<PairScore> {
    let rows: Vec<(&[i64], &[i64])> = pairs
        .iter()
        .flat_map(|p| p.verbs.iter().map(|v| (p.context.as_slice(), v.as_slice())))
        .collect();
    let steps = rows.iter().map(|(c, v)| c.len() + v.len() - 1).max();
    let steps = steps.expect("a chunk holds a pair");
    let mut x = vec![0i64; rows.len() * steps];
    let (mut lengths, mut positions, mut classes, mut owners) = (vec![], vec![], vec![], vec![]);
    for (r, (context, verb)) in rows.iter().enumerate() {
        let row = context.iter().chain(&verb[..verb.len() - 1]);
        for (slot, &id) in x[r * steps..].iter_mut().zip(row) {
            *slot = id;
        }
        lengths.push((context.len() + verb.len() - 1) as i64);
        // Token j of the verb is predicted by the output at the context's last step + j.
        for (j, &class) in verb.iter().enumerate() {
            positions.push((r * steps + context.len() - 1 + j) as i64);
            classes.push(class);
            owners.push(r);
        }
    }
    let tensor = |v: &[i64]| Tensor::from_slice(v).to_device(device);
    let x = tensor(&x).view([rows.len() as i64, steps as i64]);
    let y = run.model.forward(&x, Some(&tensor(&lengths)), false);
    let logp = y.log_softmax(-1, Kind::Float);
    let width = logp.size()[2];
    let picked = logp
        .view([-1, width])
        .index_select(0, &tensor(&positions))
        .gather(1, &tensor(&classes).view([-1, 1]), false)
        .view([-1])
        .to_device(Device::Cpu);
    let picked: Vec<f32> = Vec::try_from(picked).expect("float log-probabilities");
    let mut sums = vec![0f64; rows.len()];
    for (lp, &r) in picked.iter().zip(&owners) {
        sums[r] += f64::from(*lp);
    }
    pairs
        .iter()
        .zip(sums.chunks(2))
        .map(|(p, s)| PairScore {
            line: p.line,
            good: s[0],
            bad: s[1],
        })
        .collect()
}

/// The pairs' scores as a two-class output `[n, 1, 2]` (good, bad), which
/// [`Evaluation::add`]'s forced choice reads at step 0: right when good outscores bad, and
/// the loss the cross-entropy of that two-way choice.
fn choice_scores(scores: &[PairScore], device: Device) -> Tensor {
    let flat: Vec<f64> = scores.iter().flat_map(|s| [s.good, s.bad]).collect();
    Tensor::from_slice(&flat)
        .view([scores.len() as i64, 1, 2])
        .to_device(device)
}

/// The batch [`choice_scores`] is read against: class 0 (good) the target, choice (0, 0, 1).
fn choice_batch(pairs: &[Pair], device: Device) -> DeviceBatch {
    let n = pairs.len() as i64;
    let on = |t: Tensor| t.to_device(device);
    let choices: Vec<i64> = pairs.iter().flat_map(|_| [0, 0, 1]).collect();
    DeviceBatch {
        x: on(Tensor::zeros([n, 1], (Kind::Int64, Device::Cpu))),
        lengths: None,
        target: DeviceTargets::PerStep {
            classes: on(Tensor::zeros([n, 1], (Kind::Int64, Device::Cpu))),
            mask: on(Tensor::ones([n, 1], (Kind::Float, Device::Cpu))),
            recall: on(Tensor::zeros([n, 1], (Kind::Float, Device::Cpu))),
            num_classes: 2,
        },
        size: pairs.len(),
        choices: Some(on(Tensor::from_slice(&choices).view([n, 3]))),
        meta: pairs.iter().map(|p| p.meta.clone()).collect(),
    }
}
