//! Every run counts in the tables: n is used/total with the runs left out named, a diverged
//! run is the worst value (or excluded, when the sweep says so) and steps to solve is the
//! Kaplan-Meier median.

mod common;

use std::collections::HashMap;
use std::path::Path;

use rnnlab_report::ReportOptions;

/// A table of the report as rows keyed by the first column, each a map header → cell.
fn table(dir: &Path, name: &str) -> HashMap<String, HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("report/tables").join(name)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let row = header
                .iter()
                .zip(&cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect();
            (cells[0].to_string(), row)
        })
        .collect()
}

fn report(report: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::write_counting(tmp.path(), report);
    let options = ReportOptions {
        environment: Some(common::env()),
        ..ReportOptions::default()
    };
    rnnlab_report::report(tmp.path(), &options).unwrap();
    tmp
}

#[test]
fn a_diverged_run_counts_as_the_worst_value() {
    let tmp = report("");
    let t = table(tmp.path(), "final-mse.csv");
    let lstm = &t["lstm"];
    // Seeds 1, 3, 4 have mse 0.015, 0.035, 0.045; seed 2 diverged: counted, as the worst.
    assert_eq!(lstm["n"], "4/4");
    assert_eq!(lstm["runs out"], "");
    assert_eq!(lstm["mean"], "", "no mean over 3 runs shown as 4");
    assert_eq!(
        lstm["median"], "0.04",
        "median of 0.015, 0.035, 0.045, worst"
    );
    assert_eq!(lstm["diverged"], "1/4");
    let gru = &t["gru"];
    assert_eq!(
        (gru["n"].as_str(), gru["runs out"].as_str()),
        ("3/4", "1 failed")
    );
    assert_eq!(gru["mean"], "0.025");
    let v = table(tmp.path(), "variants.csv");
    assert_eq!(v["lstm"]["n"], "4/4");
    assert_eq!(v["lstm"]["final.mse mean"], "");
    let cost = table(tmp.path(), "cost.csv");
    assert_eq!(
        (cost["gru"]["n"].as_str(), cost["gru"]["runs out"].as_str()),
        ("3/4", "1 failed")
    );
    assert_eq!(cost["gru"]["wall_s_mean"], "12");
    let md = std::fs::read_to_string(tmp.path().join("report/report.md")).unwrap();
    assert!(md.contains("counts as the worst value"), "{md}");
    assert!(md.contains("test metric at the step they stopped"), "{md}");
}

#[test]
fn excluded_diverged_runs_are_counted_beside_the_mean() {
    let tmp = report("report: { diverged: exclude }\n");
    let lstm = &table(tmp.path(), "final-mse.csv")["lstm"];
    assert_eq!(lstm["n"], "3/4");
    assert_eq!(lstm["runs out"], "1 diverged");
    assert_eq!(lstm["mean"], "0.03167");
    assert_eq!(lstm["median"], "0.035");
}

#[test]
fn steps_to_solve_is_the_kaplan_meier_median() {
    let tmp = report("");
    let t = table(tmp.path(), "final-mse.csv");
    // One of four solved (the median of the solved runs would say 900): not reached.
    assert_eq!(t["lstm"]["solved"], "1/4");
    assert_eq!(t["lstm"]["median_steps_to_solve"], "not reached");
    // Three of four solved at 300, 400, 500, the fourth failed (left out): S(400) = 1/3.
    assert_eq!(t["gru"]["solved"], "3/4");
    assert_eq!(t["gru"]["median_steps_to_solve"], "400");
}
