//! The `treebank_agreement` task's config: number prediction (Linzen, Dupoux & Goldberg 2016)
//! on the subject-verb pairs of a dependency treebank, read from files rather than generated.
use serde::{Deserialize, Serialize};

/// YAML: `task: { kind: treebank_agreement, train: .../en_ewt-ud-train.conllu.gz }`.
///
/// Each file is a CoNLL-U treebank (`.conllu`, or gzip-compressed `.conllu.gz`), whose pairs
/// `rnnlab data agreement` would extract, or a number-form agreement file (`.tsv`: prefix, `sg`
/// or `pl`, ...). Paths are relative to the folder `rnnlab run` is started in. Without
/// `valid` or `test`, that split is a fixed tenth of the train pairs, chosen by a hash of the
/// prefix (so the same in every run), and left out of training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TreebankAgreementConfig {
    /// The training pairs' file. Required.
    pub train: String,
    /// The validation pairs' file. Default: a tenth of `train`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<String>,
    /// The test pairs' file. Default: another tenth of `train`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// The vocabulary: the most frequent words of the training prefixes (lower-cased), every
    /// other word read as `<unk>`. Default 10,000, the vocabulary of the Penn Treebank
    /// language-modelling benchmark (Mikolov et al. 2010); EWT's train prefixes hold fewer
    /// distinct words than that, so the default keeps them all.
    pub vocab: usize,
}

impl Default for TreebankAgreementConfig {
    fn default() -> Self {
        Self {
            train: String::new(),
            valid: None,
            test: None,
            vocab: 10_000,
        }
    }
}

impl TreebankAgreementConfig {
    /// `train` must name a file and `vocab` be at least 1; whether the files exist and hold
    /// pairs is for the task to say when it reads them.
    pub fn check(&self) -> Result<(), String> {
        if self.train.trim().is_empty() {
            return Err(
                "train: required; name a CoNLL-U treebank (.conllu or .conllu.gz) or \
                 a number-form agreement file (.tsv), e.g. \
                 experiments/data/ud-english-ewt/en_ewt-ud-train.conllu.gz"
                    .into(),
            );
        }
        for (field, path) in [("valid", &self.valid), ("test", &self.test)] {
            if path.as_ref().is_some_and(|p| p.trim().is_empty()) {
                return Err(format!(
                    "{field}: an empty path; name a file or leave it out"
                ));
            }
        }
        if self.vocab == 0 {
            return Err("vocab: must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn train_is_required_and_vocab_positive() {
        let c = TreebankAgreementConfig::default();
        assert!(c.check().unwrap_err().starts_with("train: required"));
        let mut c = TreebankAgreementConfig {
            train: "t.conllu".into(),
            ..Default::default()
        };
        assert_eq!(c.check(), Ok(()));
        c.vocab = 0;
        assert!(c.check().unwrap_err().starts_with("vocab"));
        c.vocab = 5;
        c.test = Some(" ".into());
        assert!(c.check().unwrap_err().starts_with("test"));
    }

    #[test]
    fn unset_splits_stay_out_of_the_serialised_config() {
        let c = TreebankAgreementConfig {
            train: "t.conllu".into(),
            ..Default::default()
        };
        let v = serde_json::to_value(c).unwrap();
        assert!(v.get("valid").is_none() && v.get("test").is_none(), "{v}");
        assert_eq!(v["vocab"], 10_000);
    }
}
