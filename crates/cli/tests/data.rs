//! `rnnlab data agreement`: pairs from a treebank into an eval file, in a temporary folder.
//! Needs no libtorch: these tests run in the report-only build too.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

const SAMPLE: &str = "crates/tasks/src/treebank/ewt-dev-sample.conllu";
const EWT: &str = "experiments/data/ud-english-ewt";

#[test]
fn writes_both_eval_forms_from_plain_conllu() {
    let sandbox = Sandbox::new();
    let sample = repo(SAMPLE);
    let sample = sample.to_str().unwrap();
    for (form, first) in [
        ("pairs", "Maybe he\tdoes\tdo\t0\t0\tpronoun\t"),
        ("number", "Maybe he\tsg\t0\t0\tpronoun\t"),
    ] {
        let out = finish(
            sandbox
                .rnnlab(&[
                    "data",
                    "agreement",
                    sample,
                    "--out",
                    "o.tsv",
                    "--form",
                    form,
                ])
                .spawn()
                .unwrap(),
        );
        assert_success(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("10 sentences, 9 pairs"), "{stdout}");
        assert!(stdout.contains("wrote o.tsv"), "{stdout}");
        let text = std::fs::read_to_string(sandbox.path().join("o.tsv")).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.len(), 9, "{text}");
        assert_eq!(lines[0], first);
        assert!(text.starts_with(
            "# Subject-verb agreement pairs from the gold trees of ewt-dev-sample.conllu"
        ));
    }
}

/// The committed dev and test files are what the command makes from the committed treebank
/// (gzip-compressed), so they cannot drift from the extractor.
#[test]
fn the_committed_ewt_files_are_the_commands_output() {
    let sandbox = Sandbox::new();
    for (split, form, committed) in [
        ("dev", "pairs", "agreement-dev-pairs.tsv"),
        ("dev", "number", "agreement-dev.tsv"),
        ("test", "pairs", "agreement-test-pairs.tsv"),
        ("test", "number", "agreement-test.tsv"),
    ] {
        let treebank = repo(&format!("{EWT}/en_ewt-ud-{split}.conllu.gz"));
        let args = [
            "data",
            "agreement",
            treebank.to_str().unwrap(),
            "--out",
            "o.tsv",
            "--form",
            form,
        ];
        let out = finish(sandbox.rnnlab(&args).spawn().unwrap());
        assert_success(&out);
        let made = std::fs::read_to_string(sandbox.path().join("o.tsv")).unwrap();
        // Every line is one `rnnlab eval` can read (no pair whose two verbs are one word).
        let parsed = rnnlab_tasks::parse_tsv(&made, Path::new(committed)).unwrap();
        let lines = made.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(parsed.items.len(), lines);
        let kept = std::fs::read_to_string(repo(&format!("{EWT}/{committed}"))).unwrap();
        assert!(
            made == kept,
            "{EWT}/{committed} differs from `rnnlab data agreement`'s output: remake it with \
             scripts/rnnlab data agreement {EWT}/en_ewt-ud-{split}.conllu.gz --out {EWT}/{committed} --form {form}"
        );
    }
}

#[test]
fn unreadable_and_malformed_treebanks_are_named() {
    let sandbox = Sandbox::new();
    let out = finish(
        sandbox
            .rnnlab(&["data", "agreement", "missing.conllu", "--out", "o.tsv"])
            .spawn()
            .unwrap(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing.conllu: cannot read it"),
        "{stderr}"
    );
    std::fs::write(sandbox.path().join("bad.conllu"), "# c\n1\tIt\tit\n").unwrap();
    let out = finish(
        sandbox
            .rnnlab(&["data", "agreement", "bad.conllu", "--out", "o.tsv"])
            .spawn()
            .unwrap(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.conllu:2: 3 tab-separated columns"),
        "{stderr}"
    );
    assert!(!sandbox.path().join("o.tsv").exists());
}
