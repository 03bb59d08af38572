//! The generator's `agreement` runs: a closed vocabulary, so the file's words are checked
//! against it ([`Agreement::prepare`]) and its lines encoded exactly as the generator would
//! have made them ([`Agreement::encode`]).
use rnnlab_spec::AgreementConfig;
use rnnlab_tasks::{Agreement, AgreementFile, Unk};

use super::{EvalError, FileEvaluation, LoadedRun, UnkMapping};
use crate::data::DeviceBatch;
use crate::metrics::Evaluation;

/// Scores an agreement run on a parsed file, `size` sentences at a time.
pub(super) fn score(
    run: &LoadedRun,
    config: &AgreementConfig,
    file: AgreementFile,
    unk: Unk,
    size: usize,
) -> Result<FileEvaluation, EvalError> {
    let agreement =
        Agreement::new(config.clone(), run.config.seed).map_err(|message| EvalError::Config {
            path: run.dir.join("config.yaml"),
            message,
        })?;
    let (kind, total) = (file.kind, file.items.len());
    let prepared = agreement.prepare(file, unk)?;
    let mut evaluation = Evaluation::with_breakdown();
    let (mut heuristic, mut known) = (0usize, 0usize);
    let _guard = tch::no_grad_guard();
    for chunk in prepared.items.chunks(size) {
        let b = agreement.encode(chunk);
        for m in &b.meta {
            if let (Some(l), Some(s)) = (m.get("last_noun"), m.get("subject")) {
                known += 1;
                heuristic += usize::from(l == s);
            }
        }
        let b = DeviceBatch::new(b, &agreement, run.vs.device());
        evaluation.add(&run.model.forward(&b.x, b.lengths.as_ref(), false), &b);
    }
    Ok(FileEvaluation {
        kind,
        n: prepared.items.len(),
        total,
        evaluation,
        last_noun: (known > 0).then(|| heuristic as f64 / known as f64),
        skipped: prepared.skipped,
        skipped_lines: prepared.skipped_lines,
        unk: UnkMapping::default(),
        pairs: Vec::new(),
    })
}
