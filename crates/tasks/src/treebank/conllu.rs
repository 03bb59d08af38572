//! A CoNLL-U reader (universaldependencies.org/format.html): ten tab-separated columns per
//! word, `#` comment lines, a blank line after each sentence. Only syntactic words are kept:
//! multiword-token lines (`1-2 doesn't`) are skipped, since their parts (`does`, `n't`) follow
//! as words of their own, and so are empty nodes (`8.1`), which belong to the enhanced graph
//! and have no place in the word order a model reads.
use std::io::Read;
use std::path::Path;

use super::TreebankError;

/// One syntactic word (a CoNLL-U word line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// 1-based position in the sentence (the ID column).
    pub id: usize,
    pub form: String,
    pub lemma: String,
    /// Universal part of speech: NOUN, PROPN, PRON, VERB, AUX, ...
    pub upos: String,
    /// The treebank's own tag; Penn tags in EWT (VBZ, VBP, VBD, NN, NNS, ...).
    pub xpos: String,
    /// The FEATS column as written (`Number=Sing|Person=3`), `_` when empty.
    pub feats: String,
    /// The ID of the head, 0 for the root.
    pub head: usize,
    /// The basic dependency relation, with its subtype (`nsubj:pass`, `acl:relcl`).
    pub deprel: String,
}

impl Word {
    /// The value of one morphological feature, `None` when the word does not carry it.
    pub fn feat(&self, name: &str) -> Option<&str> {
        self.feats.split('|').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then_some(v)
        })
    }
}

/// One sentence: its words in order (`words[i].id == i + 1`) and its `sent_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub sent_id: Option<String>,
    pub words: Vec<Word>,
}

impl Sentence {
    /// The word with a given ID (1-based); `None` for 0 (the root) or past the end.
    pub fn word(&self, id: usize) -> Option<&Word> {
        id.checked_sub(1).and_then(|i| self.words.get(i))
    }

    /// The words whose head is `id`, in sentence order.
    pub fn children(&self, id: usize) -> impl Iterator<Item = &Word> {
        self.words.iter().filter(move |w| w.head == id)
    }
}

/// Reads a `.conllu` file, or a gzip-compressed one (recognised by its magic bytes, whatever
/// its name).
pub fn read_conllu(path: &Path) -> Result<Vec<Sentence>, TreebankError> {
    let io = |source| TreebankError::Io {
        path: path.to_owned(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = String::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .map_err(io)?;
        text
    } else {
        String::from_utf8(bytes).map_err(|e| TreebankError::Utf8 {
            path: path.to_owned(),
            offset: e.utf8_error().valid_up_to(),
        })?
    };
    parse_conllu(&text, path)
}

/// Parses CoNLL-U text; `path` is for messages. Every sentence must number its words 1, 2, ...
/// and point each head at one of them (or 0).
pub fn parse_conllu(text: &str, path: &Path) -> Result<Vec<Sentence>, TreebankError> {
    let error = |line: usize, message: String| TreebankError::Line {
        path: path.to_owned(),
        line,
        message,
    };
    let mut sentences = Vec::new();
    let mut current = Sentence {
        sent_id: None,
        words: Vec::new(),
    };
    let mut start = 1;
    // Closing at a blank line, and once more at the end for a file without a final blank line.
    let mut close = |s: &mut Sentence, start: usize| -> Result<(), TreebankError> {
        if s.words.is_empty() {
            s.sent_id = None;
            return Ok(());
        }
        let n = s.words.len();
        if let Some(w) = s.words.iter().find(|w| w.head > n) {
            return Err(error(
                start,
                format!(
                    "sentence {}: word {} has head {}, but the sentence has {n} words",
                    s.sent_id.as_deref().unwrap_or("(no sent_id)"),
                    w.id,
                    w.head
                ),
            ));
        }
        sentences.push(std::mem::replace(
            s,
            Sentence {
                sent_id: None,
                words: Vec::new(),
            },
        ));
        Ok(())
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            close(&mut current, start)?;
            start = line + 1;
            continue;
        }
        if let Some(comment) = raw.strip_prefix('#') {
            if let Some((key, value)) = comment.split_once('=') {
                if key.trim() == "sent_id" {
                    current.sent_id = Some(value.trim().to_string());
                }
            }
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        if cols.len() != 10 {
            return Err(error(
                line,
                format!(
                    "{} tab-separated columns, CoNLL-U has 10 (ID FORM LEMMA UPOS XPOS FEATS \
                     HEAD DEPREL DEPS MISC); is this a CoNLL-U file?",
                    cols.len()
                ),
            ));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue; // a multiword token or an empty node: not a word of the basic tree
        }
        let id: usize = cols[0].parse().map_err(|_| {
            error(
                line,
                format!("the ID column must be a number, read `{}`", cols[0]),
            )
        })?;
        let expected = current.words.len() + 1;
        if id != expected {
            return Err(error(
                line,
                format!("word ID {id}, expected {expected}: words are numbered 1, 2, ... in each sentence"),
            ));
        }
        let head: usize = cols[6].parse().map_err(|_| {
            error(
                line,
                format!("the HEAD column must be a word ID or 0, read `{}`", cols[6]),
            )
        })?;
        current.words.push(Word {
            id,
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
        });
    }
    close(&mut current, start)?;
    if sentences.is_empty() {
        return Err(TreebankError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(sentences)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str =
        "# sent_id = a-1\n# text = It doesn't.\n1-2\tdoesn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        1\tIt\tit\tPRON\tPRP\tNumber=Sing|Person=3\t2\tnsubj\t_\t_\n\
        2\tdoes\tdo\tAUX\tVBZ\tNumber=Sing\t0\troot\t_\t_\n\
        2.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t2:conj\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n\n\
        # sent_id = a-2\n1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_\n";

    #[test]
    fn keeps_words_and_skips_multiword_tokens_and_empty_nodes() {
        let s = parse_conllu(TWO, Path::new("t.conllu")).unwrap();
        assert_eq!(s.len(), 2);
        let forms: Vec<&str> = s[0].words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, ["It", "does", "n't"]);
        assert_eq!(s[0].sent_id.as_deref(), Some("a-1"));
        assert_eq!(s[0].words[1].feat("Number"), Some("Sing"));
        assert_eq!(s[0].words[1].feat("Person"), None);
        assert_eq!(s[0].word(1).unwrap().deprel, "nsubj");
        let children: Vec<usize> = s[0].children(2).map(|w| w.id).collect();
        assert_eq!(children, [1, 3]);
        assert_eq!(s[1].sent_id.as_deref(), Some("a-2"));
    }

    #[test]
    fn reads_gzip_by_its_magic_bytes() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.conllu.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(TWO.as_bytes()).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let plain = parse_conllu(TWO, &path).unwrap();
        assert_eq!(read_conllu(&path).unwrap(), plain);
    }

    #[test]
    fn malformed_input_names_the_file_and_line() {
        let cases = [
            ("1\tIt\tit\tPRON\n", 1, "10 (ID FORM"),
            (
                "# c\nx\tIt\tit\tPRON\tPRP\t_\t0\troot\t_\t_\n",
                2,
                "ID column",
            ),
            (
                "1\tIt\tit\tPRON\tPRP\t_\tzero\troot\t_\t_\n",
                1,
                "HEAD column",
            ),
            ("2\tIt\tit\tPRON\tPRP\t_\t0\troot\t_\t_\n", 1, "expected 1"),
            ("\n1\tIt\tit\tPRON\tPRP\t_\t5\troot\t_\t_\n", 2, "head 5"),
        ];
        for (text, line, needle) in cases {
            let e = parse_conllu(text, Path::new("t.conllu")).unwrap_err();
            let message = e.to_string();
            assert!(
                message.starts_with(&format!("t.conllu:{line}: ")),
                "{text:?}: {message}"
            );
            assert!(message.contains(needle), "{text:?}: {message}");
        }
        let e = parse_conllu("# only\n\n", Path::new("t.conllu")).unwrap_err();
        assert!(matches!(e, TreebankError::Empty { .. }), "{e}");
    }
}
