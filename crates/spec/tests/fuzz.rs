//! Fuzzing validation with mutants of the committed sweeps (`experiments/*.yaml`): every case
//! must come back (accepted or rejected) without a panic, within a second, and the process's
//! peak memory must stay bounded.
//!
//! A mutant is one sweep with 1 to 8 edits: bytes deleted, a YAML token inserted (brackets,
//! anchors and aliases, merge keys, tags, quotes, extreme numbers, known keys), a line copied
//! elsewhere (duplicate keys, repeated grid axes), a number replaced by an extreme one, or a
//! byte replaced. The seed is fixed, so a CI failure reproduces; proptest shrinks a failing
//! case to its fewest edits and prints it. What a run found is kept in `tests/bad/fuzz_*.yaml`
//! with the error it must give (replayed by `bad_sweeps.rs`).
//!
//! `RNNLAB_FUZZ_CASES` sets the number of cases (default 10,000, about 3 s);
//! `RNNLAB_FUZZ_SEED` another seed; `RNNLAB_FUZZ_KEEP=DIR` writes the first rejected mutant of
//! each kind of error to DIR, to pick corpus files from. docs/sweeps.md records the
//! 100,000-case run.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rnnlab_spec::Sweep;

/// Tokens that reach the parser's and validator's corners.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    ", ",
    "\n",
    "  ",
    "'",
    "\"",
    "# ",
    "? ",
    "|",
    ">",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "!tag ",
    "~",
    "null",
    "0",
    "-1",
    "1e309",
    "-0.0",
    ".nan",
    "100000000",
    "18446744073709551616",
    "true",
    "lstm",
    "gru",
    "lstm_cifg",
    "hidden: ",
    "layers: ",
    "bidirectional: true",
    "skip: dense",
    "grid:\n  model.cell: [lstm, gru]\n",
    "seeds: [1, 1]",
    "kind: agreement",
    "form: language_model",
    "metric: ",
    "final.mse",
    "by: variant",
    "expect: a < b",
    "where: {}",
    "exclude: [{}]",
    "variants: {a: {}}",
    "task.length: [10, 20]",
    "train.lr: [0]",
    "base: ",
    "name: ",
    "é",
    "\t",
    "\u{0}",
];

/// One edit at a position given as a fraction of the text (so it stays meaningful as edits
/// change the length).
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: f64, len: usize },
    Insert { at: f64, token: usize },
    CopyLine { from: f64, to: f64 },
    Number { at: f64, value: usize },
    Byte { at: f64, byte: u8 },
}

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "100000000",
    "4294967296",
    "99999999999999999999",
    "0.0",
    "1.5",
];

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), 1..40usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (at.clone(), 0..TOKENS.len()).prop_map(|(at, token)| Edit::Insert { at, token }),
        (at.clone(), at.clone()).prop_map(|(from, to)| Edit::CopyLine { from, to }),
        (at.clone(), 0..NUMBERS.len()).prop_map(|(at, value)| Edit::Number { at, value }),
        (at, 0x20..0x7fu8).prop_map(|(at, byte)| Edit::Byte { at, byte }),
    ]
}

/// The char boundary nearest below the fraction `at` of `text`.
fn offset(text: &str, at: f64) -> usize {
    let mut i = ((text.len() as f64) * at) as usize;
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn line_bounds(text: &str, i: usize) -> (usize, usize) {
    let start = text[..i].rfind('\n').map_or(0, |p| p + 1);
    let end = text[i..].find('\n').map_or(text.len(), |p| i + p + 1);
    (start, end)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut s = text.to_owned();
    for e in edits {
        match *e {
            Edit::Delete { at, len } => {
                let a = offset(&s, at);
                let b = offset(&s, ((a + len) as f64 / s.len().max(1) as f64).min(1.0));
                if a < b {
                    s.replace_range(a..b, "");
                }
            }
            Edit::Insert { at, token } => {
                let a = offset(&s, at);
                s.insert_str(a, TOKENS[token]);
            }
            Edit::CopyLine { from, to } => {
                let (a, b) = line_bounds(&s, offset(&s, from));
                let line = s[a..b].to_owned();
                let (c, _) = line_bounds(&s, offset(&s, to));
                s.insert_str(c, &line);
            }
            Edit::Number { at, value } => {
                let a = offset(&s, at);
                let Some(p) = s[a..].find(|c: char| c.is_ascii_digit()) else {
                    continue;
                };
                let start = a + p;
                let len = s[start..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
                    .unwrap_or(s.len() - start);
                s.replace_range(start..start + len, NUMBERS[value]);
            }
            Edit::Byte { at, byte } => {
                let a = offset(&s, at);
                if let Some(c) = s[a..].chars().next() {
                    s.replace_range(a..a + c.len_utf8(), &char::from(byte).to_string());
                }
            }
        }
    }
    s
}

fn experiments() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../experiments");
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    out
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name}={v} is not a number"))
        })
        .unwrap_or(default)
}

/// An error's kind: its message without the file, place and the values quoted in it.
fn kind(error: &str) -> String {
    let message = error.rsplit("): ").next().unwrap_or(error);
    let message = message.split_once(": ").map_or(message, |(_, m)| m);
    let words: Vec<&str> = message
        .split_whitespace()
        .take_while(|w| !w.contains('`') && !w.contains(|c: char| c.is_ascii_digit()))
        .take(6)
        .collect();
    words.join(" ")
}

/// The process's peak resident memory in KiB (`VmHWM`), where /proc says.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn mutants_of_the_committed_sweeps_never_panic_hang_or_blow_up() {
    let sweeps = experiments();
    assert!(!sweeps.is_empty(), "no experiments/*.yaml");
    let cases = env_number("RNNLAB_FUZZ_CASES", 10_000) as u32;
    let seed = env_number("RNNLAB_FUZZ_SEED", 15);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = (0..sweeps.len(), prop::collection::vec(edit(), 1..=8));
    let (accepted, rejected) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let keep = std::env::var_os("RNNLAB_FUZZ_KEEP").map(PathBuf::from);
    let kinds = std::cell::RefCell::new(std::collections::BTreeSet::new());
    let start = Instant::now();
    let result = runner.run(&strategy, |(which, edits)| {
        let (path, text) = &sweeps[which];
        let mutant = apply(text, &edits);
        let t = Instant::now();
        let outcome = Sweep::parse_and_expand(&mutant, path);
        let took = t.elapsed();
        prop_assert!(took < Duration::from_secs(1), "took {took:?} on:\n{mutant}");
        match outcome {
            Ok(e) => {
                prop_assert!(!e.runs.is_empty(), "accepted with no runs:\n{mutant}");
                accepted.set(accepted.get() + 1);
            }
            Err(r) => {
                prop_assert!(!r.errors.is_empty(), "rejected with no error:\n{mutant}");
                rejected.set(rejected.get() + 1);
                if let Some(dir) = &keep {
                    let first = r.errors[0].to_string();
                    if kinds.borrow_mut().insert(kind(&first)) {
                        let n = kinds.borrow().len();
                        let file = dir.join(format!("fuzz_{n:03}.yaml"));
                        let text = format!("# expect: {}\n{mutant}", kind(&first));
                        std::fs::write(&file, text).expect("writing a kept mutant");
                    }
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (accepted, rejected) = (accepted.get(), rejected.get());
    eprintln!(
        "fuzz: {cases} cases (seed {seed}) in {:.1} s: {accepted} accepted, {rejected} rejected; \
         peak memory {} KiB",
        start.elapsed().as_secs_f64(),
        peak_kib().unwrap_or(0)
    );
    // Mutants that all fail at the YAML syntax would test nothing past the parser.
    assert!(
        accepted > cases / 20 && rejected > cases / 20,
        "{accepted} accepted, {rejected} rejected"
    );
    if let Some(kib) = peak_kib() {
        assert!(kib < 1 << 20, "peak memory {kib} KiB");
    }
}
