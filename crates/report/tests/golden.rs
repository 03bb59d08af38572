//! Golden-file tests: synthetic results folders in, tables and report.md out, compared byte
//! for byte with tests/golden/<case>/. After an intended change, regenerate with
//! `UPDATE_GOLDEN=1 cargo test --release -p rnnlab-report --test golden` and review the diff.

mod common;

use std::path::{Path, PathBuf};

use rnnlab_report::{ReportOptions, Verdict};

fn golden_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(case)
}

fn assert_golden(case: &str, name: &str, actual: &str) {
    let path = golden_dir(case).join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  golden: {:?}\n  actual: {:?}\n(UPDATE_GOLDEN=1 to accept)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// Builds the report of a case and pins report.md and every table.
fn pin_report(case: &str, dir: &Path) -> rnnlab_report::ReportSummary {
    let options = ReportOptions {
        environment: Some(common::env()),
        ..ReportOptions::default()
    };
    let summary = rnnlab_report::report(dir, &options).unwrap();
    let report = std::fs::read_to_string(&summary.report_md).unwrap();
    assert_golden(case, "report.md", &report);
    let mut tables: Vec<&PathBuf> = summary.tables.iter().collect();
    tables.sort();
    let names: Vec<String> = tables
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_golden(case, "tables.txt", &(names.join("\n") + "\n"));
    for (path, name) in tables.iter().zip(&names) {
        // runs.csv names every run by id: pinned too, it is part of the contract.
        let text = std::fs::read_to_string(path).unwrap();
        assert_golden(case, &format!("tables/{name}"), &text);
    }
    summary
}

#[test]
fn cells_vs_length() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_cells(tmp.path());
    let summary = pin_report("cells", tmp.path());
    assert_eq!(summary.runs, 24);
    assert_eq!(summary.variants, 8);
    assert_eq!(summary.claims_hold, Some(false));
    let stems: Vec<&str> = summary.figures.iter().map(|f| f.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "curves-recall_accuracy",
            "final-recall_accuracy-vs-task-length"
        ]
    );
    assert_golden(
        "cells",
        "summary.txt",
        &rnnlab_report::summary_table(tmp.path()).unwrap(),
    );
    let outcome = rnnlab_report::check(tmp.path()).unwrap();
    assert!(!outcome.passed());
    assert_golden("cells", "check.md", &outcome.to_string());
}

#[test]
fn agreement_with_breakdown_and_gradflow() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_agreement(tmp.path());
    let summary = pin_report("agreement", tmp.path());
    let stems: Vec<&str> = summary.figures.iter().map(|f| f.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "curves-accuracy",
            "final-accuracy-by-model-cell-and-model-bidirectional",
            "breakdown-attractors",
            "breakdown-distance",
            "gradflow"
        ]
    );
    assert_eq!(summary.claims_hold, None);

    // The backward direction of the bidirectional models (5 e^{-rate t} at distance t) is
    // kept apart from the forward one, not pooled into it.
    let table = std::fs::read_to_string(tmp.path().join("report/tables/gradflow.csv")).unwrap();
    let row = |cell: &str, bi: &str, direction: &str, distance: &str| -> Vec<String> {
        let rows: Vec<Vec<String>> = table
            .lines()
            .map(|l| l.split(',').map(String::from).collect())
            .filter(|f: &Vec<String>| {
                f[0] == cell && f[1] == bi && f[2] == direction && f[3] == distance
            })
            .collect();
        assert_eq!(
            rows.len(),
            1,
            "{cell} {bi} {direction} {distance}:\n{table}"
        );
        rows[0].clone()
    };
    let backward = row("lstm", "true", "backward", "0");
    assert_eq!((backward[4].as_str(), backward[5].as_str()), ("3", "5"));
    let forward = row("lstm", "true", "forward", "0");
    assert!(forward[5].parse::<f64>().unwrap() < 1.5, "{forward:?}");
    assert!(!table.contains("false,backward"), "{table}");
}

#[test]
fn clipping_and_divergence() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_clip(tmp.path());
    let summary = pin_report("clip", tmp.path());
    let stems: Vec<&str> = summary.figures.iter().map(|f| f.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "curves-mse",
            "divergence-vs-train-clip-max",
            "final-mse-vs-train-clip-max"
        ]
    );
    assert_eq!(summary.claims_hold, Some(true));
}

#[test]
fn depth_and_skips_follow_the_report_hints() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_depth(tmp.path());
    let summary = pin_report("depth", tmp.path());
    let stems: Vec<&str> = summary.figures.iter().map(|f| f.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "curves-accuracy",
            "final-accuracy-by-model-layers-and-model-skip"
        ]
    );
    // Its 3 seeds per side cannot give an exact p below 0.05: the claims cannot hold.
    assert_eq!(summary.claims_hold, Some(false));
}

#[test]
fn compare_flags_a_regression_against_a_saved_baseline() {
    let base = tempfile::tempdir().unwrap();
    common::write_depth(base.path());
    let csv = base.path().join("baseline.csv");
    let rows = rnnlab_report::save_baseline(base.path(), &csv).unwrap();
    assert_eq!(rows, 12 * 2);
    assert_golden(
        "depth",
        "baseline.csv",
        &std::fs::read_to_string(&csv).unwrap(),
    );

    // The same folder against its own summary: the same seeds with the same values.
    let same = rnnlab_report::compare(base.path(), &csv, &Default::default()).unwrap();
    assert_eq!(same.regressions(), 0);
    assert!(same.rows.iter().all(|r| r.verdict == Verdict::Identical));

    // Break one variant: layers=8 skip=residual loses half its accuracy in every seed. With 3
    // seeds no test can see it (3 against 3 cannot give p < 0.05), so it fails as a large
    // change of an underpowered row; 20 points (1.3x worse) would be "underpowered" only.
    let cur = tempfile::tempdir().unwrap();
    common::write_depth(cur.path());
    for run in std::fs::read_dir(cur.path().join("runs")).unwrap() {
        let dir = run.unwrap().path();
        let params = std::fs::read_to_string(dir.join("params.json")).unwrap();
        if params.contains("\"model.layers\": \"8\"") && params.contains("\"residual\"") {
            let s = std::fs::read_to_string(dir.join("summary.json")).unwrap();
            let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
            let acc = v["final"]["accuracy"].as_f64().unwrap();
            v["final"]["accuracy"] = serde_json::json!(acc / 2.0);
            std::fs::write(dir.join("summary.json"), v.to_string()).unwrap();
        }
    }
    let cmp = rnnlab_report::compare(cur.path(), &csv, &Default::default()).unwrap();
    assert_eq!(cmp.regressions(), 1, "{cmp}");
    let broken =
        |r: &&rnnlab_report::CompareRow| r.variant.contains("layers=8 model.skip=residual");
    let row = cmp
        .rows
        .iter()
        .find(|r| broken(r) && r.metric == "final.accuracy")
        .unwrap();
    assert_eq!(row.verdict, Verdict::LargeChange, "{cmp}");
    assert_golden("depth", "compare.md", &cmp.to_string());
    // A folder as the baseline gives the same verdicts as its saved summary.
    let by_folder = rnnlab_report::compare(cur.path(), base.path(), &Default::default()).unwrap();
    assert_eq!(by_folder.regressions(), 1);
}

#[test]
fn errors_name_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let err = rnnlab_report::report(tmp.path(), &ReportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("not a results folder"), "{err}");

    common::write_clip(tmp.path());
    let run = std::fs::read_dir(tmp.path().join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let metrics = run.join("metrics.csv");
    let text = std::fs::read_to_string(&metrics).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "0,valid,0.1,oops,,,0.0";
    std::fs::write(&metrics, lines.join("\n") + "\n").unwrap();
    let err = rnnlab_report::report(tmp.path(), &ReportOptions::default()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&metrics.display().to_string()), "{msg}");
    assert!(msg.contains(":3:"), "{msg}");

    std::fs::write(run.join("summary.json"), "{ not json").unwrap();
    let err = rnnlab_report::check(tmp.path()).unwrap_err();
    let cause = std::error::Error::source(&err).map(|c| c.to_string());
    let err = err.to_string();
    assert!(
        err.contains("summary.json") && err.contains("not valid summary.json"),
        "{err}"
    );
    // The parser's own words, with the place, come as the cause (the CLI prints the chain).
    assert!(
        cause.as_deref().is_some_and(|c| c.contains("line 1")),
        "{cause:?}"
    );
}
