//! External agreement test files (Linzen et al. 2016; Marvin & Linzen 2018), read as
//! tab-separated lines so that a model trained on the generator can be scored on fixed,
//! shared sentences:
//!
//! ```text
//! prefix <TAB> sg|pl [<TAB> attractors <TAB> distance [<TAB> construction]]       number
//! prefix <TAB> good_verb <TAB> bad_verb [<TAB> attractors <TAB> distance [<TAB> construction]]
//! ```
//!
//! The second column decides the kind: `sg` / `pl` make a number-prediction file, anything
//! else a minimal-pair file for the language-model form. Blank lines and lines starting with
//! `#` are skipped; an empty optional column means "not given". Words are split on
//! whitespace and lower-cased, as the generator writes them ([`parse_tsv`]), or kept as
//! written for models of cased text ([`AgreementFile::parse_keeping_case`]); a leading `<s>`
//! is dropped (the language-model form adds its own).
use std::fmt;
use std::path::{Path, PathBuf};

/// Which question a file asks; it must match the form the model was trained in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `sg` / `pl` labels: the number form.
    Number,
    /// Grammatical and ungrammatical verb: the language-model form.
    MinimalPair,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Number => "number-prediction (prefix, sg|pl)",
            FileKind::MinimalPair => "minimal-pair (prefix, good verb, bad verb)",
        })
    }
}

/// What a line says comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The verb's number: `true` for plural.
    Number { plural: bool },
    /// The verb's grammatical and ungrammatical forms.
    Pair { good: String, bad: String },
}

/// One sentence of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileItem {
    /// 1-based line number, for messages.
    pub line: usize,
    /// The words before the verb, lower-cased unless the file was read keeping case.
    pub prefix: Vec<String>,
    pub answer: Answer,
    pub attractors: Option<usize>,
    pub distance: Option<usize>,
    pub construction: Option<String>,
    /// Whether agreeing with the prefix's last noun gives the right answer (the optional
    /// `last_noun` column, `right` or `wrong`; `rnnlab data agreement` writes it from the
    /// gold trees): the sequential-recency heuristic of Linzen, Dupoux & Goldberg 2016. None
    /// when the line does not say (or the prefix has no noun with a number).
    pub last_noun: Option<bool>,
}

impl FileItem {
    /// Adds the line's optional columns (attractors, distance, construction) to `m`, the
    /// metadata breakdowns read; columns the line leaves empty are not added.
    pub fn add_columns(&self, m: &mut crate::Meta) {
        if let Some(a) = self.attractors {
            m.insert("attractors", a.to_string());
        }
        if let Some(d) = self.distance {
            m.insert("distance", d.to_string());
        }
        if let Some(c) = &self.construction {
            m.insert("construction", c.clone());
        }
    }

    /// Every word the model must know: the prefix, and both verbs of a pair.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        let verbs = match &self.answer {
            Answer::Pair { good, bad } => vec![good.as_str(), bad.as_str()],
            Answer::Number { .. } => Vec::new(),
        };
        self.prefix.iter().map(String::as_str).chain(verbs)
    }
}

/// A parsed file: its kind and sentences, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFile {
    pub path: PathBuf,
    pub kind: FileKind,
    pub items: Vec<FileItem>,
}

/// A word outside the vocabulary and the lines it occurs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    pub word: String,
    pub lines: Vec<usize>,
}

/// Why a file cannot be scored; each names the file, and the line where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("{}:{line}: {message}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: no sentences (every line is blank or a # comment)", path.display())]
    Empty { path: PathBuf },
    #[error(
        "{}: {} word(s) outside the model's vocabulary: {}. The model knows only the \
         generator's lexicon (see `rnnlab tasks sample agreement`); rewrite those sentences \
         or pass `--unk skip` to leave their lines out",
        path.display(), words.len(), list_unknown(words)
    )]
    Unknown {
        path: PathBuf,
        words: Vec<UnknownWord>,
    },
    #[error("{}: a {file} file, but the run was trained in the {run} form", path.display())]
    Form {
        path: PathBuf,
        file: FileKind,
        run: &'static str,
    },
}

/// Unknown words with their lines, the first 20 of them, for a message.
pub fn list_unknown(words: &[UnknownWord]) -> String {
    const SHOWN: usize = 20;
    let mut parts: Vec<String> = words
        .iter()
        .take(SHOWN)
        .map(|u| {
            let lines: Vec<String> = u.lines.iter().map(usize::to_string).collect();
            let s = if u.lines.len() == 1 { "" } else { "s" };
            format!("`{}` (line{s} {})", u.word, lines.join(", "))
        })
        .collect();
    if words.len() > SHOWN {
        parts.push(format!("and {} more", words.len() - SHOWN));
    }
    parts.join(", ")
}

/// Words split on whitespace; lower-cased as the generator writes them unless `keep_case`.
fn tokens(text: &str, keep_case: bool) -> Vec<String> {
    text.split_whitespace()
        .map(|w| cased(w, keep_case))
        .collect()
}

fn cased(word: &str, keep_case: bool) -> String {
    if keep_case {
        word.to_string()
    } else {
        word.to_lowercase()
    }
}

fn optional(field: Option<&str>, name: &str) -> Result<Option<usize>, String> {
    match field.map(str::trim).filter(|f| !f.is_empty()) {
        None => Ok(None),
        Some(f) => f.parse().map(Some).map_err(|_| {
            format!("the {name} column must be a whole number ≥ 0 or empty, read `{f}`")
        }),
    }
}

/// One data line: its kind and item, or the message for a malformed line.
fn parse_line(line: usize, text: &str, keep_case: bool) -> Result<(FileKind, FileItem), String> {
    let fields: Vec<&str> = text.split('\t').collect();
    let mut prefix = tokens(fields[0], keep_case);
    if prefix.first().is_some_and(|w| w == "<s>") {
        prefix.remove(0);
    }
    if prefix.is_empty() {
        return Err("the prefix (first column) is empty".into());
    }
    // The label is read in any case; a verb keeps its case when the prefix does.
    let Some(second) = fields.get(1).map(|f| f.trim()).filter(|f| !f.is_empty()) else {
        return Err("expected tab-separated columns: prefix, then sg|pl or the grammatical and ungrammatical verb".into());
    };
    let (kind, answer, rest) = match second.to_lowercase().as_str() {
        label @ ("sg" | "pl") => (
            FileKind::Number,
            Answer::Number {
                plural: label == "pl",
            },
            &fields[2..],
        ),
        _ => {
            let good = cased(second, keep_case);
            let bad = fields.get(2).map(|f| cased(f.trim(), keep_case));
            let bad = bad.filter(|b| !b.is_empty()).ok_or_else(|| {
                format!("`{good}` is not sg|pl, so this is a minimal pair and needs the ungrammatical verb in the third column")
            })?;
            for verb in [&good, &bad] {
                if verb.split_whitespace().count() != 1 {
                    return Err(format!("a verb column must hold one word, read `{verb}`"));
                }
            }
            if good == bad {
                return Err(format!("the two verbs are the same word `{good}`"));
            }
            (
                FileKind::MinimalPair,
                Answer::Pair { good, bad },
                &fields[3..],
            )
        }
    };
    if rest.len() > 4 {
        return Err(format!(
            "{} columns; at most attractors, distance, construction and last_noun may follow \
             the answer",
            fields.len()
        ));
    }
    let last_noun = match rest.get(3).map(|c| c.trim()).unwrap_or("") {
        "" => None,
        "right" => Some(true),
        "wrong" => Some(false),
        other => {
            return Err(format!(
                "the last_noun column must be `right`, `wrong` or empty (whether agreeing \
                 with the prefix's last noun is right), read `{other}`"
            ))
        }
    };
    let construction = rest.get(2).map(|c| c.trim()).filter(|c| !c.is_empty());
    let item = FileItem {
        line,
        prefix,
        answer,
        attractors: optional(rest.first().copied(), "attractors")?,
        distance: optional(rest.get(1).copied(), "distance")?,
        construction: construction.map(str::to_string),
        last_noun,
    };
    Ok((kind, item))
}

/// Parses a file's text; `path` is for messages. Every line must be of the kind of the
/// first data line. Words are lower-cased, as the generator writes them.
pub fn parse_tsv(text: &str, path: &Path) -> Result<AgreementFile, FileError> {
    parse(text, path, false)
}

impl AgreementFile {
    /// Parses a file's text as [`parse_tsv`] does, but keeps the words' case, for models of
    /// text that was not lower-cased (the `text` task keeps case: "The" and "the" are two
    /// tokens). The `sg` / `pl` label is still read in any case.
    pub fn parse_keeping_case(text: &str, path: &Path) -> Result<Self, FileError> {
        parse(text, path, true)
    }
}

fn parse(text: &str, path: &Path, keep_case: bool) -> Result<AgreementFile, FileError> {
    let error = |line: usize, message: String| FileError::Line {
        path: path.to_owned(),
        line,
        message,
    };
    let mut kind: Option<(FileKind, usize)> = None;
    let mut items = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let (k, item) = parse_line(line, raw, keep_case).map_err(|m| error(line, m))?;
        match kind {
            None => kind = Some((k, line)),
            Some((first, at)) if first != k => {
                return Err(error(
                    line,
                    format!("a {k} line, but line {at} made this a {first} file"),
                ))
            }
            Some(_) => {}
        }
        items.push(item);
    }
    let (kind, _) = kind.ok_or_else(|| FileError::Empty {
        path: path.to_owned(),
    })?;
    Ok(AgreementFile {
        path: path.to_owned(),
        kind,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<AgreementFile, FileError> {
        parse_tsv(text, Path::new("t.tsv"))
    }

    #[test]
    fn reads_both_kinds_with_optional_columns() {
        let f = parse("# a comment\nThe author of the pilots\tsg\t1\t3\n\n<s> the men\tpl\r\n")
            .unwrap();
        assert_eq!(f.kind, FileKind::Number);
        assert_eq!(f.items.len(), 2);
        assert_eq!(f.items[0].line, 2);
        assert_eq!(f.items[0].prefix, ["the", "author", "of", "the", "pilots"]);
        assert_eq!(
            (f.items[0].attractors, f.items[0].distance),
            (Some(1), Some(3))
        );
        assert_eq!(f.items[1].prefix, ["the", "men"]);
        assert_eq!(f.items[1].answer, Answer::Number { plural: true });
        let f = parse("the author\tlikes\tlike\t\t\tsimple\n").unwrap();
        assert_eq!(f.kind, FileKind::MinimalPair);
        assert_eq!(f.items[0].attractors, None);
        assert_eq!(f.items[0].construction.as_deref(), Some("simple"));
        let words: Vec<&str> = f.items[0].words().collect();
        assert_eq!(words, ["the", "author", "likes", "like"]);
        // The last-noun column: right, wrong, or not said.
        let f = parse(
            "the man\tsg\t0\t1\tnsubj\tright\nthe men of x\tpl\t1\t3\tnsubj\twrong\nit\tsg\n",
        )
        .unwrap();
        let last: Vec<Option<bool>> = f.items.iter().map(|i| i.last_noun).collect();
        assert_eq!(last, [Some(true), Some(false), None]);
    }

    #[test]
    fn malformed_lines_name_their_line_number() {
        let cases = [
            ("the author\tsg\n\tpl\n", 2, "prefix"),
            ("the author\n", 1, "tab-separated"),
            ("the author\tsg\tmany\n", 1, "attractors"),
            ("the author\tsg\t1\tfar\n", 1, "distance"),
            ("the author\tlikes\n", 1, "ungrammatical verb"),
            ("the author\tlikes\tlikes\n", 1, "same word"),
            ("the author\tsg\t1\t2\tpp\tright\textra\n", 1, "at most"),
            (
                "the author\tsg\t1\t2\tpp\tmaybe\n",
                1,
                "`right`, `wrong` or empty",
            ),
            ("the author\tsg\n# c\nthe men\tlike\tlikes\n", 3, "line 1"),
        ];
        for (text, line, needle) in cases {
            let e = parse(text).unwrap_err();
            let message = e.to_string();
            assert!(
                matches!(e, FileError::Line { line: l, .. } if l == line),
                "{text:?}: {message}"
            );
            assert!(message.starts_with(&format!("t.tsv:{line}: ")), "{message}");
            assert!(message.contains(needle), "{text:?}: {message}");
        }
        assert!(matches!(parse("# only\n\n"), Err(FileError::Empty { .. })));
    }

    #[test]
    fn case_is_kept_only_when_asked() {
        let text = "<s> The Author of NATO\tLikes\tlike\nthe men\tAre\tis\n";
        let kept = AgreementFile::parse_keeping_case(text, Path::new("t.tsv")).unwrap();
        assert_eq!(kept.items[0].prefix, ["The", "Author", "of", "NATO"]);
        let pair = |good: &str, bad: &str| Answer::Pair {
            good: good.into(),
            bad: bad.into(),
        };
        assert_eq!(kept.items[0].answer, pair("Likes", "like"));
        assert_eq!(kept.items[1].answer, pair("Are", "is"));
        let lowered = parse(text).unwrap();
        assert_eq!(lowered.items[0].prefix, ["the", "author", "of", "nato"]);
        assert_eq!(lowered.items[0].answer, pair("likes", "like"));
        // The label is a label in any case; the two verbs must differ as written.
        let number = AgreementFile::parse_keeping_case("The men\tPL\n", Path::new("t.tsv"));
        assert_eq!(
            number.unwrap().items[0].answer,
            Answer::Number { plural: true }
        );
        let e = AgreementFile::parse_keeping_case("the man\tIs\tIs\n", Path::new("t.tsv"));
        assert!(e.unwrap_err().to_string().contains("same word `Is`"));
    }
}
