//! Reading a corpus into tokens, and the held-out slices cut from the training text when the
//! config names no validation or test file.
use std::io::Read;
use std::ops::Range;
use std::path::Path;

use rnnlab_spec::TextLevel;

use super::TextError;
use crate::treebank::parse_conllu;

/// The end-of-line token of word-level text.
pub const EOS: &str = "<eos>";

/// Share of the training tokens held out for each missing split: 1/20, so that without
/// `valid` and `test` the last tenth of the text is held out, its first half as valid and
/// its second half as test.
pub const HELD_OUT_DENOMINATOR: usize = 20;

/// The text of a corpus file, as a model reads it.
///
/// Gzip-compressed files are recognised by their magic bytes, whatever their name. A file
/// named `.conllu` (or `.conllu.gz`) is a CoNLL-U treebank: its sentences become lines of
/// their FORM column joined by single spaces (syntactic words: a multiword token's parts, as
/// the treebank reader keeps them). Anything else is plain UTF-8 text, read as is.
pub fn read(path: &str) -> Result<String, TextError> {
    let p = Path::new(path);
    let io = |source| TextError::Io {
        path: path.into(),
        source,
    };
    let bytes = std::fs::read(p).map_err(io)?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .map_err(io)?;
        out
    } else {
        bytes
    };
    let text = String::from_utf8(bytes).map_err(|e| TextError::Utf8 {
        path: path.into(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if !path.trim_end_matches(".gz").ends_with(".conllu") {
        return Ok(text);
    }
    let sentences = parse_conllu(&text, p)?;
    let mut out = String::new();
    for s in &sentences {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        out.push_str(&forms.join(" "));
        out.push('\n');
    }
    Ok(out)
}

/// The tokens of a text, in order.
///
/// `char`: every Unicode scalar value, newline included (a `\r\n` line end is two tokens).
/// `word`: each line split at whitespace, then [`EOS`] closing the line, blank lines
/// included: the convention of the Penn Treebank language-modelling data (Mikolov et al.
/// 2010) and of WikiText (Merity et al. 2017), whose files mark rare words `<unk>` themselves.
/// No case folding at either level.
pub fn tokenise(text: &str, level: TextLevel) -> Vec<&str> {
    match level {
        TextLevel::Char => text
            .char_indices()
            .map(|(i, c)| &text[i..i + c.len_utf8()])
            .collect(),
        TextLevel::Word => text
            .lines()
            .flat_map(|line| line.split_whitespace().chain([EOS]))
            .collect(),
    }
}

/// Which contiguous ranges of `n` training tokens make the train, valid and test splits when
/// `valid` / `test` say whether the config names a file for that split (its range is then
/// empty and unused). Each missing split takes `n / 20` tokens from the end of the text, in
/// the order train, valid, test: without both, train is the first 90 %, valid the next 5 % and
/// test the last 5 %.
pub fn held_out(n: usize, valid: bool, test: bool) -> [Range<usize>; 3] {
    let h = n / HELD_OUT_DENOMINATOR;
    let test_start = if test { n } else { n - h };
    let valid_start = if valid { test_start } else { test_start - h };
    [0..valid_start, valid_start..test_start, test_start..n]
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn gzip(text: &str) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn characters_are_scalar_values_with_the_newline() {
        assert_eq!(tokenise("añ\nb", TextLevel::Char), ["a", "ñ", "\n", "b"]);
    }

    #[test]
    fn words_close_every_line_with_eos() {
        let t = tokenise("The cat  sat\n\n a <unk> .", TextLevel::Word);
        let eos = EOS;
        assert_eq!(t, ["The", "cat", "sat", eos, eos, "a", "<unk>", ".", eos]);
    }

    #[test]
    fn gzip_and_plain_files_read_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let text = "To be, or not to be\nthat is the question\n";
        let plain = file(&dir, "a.txt", text.as_bytes());
        let packed = file(&dir, "a.txt.gz", &gzip(text));
        assert_eq!(read(&plain).unwrap(), text);
        assert_eq!(read(&packed).unwrap(), text);
        let bad = file(&dir, "b.txt", &[b'o', b'k', 0xff]);
        let err = read(&bad).unwrap_err().to_string();
        assert!(err.contains("b.txt") && err.contains("offset 2"), "{err}");
        let missing = read("/nonexistent/c.txt").unwrap_err().to_string();
        assert!(
            missing.starts_with("/nonexistent/c.txt: cannot read it"),
            "{missing}"
        );
    }

    #[test]
    fn conllu_gives_one_line_of_forms_per_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let conllu = "# sent_id = 1\n# text = It doesn't.\n\
            1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n\
            2-3\tdoesn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
            2\tdoes\tdo\tAUX\tVBZ\t_\t3\taux\t_\t_\n\
            3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\t_\n\
            4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n\
            1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_\n\n";
        let want = "It does n't .\nYes\n";
        assert_eq!(
            read(&file(&dir, "t.conllu", conllu.as_bytes())).unwrap(),
            want
        );
        assert_eq!(
            read(&file(&dir, "t.conllu.gz", &gzip(conllu))).unwrap(),
            want
        );
        // The same bytes under a plain-text name are read as text.
        assert_eq!(
            read(&file(&dir, "t.txt", conllu.as_bytes())).unwrap(),
            conllu
        );
    }

    #[test]
    fn held_out_slices_are_the_end_of_the_train_text() {
        assert_eq!(held_out(100, false, false), [0..90, 90..95, 95..100]);
        assert_eq!(held_out(100, true, false), [0..95, 95..95, 95..100]);
        assert_eq!(held_out(100, false, true), [0..95, 95..100, 100..100]);
        assert_eq!(held_out(100, true, true), [0..100, 100..100, 100..100]);
        assert_eq!(held_out(39, false, false), [0..37, 37..38, 38..39]);
    }
}
