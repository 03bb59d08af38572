//! The sweep corpus: every file under `tests/bad/` must be rejected with the messages its
//! header names, every file under `tests/good/` must validate.
//!
//! Header lines at the top of a file, before any YAML:
//! `# expect: FRAGMENT` — some error's text (file path, YAML path, position, message) contains it;
//! `# warn: FRAGMENT` — some warning's text contains it.
//! Fragments are matched against `error.to_string()`, i.e. exactly what `rnnlab validate`
//! prints after `error: `, so positions are checked as users see them.
use std::path::{Path, PathBuf};

use rnnlab_spec::Sweep;

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The header's fragments of one kind (`expect` or `warn`).
fn header(text: &str, kind: &str) -> Vec<String> {
    let prefix = format!("# {kind}:");
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|f| f.trim().to_owned())
        .collect()
}

/// Checks one file; `Err` describes every way it failed.
fn check(path: &Path, must_fail: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let expected = header(&text, "expect");
    let warned = header(&text, "warn");
    // Name files by their path relative to the crate, as a user would pass them.
    let shown = Path::new("tests").join(
        path.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"))
            .unwrap(),
    );
    let (errors, warnings) = match Sweep::parse_and_expand(&text, &shown) {
        Ok(e) => (Vec::new(), e.warnings),
        Err(r) => (
            r.errors.iter().map(ToString::to_string).collect(),
            r.warnings,
        ),
    };
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let mut problems = Vec::new();
    if must_fail && expected.is_empty() {
        problems.push("has no `# expect:` header".to_string());
    }
    if must_fail && errors.is_empty() {
        problems.push("was accepted".to_string());
    }
    if !must_fail && !errors.is_empty() {
        problems.push("was rejected".to_string());
    }
    for fragment in &expected {
        if !errors.iter().any(|e| e.contains(fragment.as_str())) {
            problems.push(format!("no error contains `{fragment}`"));
        }
    }
    for fragment in &warned {
        if !warnings.iter().any(|w| w.contains(fragment.as_str())) {
            problems.push(format!("no warning contains `{fragment}`"));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}: {}\n  errors:\n    {}\n  warnings:\n    {}",
        shown.display(),
        problems.join("; "),
        errors.join("\n    "),
        warnings.join("\n    ")
    ))
}

fn run_corpus(dir: &str, must_fail: bool, at_least: usize) {
    let files = files(dir);
    assert!(
        files.len() >= at_least,
        "only {} files in tests/{dir}",
        files.len()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| check(f, must_fail).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_sweeps_are_rejected_with_their_messages() {
    run_corpus("bad", true, 30);
}

#[test]
fn good_sweeps_validate() {
    run_corpus("good", false, 3);
}

#[test]
fn a_good_sweep_expands_to_stable_ids() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good/cells_vs_length.yaml");
    let first = Sweep::load_and_expand(&path).unwrap();
    let second = Sweep::load_and_expand(&path).unwrap();
    let ids = |e: &rnnlab_spec::Expanded| e.runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    // 3 cells x 3 lengths, minus rnn_tanh at 200, times 3 seeds.
    assert_eq!(first.runs.len(), (3 * 3 - 1) * 3);
    assert_eq!(
        first.runs[0].label(),
        "model.cell=rnn_tanh task.length=50 seed=1"
    );
}
