//! The `text` task's config: next-token language modelling on a corpus read from files, with
//! truncated backpropagation through time over the standard stream layout (Zaremba, Sutskever
//! & Vinyals 2014). The tasks crate reads the files; this only says what to read and how.
use serde::{Deserialize, Serialize};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextLevel {
    /// Every Unicode scalar value (`char`), newline included: character-level modelling
    /// (Karpathy, Johnson & Fei-Fei 2015). Default.
    #[default]
    Char,
    /// Whitespace-separated words, each line closed by `<eos>` (the Penn Treebank and
    /// WikiText convention, Mikolov et al. 2010; Merity et al. 2017).
    Word,
}

impl TextLevel {
    /// The YAML name: `char` or `word`.
    pub fn name(self) -> &'static str {
        match self {
            TextLevel::Char => "char",
            TextLevel::Word => "word",
        }
    }
}

/// The corpus files. YAML: `corpus: { train: experiments/data/tinyshakespeare/input.txt.gz }`.
///
/// Plain text (`.txt`, or anything not named `.conllu`) or CoNLL-U (`.conllu`: its FORM
/// column, one sentence a line), either gzip-compressed or not. Paths are relative to the
/// folder `rnnlab run` is started in, as `treebank_agreement`'s are.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorpusConfig {
    /// The training text. Required; the vocabulary is built from it alone.
    pub train: String,
    /// The validation text. Default: a contiguous slice cut from the end of `train`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<String>,
    /// The test text. Default: the last contiguous slice of `train`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
}

/// YAML: `task: { kind: text, level: char, corpus: { train: ... }, bptt: 100 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextConfig {
    /// `char` (default) or `word`.
    pub level: TextLevel,
    /// The files to read.
    pub corpus: CorpusConfig,
    /// Steps per batch: the truncated-BPTT window. Default 35, the unrolling of Zaremba,
    /// Sutskever & Vinyals 2014 on the Penn Treebank.
    pub bptt: usize,
    /// Most token types kept: the most frequent ones of the training text, every other token
    /// read as `<unk>`. Default 10,000, the Penn Treebank language-modelling vocabulary
    /// (Mikolov et al. 2010); at char level it only caps an unusual alphabet.
    pub vocab: usize,
}

impl Default for TextConfig {
    fn default() -> Self {
        Self {
            level: TextLevel::Char,
            corpus: CorpusConfig::default(),
            bptt: 35,
            vocab: 10_000,
        }
    }
}

impl TextConfig {
    /// `corpus.train` must name a file, `bptt` and `vocab` be at least 1; whether the files
    /// exist and hold enough text is for the task to say when it reads them.
    pub fn check(&self) -> Result<(), String> {
        if self.corpus.train.trim().is_empty() {
            return Err(
                "corpus.train: required; name a text file (.txt, .txt.gz) or a \
                 CoNLL-U treebank (.conllu, .conllu.gz), e.g. \
                 `corpus: { train: experiments/data/tinyshakespeare/input.txt.gz }`"
                    .into(),
            );
        }
        let splits = [("valid", &self.corpus.valid), ("test", &self.corpus.test)];
        for (field, path) in splits {
            if path.as_ref().is_some_and(|p| p.trim().is_empty()) {
                return Err(format!(
                    "corpus.{field}: an empty path; name a file or leave it out (a slice of \
                     the train text is held out instead)"
                ));
            }
        }
        if self.bptt == 0 {
            return Err("bptt: must be at least 1 (steps per batch)".into());
        }
        if self.vocab == 0 {
            return Err("vocab: must be at least 1 (token types kept)".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TaskConfig;

    fn text(train: &str) -> TextConfig {
        TextConfig {
            corpus: CorpusConfig {
                train: train.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn check_refuses_a_missing_train_path_zero_bptt_and_zero_vocab() {
        assert!(TextConfig::default()
            .check()
            .unwrap_err()
            .starts_with("corpus.train: required"));
        assert!(text("  ").check().is_err());
        assert_eq!(text("a.txt").check(), Ok(()));
        let mut c = text("a.txt");
        c.bptt = 0;
        assert!(c.check().unwrap_err().starts_with("bptt"));
        let mut c = text("a.txt");
        c.vocab = 0;
        assert!(c.check().unwrap_err().starts_with("vocab"));
        let mut c = text("a.txt");
        c.corpus.test = Some(String::new());
        assert!(c.check().unwrap_err().starts_with("corpus.test"));
    }

    #[test]
    fn the_yaml_of_the_issue_reads_as_a_text_task() {
        let yaml = "kind: text\nlevel: word\ncorpus: { train: t.txt.gz, valid: v.txt }\n\
                    bptt: 64\nvocab: 500\n";
        let config: TaskConfig = serde_yaml::from_str(yaml).unwrap();
        let TaskConfig::Text(c) = &config else {
            panic!("{config:?}")
        };
        assert_eq!((c.level, c.bptt, c.vocab), (TextLevel::Word, 64, 500));
        assert_eq!(c.corpus.valid.as_deref(), Some("v.txt"));
        assert_eq!(config.kind(), "text");
        assert!(config.is_language_model());
        let typo = "kind: text\ncorpus: { train: t.txt, tset: x }\n";
        let err = serde_yaml::from_str::<TaskConfig>(typo).unwrap_err();
        assert!(err.to_string().contains("tset"), "{err}");
    }

    #[test]
    fn a_bidirectional_model_is_refused_at_its_field() {
        let mut run: crate::RunConfig =
            serde_yaml::from_str("task: { kind: text, corpus: { train: a.txt } }\nseed: 1\n")
                .unwrap();
        assert!(run.check().is_empty(), "{:?}", run.check());
        run.model.bidirectional = true;
        let problems = run.check();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "model.bidirectional");
        assert!(problems[0]
            .message
            .starts_with("a bidirectional model would read the future of the text it predicts"));
    }

    #[test]
    fn the_catalogue_leads_with_perplexity() {
        let m = crate::metric::task("text").unwrap();
        assert_eq!(m.main, "perplexity");
        assert_eq!(
            m.columns,
            ["loss", "accuracy", "perplexity", "bits_per_token"]
        );
        assert!(!m.get("bits_per_token").unwrap().higher_is_better());
    }

    #[test]
    fn unset_splits_stay_out_of_the_serialised_config() {
        let v = serde_json::to_value(text("a.txt")).unwrap();
        assert!(v["corpus"].get("valid").is_none(), "{v}");
        assert_eq!(v["level"], "char");
        assert_eq!(v["bptt"], 35);
    }
}
