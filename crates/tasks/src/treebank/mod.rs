//! Agreement test sets from dependency treebanks (Linzen, Dupoux & Goldberg 2016; Gulordava et
//! al. 2018): read CoNLL-U ([`read_conllu`]), find every subject-verb agreement pair in the
//! gold trees ([`extract`]), and write them in the formats `rnnlab eval` reads
//! ([`write_tsv`]; see `agreement/file.rs`): minimal pairs for language models, `sg`/`pl`
//! labels for number predictors.
mod conllu;
mod extract;
mod inflect;
mod task;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::path::PathBuf;

pub use conllu::{parse_conllu, read_conllu, Sentence, Word};
pub use extract::{extract, Extraction, Pair, Skipped, SubjectKind};
pub use inflect::{to_plural, to_singular};
pub use task::TreebankAgreement;

/// Why a treebank cannot be read; each names the file, and the line where there is one.
#[derive(Debug, thiserror::Error)]
pub enum TreebankError {
    #[error("{}: cannot read it: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: not UTF-8 text (first bad byte at offset {offset}); a CoNLL-U file is UTF-8, \
         plain or gzip-compressed",
        path.display()
    )]
    Utf8 { path: PathBuf, offset: usize },
    #[error("{}:{line}: {message}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: no sentences; is it a CoNLL-U file?", path.display())]
    Empty { path: PathBuf },
}

/// Which `rnnlab eval` file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsvForm {
    /// `prefix, good verb, bad verb, ...`: for language-model runs.
    Pairs,
    /// `prefix, sg|pl, ...`: for number-prediction runs.
    Number,
}

/// The eval file of an extraction: a `#` header saying where it came from and what the
/// columns are, then one line per pair: the prefix, the answer, attractors, distance and
/// construction, tab-separated.
pub fn write_tsv(extraction: &Extraction, form: TsvForm, source: &str) -> String {
    let mut out = String::new();
    let answer = match form {
        TsvForm::Pairs => "grammatical verb, ungrammatical verb",
        TsvForm::Number => "sg|pl (the verb's number)",
    };
    let _ = writeln!(
        out,
        "# Subject-verb agreement pairs from the gold trees of {source}, made by `rnnlab data \
         agreement`\n# ({} sentences, {} pairs). Columns: prefix, {answer}, attractors, distance, \
         construction\n# (the subject's kind, then the relations of what stands between subject \
         and verb), last_noun\n# (`right` when the verb agrees with the prefix's last noun, \
         `wrong` when not, empty when the prefix has no noun with a number).",
        extraction.sentences,
        extraction.pairs.len()
    );
    for p in &extraction.pairs {
        let answer = match form {
            TsvForm::Pairs => format!("{}\t{}", p.good, p.bad),
            TsvForm::Number => (if p.plural { "pl" } else { "sg" }).to_string(),
        };
        // eval reads a line starting with `#` as a comment, and drops a leading `<s>`.
        let start = if p.prefix[0].starts_with('#') {
            "<s> "
        } else {
            ""
        };
        let last_noun = match p.last_noun {
            Some(l) if l == p.plural => "right",
            Some(_) => "wrong",
            None => "",
        };
        let _ = writeln!(
            out,
            "{start}{}\t{answer}\t{}\t{}\t{}\t{last_noun}",
            p.prefix.join(" "),
            p.attractors,
            p.distance,
            p.construction()
        );
    }
    out
}

/// A short account of an extraction for people: pairs by subject kind, with attractors, and
/// what was left out.
pub fn summary(extraction: &Extraction) -> String {
    let e = extraction;
    let mut out = format!(
        "{} sentences, {} pairs ({} singular, {} plural verbs)\n",
        e.sentences,
        e.pairs.len(),
        e.pairs.iter().filter(|p| !p.plural).count(),
        e.pairs.iter().filter(|p| p.plural).count()
    );
    for kind in [
        SubjectKind::Noun,
        SubjectKind::Proper,
        SubjectKind::Pronoun,
        SubjectKind::Other,
    ] {
        let _ = writeln!(
            out,
            "  {:<8} subjects: {:>6} pairs, {:>5} with >= 1 attractor",
            kind.name(),
            e.count(kind),
            e.attracted(kind)
        );
    }
    let s = &e.skipped;
    let _ = writeln!(
        out,
        "left out: {} subjects whose verb shows no number, {} after their verb, {} 1st/2nd \
         person, {} coordinated, {} whose Number contradicts the verb's, {} verbs not spelled \
         as their lemma inflects",
        s.no_number,
        s.verb_first,
        s.first_or_second_person,
        s.coordinated,
        s.mismatch,
        s.nonstandard
    );
    out
}
