//! `rnnlab data agreement FILE.conllu[.gz] --out FILE.tsv [--form pairs|number]`: the
//! subject-verb agreement pairs of a treebank's gold trees, as an `rnnlab eval` test file
//! (docs/eval.md). Pure Rust (rnnlab-tasks' treebank module): works without the `torch`
//! feature.
use std::path::PathBuf;

use anyhow::Context;
use rnnlab_tasks::treebank::{extract, read_conllu, summary, write_tsv, TsvForm};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Extract every subject-verb agreement pair of a CoNLL-U treebank into an eval file.
    ///
    /// Example: rnnlab data agreement experiments/data/ud-english-ewt/en_ewt-ud-dev.conllu.gz
    /// --out dev-pairs.tsv
    Agreement(AgreementArgs),
}

#[derive(Debug, clap::Args)]
pub struct AgreementArgs {
    /// A CoNLL-U file, plain or gzip-compressed.
    treebank: PathBuf,
    /// Where to write the tab-separated file.
    #[arg(long)]
    out: PathBuf,
    /// pairs (prefix, grammatical verb, ungrammatical verb: for language-model runs) or
    /// number (prefix, sg|pl: for number-prediction runs).
    #[arg(long, default_value = "pairs", value_parser = ["pairs", "number"])]
    form: String,
}

pub fn run(command: Command) -> anyhow::Result<u8> {
    let Command::Agreement(args) = command;
    let sentences = read_conllu(&args.treebank)?;
    let extraction = extract(&sentences);
    let form = if args.form == "number" {
        TsvForm::Number
    } else {
        TsvForm::Pairs
    };
    let name = args.treebank.file_name().map_or_else(
        || args.treebank.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text = write_tsv(&extraction, form, &name);
    // Through a temporary name and a rename, as every file rnnlab writes: an interrupted run
    // leaves no half a test file.
    let tmp = args.out.with_extension("tsv.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &args.out))
        .with_context(|| {
            format!(
                "writing {}: check that its folder exists and is writable",
                args.out.display()
            )
        })?;
    print!("{}: {}", args.treebank.display(), summary(&extraction));
    println!("wrote {}", args.out.display());
    Ok(0)
}
