//! `rnnlab eval RUN_DIR --data FILE.tsv`: score a saved agreement, treebank_agreement or
//! text run on an external test file and print the accuracy overall and per bucket, as the
//! run's own breakdown.csv does, with what was left out and what was read as `<unk>`. Given a
//! results folder instead of a run, every saved run in it, or the sweep's `eval:` sets (see
//! `sweep`).
mod sweep;
pub use sweep::{score, Rescore, Scoring};

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rnnlab_models::DeviceChoice;
use rnnlab_results::eval::{write_run_table, OVERALL};
use rnnlab_results::Layout;
use rnnlab_spec::TaskConfig;
use rnnlab_tasks::{FileKind, Unk, UnknownWord};
use rnnlab_train::{
    evaluate_file, load_run, write_atomic, BreakdownRow, FileEvaluation, LoadedRun,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A run folder, results/<sweep>/runs/<id>, trained with `train: { save: true }`; or a
    /// results folder, results/<sweep>: every saved run in it is scored, each run's table
    /// written to results/<sweep>/eval/<data>/<run-id>.csv and the seeds of each group
    /// summarised in summary.csv beside them. A results folder without --data: the sweep's
    /// `eval:` sets, each into eval/<set>/.
    run_dir: PathBuf,
    /// The test file: `prefix<TAB>sg|pl` lines (number form) or `prefix<TAB>good<TAB>bad`
    /// (language-model form), optionally followed by attractors, distance, construction.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Also write the table here: JSON when the name ends in .json, else CSV. For a results
    /// folder, the folder to write the tables in instead of eval/<data>/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Lines with words outside a closed vocabulary (agreement runs): `error` lists them and
    /// stops, `skip` leaves those lines out and says which. Runs with an `<unk>` (text,
    /// treebank_agreement) read unknown prefix words as `<unk>` and leave out pairs whose
    /// verb they cannot name, whatever this says.
    #[arg(long, default_value = "error", value_parser = ["error", "skip"])]
    unk: String,
    /// Sentences per batch (default: the run's training batch). Only speed depends on it:
    /// each sentence is read up to its own last word.
    #[arg(long)]
    batch: Option<usize>,
    /// cpu, cuda or auto (CUDA when libtorch sees a GPU).
    #[arg(long, default_value = "auto")]
    device: DeviceChoice,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let device = args.device.resolve().map_err(anyhow::Error::msg)?;
    let unk = if args.unk == "skip" {
        Unk::Skip
    } else {
        Unk::Error
    };
    let layout = Layout::new(&args.run_dir);
    let how = Scoring {
        unk,
        batch: args.batch,
        device,
        rescore: Rescore::All,
        only: None,
    };
    if layout.exists() {
        return folder(&args, &layout, &how);
    }
    let Some(data) = &args.data else {
        anyhow::bail!(
            "{}: give the test file with --data FILE (a run folder has no `eval:` sets; a \
             results folder's sweep may)",
            args.run_dir.display()
        );
    };
    let run = load_run(&args.run_dir, device)?;
    let scored = evaluate_file(&run, data, unk, args.batch)
        .with_context(|| format!("scoring run {} on {}", run.config.id(), data.display()))?;
    for note in left_out(&run, &scored) {
        eprintln!("{note}");
    }
    print!("{}", table(&run, data, &scored));
    match &args.out {
        // Through a temporary file and a rename: an interrupted write leaves no half a table.
        Some(out) if out.extension().is_some_and(|e| e == "json") => {
            write_atomic(out, json(&run, data, &scored).as_bytes())?;
        }
        Some(out) => write_run_table(out, &rows(&scored))?,
        None => {}
    }
    Ok(0)
}

/// A results folder: every saved run on `--data`, or else the sweep's `eval:` sets.
fn folder(args: &Args, layout: &Layout, how: &Scoring) -> anyhow::Result<u8> {
    let Some(data) = &args.data else {
        let sweep_path = layout.sweep();
        let text = std::fs::read_to_string(&sweep_path)
            .with_context(|| format!("reading {}", sweep_path.display()))?;
        let sweep = rnnlab_spec::Sweep::parse(&text, &sweep_path)?;
        if sweep.eval.is_empty() {
            anyhow::bail!(
                "{}: the sweep declares no `eval:` sets; give a test file with --data FILE",
                sweep_path.display()
            );
        }
        if args.out.is_some() {
            anyhow::bail!("--out goes with --data; the sweep's sets are written to eval/<set>/");
        }
        for (name, files) in &sweep.eval {
            print!("{}", score(layout, name, files, &layout.eval(name), how)?);
        }
        return Ok(0);
    };
    let name = data
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .with_context(|| format!("{}: not a file name", data.display()))?;
    let out = args.out.clone().unwrap_or_else(|| layout.eval(&name));
    if out.extension().is_some_and(|e| e == "csv" || e == "json") {
        anyhow::bail!(
            "--out {}: for a results folder --out names the folder to write the runs' tables \
             and {} in (default {})",
            out.display(),
            rnnlab_results::eval::SUMMARY,
            layout.eval(&name).display()
        );
    }
    let every_run = [rnnlab_spec::EvalFile {
        data: data.clone(),
        filter: Default::default(),
    }];
    print!("{}", score(layout, &name, &every_run, &out, how)?);
    Ok(0)
}

/// What was left out of the scoring, and what was read as `<unk>`.
fn left_out(run: &LoadedRun, scored: &FileEvaluation) -> Vec<String> {
    let mut notes = Vec::new();
    if scored.skipped_lines > 0 {
        let what = match run.config.task {
            TaskConfig::Text(_) => "a verb",
            _ => "words",
        };
        notes.push(format!(
            "left out {} line(s) with {what} outside the vocabulary: {}",
            scored.skipped_lines,
            rnnlab_tasks::list_unknown(&scored.skipped)
        ));
    }
    if scored.unk.occurrences > 0 {
        notes.push(format!(
            "read {} unknown prefix word(s) as <unk>, on {} line(s): {}",
            scored.unk.occurrences,
            scored.unk.lines,
            rnnlab_tasks::list_unknown(&scored.unk.words)
        ));
    }
    notes
}

/// The overall row, then the breakdown rows, in breakdown.csv's order.
fn rows(scored: &FileEvaluation) -> Vec<BreakdownRow> {
    let overall = BreakdownRow {
        by: OVERALL.0.into(),
        bucket: OVERALL.1.into(),
        n: scored.n as f64,
        accuracy: scored.accuracy(),
        last_noun: scored.last_noun,
    };
    std::iter::once(overall)
        .chain(scored.evaluation.breakdown_rows())
        .collect()
}

fn describe(run: &LoadedRun) -> String {
    let c = &run.config;
    let cell = serde_json::to_value(c.model.cell).map_or_else(|_| "?".into(), |v| v.to_string());
    let task = serde_json::to_value(&c.task).unwrap_or_default();
    let vocabulary = run.task.vocab().map_or(0, <[String]>::len);
    let what = match &c.task {
        TaskConfig::Text(_) => format!(
            "text language model, {} level, vocabulary {vocabulary}",
            task["level"].as_str().unwrap_or("?")
        ),
        TaskConfig::TreebankAgreement(_) => {
            format!("treebank_agreement number form, vocabulary {vocabulary}")
        }
        _ => format!("agreement {} form", task["form"].as_str().unwrap_or("?")),
    };
    format!(
        "run {} ({}, hidden {}, {} layer(s), {what}, seed {})",
        c.id(),
        cell.trim_matches('"'),
        c.model.hidden,
        c.model.layers,
        c.seed
    )
}

/// What the loss of the table is: a text run's is that of the two-way forced choice.
fn loss_name(run: &LoadedRun) -> &'static str {
    match run.config.task {
        TaskConfig::Text(_) => "forced-choice loss",
        _ => "loss",
    }
}

/// Why a file has no last-noun column.
fn no_last_noun(scored: &FileEvaluation) -> &'static str {
    match scored.kind {
        FileKind::MinimalPair => {
            "the file has no last_noun column (`rnnlab data agreement` writes one) and a pair \
             does not give the subject's number"
        }
        FileKind::Number => {
            "the file has no last_noun column (`rnnlab data agreement` writes one) and the \
             run's vocabulary does not give the nouns' numbers"
        }
    }
}

fn table(run: &LoadedRun, data: &Path, scored: &FileEvaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", describe(run));
    let loss = scored.evaluation.means().get("loss").copied();
    let _ = writeln!(
        out,
        "{}: {} sentences scored of {}, {} {:.4}",
        data.display(),
        scored.n,
        scored.total,
        loss_name(run),
        loss.unwrap_or(f64::NAN)
    );
    if scored.last_noun.is_none() {
        let _ = writeln!(
            out,
            "last-noun heuristic: not available ({})",
            no_last_noun(scored)
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{:<13} {:<24} {:>5} {:>9} {:>10}",
        "by", "bucket", "n", "accuracy", "last noun"
    );
    for r in rows(scored) {
        let last = r
            .last_noun
            .map_or_else(|| "-".into(), |l| format!("{l:.3}"));
        let _ = writeln!(
            out,
            "{:<13} {:<24} {:>5} {:>9.3} {:>10}",
            r.by, r.bucket, r.n, r.accuracy, last
        );
    }
    out
}

fn json(run: &LoadedRun, data: &Path, scored: &FileEvaluation) -> String {
    let words = |words: &[UnknownWord]| -> Vec<serde_json::Value> {
        let each = words.iter();
        each.map(|u| serde_json::json!({ "word": u.word, "lines": u.lines }))
            .collect()
    };
    let pairs: Vec<serde_json::Value> = scored
        .pairs
        .iter()
        .map(|p| serde_json::json!({ "line": p.line, "good": p.good, "bad": p.bad }))
        .collect();
    let value = serde_json::json!({
        "run": run.config.id(),
        "data": data.display().to_string(),
        "n": scored.n,
        "n_total": scored.total,
        "loss_kind": loss_name(run),
        "loss": scored.evaluation.means().get("loss"),
        "accuracy": scored.accuracy(),
        "last_noun": scored.last_noun,
        "skipped_lines": scored.skipped_lines,
        "unknown_words": words(&scored.skipped),
        "unk": {
            "occurrences": scored.unk.occurrences,
            "lines": scored.unk.lines,
            "words": words(&scored.unk.words),
        },
        "pairs": pairs,
        "rows": rows(scored),
    });
    serde_json::to_string_pretty(&value).expect("plain values serialise") + "\n"
}
