//! The inputs of issue #15's table, each rejected with a located message in under a second.
//! The files are generated here (a 100,000-deep file is 200 KB), and each test times its own
//! validation: the bound is what the issue asks, and before these checks the deep files took
//! 20 and 35 s and the 32-million-run grid more than 60 s.
use std::path::Path;
use std::time::{Duration, Instant};

use rnnlab_spec::{Limits, Sweep};

/// Validates `text`, returning every error as `rnnlab validate` prints it, and fails the test
/// when that took a second or more.
fn rejected(text: &str) -> Vec<String> {
    rejected_within(text, &Limits::default())
}

fn rejected_within(text: &str, limits: &Limits) -> Vec<String> {
    let start = Instant::now();
    let outcome = Sweep::parse_and_expand_with(text, Path::new("x.yaml"), limits);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(1), "validation took {took:?}");
    match outcome {
        Ok(e) => panic!("accepted, {} runs", e.runs.len()),
        Err(r) => r.errors.iter().map(ToString::to_string).collect(),
    }
}

fn has(errors: &[String], fragment: &str) {
    assert!(
        errors.iter().any(|e| e.contains(fragment)),
        "no error contains `{fragment}`:\n{}",
        errors.join("\n")
    );
}

const BASE: &str = "name: x\nbase:\n  task: { kind: adding, length: 50 }\n";

#[test]
fn a_misspelt_stop_metric() {
    let text = format!("{BASE}  stop: {{ solved: {{ metric: mde, at_most: 0.01 }} }}\n");
    has(
        &rejected(&text),
        "x.yaml: base.stop.solved.metric (line 4 column 29): stop.solved.metric: `mde` is not a \
         metric of task `adding` (did you mean `mse`?)",
    );
}

#[test]
fn misspelt_claim_and_report_metrics() {
    let text = format!(
        "{BASE}grid:\n  model.cell: [lstm, gru]\nclaims:\n  - {{ name: c, metric: final.msee, \
         by: model.cell, expect: lstm < gru }}\nreport:\n  metric: final.acuracy\n"
    );
    let errors = rejected(&text);
    has(&errors, "claims[0].metric (line 7 column 24): `msee` is not a metric of task `adding` (did you mean `final.mse`?)");
    has(
        &errors,
        "report.metric (line 9 column 11): `acuracy` is not a metric of task `adding`",
    );
}

#[test]
fn a_huge_grid_is_counted_not_expanded() {
    let axis = |name: &str, f: &dyn Fn(usize) -> String| {
        let levels: Vec<String> = (1..=20).map(f).collect();
        format!("  {name}: [{}]\n", levels.join(", "))
    };
    let text = format!(
        "{BASE}grid:\n{}{}{}{}{}seeds: [{}]\n",
        axis("model.hidden", &|i| (8 * i).to_string()),
        axis("task.length", &|i| (10 + i).to_string()),
        axis("train.lr", &|i| format!("{}e-3", i)),
        axis("train.batch", &|i| i.to_string()),
        axis("train.steps", &|i| (100 * i).to_string()),
        (1..=10)
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    has(
        &rejected(&text),
        "x.yaml: grid (line 4 column 1): the sweep has 32000000 runs (20 levels of model.hidden × \
         20 levels of task.length × 20 levels of train.lr × 20 levels of train.batch × 20 levels \
         of train.steps × 10 seeds), more than the 100000 allowed",
    );
    // The bound is `--max-runs`: 60 runs pass a bound of 60, not one of 59.
    let small = format!(
        "{BASE}grid:\n  model.hidden: [8, 16, 32]\n  task.length: [10, 11, 12, 13, 14]\n\
         seeds: [1, 2, 3, 4]\n"
    );
    let within = |max_runs| {
        let limits = Limits {
            max_runs,
            ..Limits::default()
        };
        Sweep::parse_and_expand_with(&small, Path::new("x.yaml"), &limits)
    };
    assert_eq!(within(60).unwrap().runs.len(), 60);
    let err = within(59).unwrap_err().to_string();
    assert!(err.contains("the sweep has 60 runs (3 levels of model.hidden × 5 levels of task.length × 4 seeds), more than the 59 allowed"), "{err}");
    // `Sweep::parse` reads sweeps already run (a results folder's sweep.yaml, perhaps run with
    // a raised --max-runs): no bound on runs.
    let seeds: Vec<String> = (1..=25_001).map(|s| s.to_string()).collect();
    let many = format!(
        "{BASE}grid:\n  model.hidden: [8, 16, 32, 64]\nseeds: [{}]\n",
        seeds.join(", ")
    );
    assert!(Sweep::parse_and_expand(&many, Path::new("x.yaml")).is_err());
    assert!(Sweep::parse(&many, Path::new("x.yaml")).is_ok());
}

#[test]
fn files_nested_100000_deep_in_every_style() {
    // The depth bound, not the size bound, must stop them: lift the size bound.
    let unsized_ = Limits {
        max_bytes: usize::MAX,
        ..Limits::default()
    };
    let n = 100_000;
    let flow_lists = format!("name: x\nbase: {}{}\n", "[".repeat(n), "]".repeat(n));
    let message = "x.yaml: brackets nested 33 deep, more than the 32 allowed (a sweep needs about \
                   5); close the open `[` and `{` at line 2 column 39";
    has(&rejected(&flow_lists), message);
    has(&rejected_within(&flow_lists, &unsized_), message);
    let flow_maps = format!("name: x\nbase: {}1{}\n", "{a: ".repeat(n), "}".repeat(n));
    has(
        &rejected(&flow_maps),
        "the file has more than the 262144 bytes",
    );
    has(
        &rejected_within(&flow_maps, &unsized_),
        "brackets nested 33 deep",
    );
    for item in ["- ", "? "] {
        let block = format!("name: x\nbase:\n  {}x\n", item.repeat(n));
        has(&rejected(&block), "nested more than 32 levels deep");
        has(
            &rejected_within(&block, &unsized_),
            "nested more than 32 levels deep",
        );
    }
}

#[test]
fn aliases_that_expand_without_bound() {
    let mut laughs = String::from(BASE);
    laughs.push_str("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        laughs.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    has(&rejected(&laughs), "repetition limit exceeded");
    // One big anchor replayed, which serde_norway's own limit lets through: 4 GB before.
    let big = vec!["1"; 20_000].join(",");
    let refs = vec!["*a"; 512].join(",");
    let replay = format!("{BASE}a: &a [{big}]\nb: [{refs}]\n");
    has(&rejected(&replay), "more than 200000 values once aliases");
}

#[test]
fn a_duplicated_key_with_line_and_column() {
    let text = format!("{BASE}  model: {{ hidden: 8 }}\n  model: {{ hidden: 16 }}\n");
    has(
        &rejected(&text),
        "x.yaml: base.model (line 5 column 3): this key is written twice in the same mapping \
         (first at line 4 column 3); keep one",
    );
}

#[test]
fn thousands_of_bad_values_are_cut_short() {
    // 20,000 levels, each out of range: each error would re-read the file to locate it.
    let levels = vec!["-1"; 20_000].join(", ");
    let text = format!("{BASE}grid:\n  train.lr: [{levels}]\n");
    let errors = rejected(&text);
    assert_eq!(errors.len(), 31, "30 errors and the count of the rest");
    has(&errors, "19970 more errors not shown (at most 30 are)");
}

#[test]
fn a_huge_file_is_refused_by_its_size() {
    let text = format!("{BASE}description: {}\n", "x".repeat(1 << 20));
    has(
        &rejected(&text),
        "the file has more than the 262144 bytes a sweep file may have",
    );
}
