//! The CLI glue in crates/cli/src/cmd/report.rs, compiled here so it is built and tested
//! without libtorch: argument parsing and exit codes.

mod common;
#[path = "../../cli/src/cmd/report.rs"]
mod glue;

use clap::Parser;

#[derive(Debug, Parser)]
enum Cli {
    Report(glue::ReportArgs),
    Check(glue::CheckArgs),
    Compare(glue::CompareArgs),
}

fn parse(args: &[&str]) -> Cli {
    Cli::try_parse_from(std::iter::once("rnnlab").chain(args.iter().copied())).unwrap()
}

#[test]
fn exit_codes_follow_claims_and_regressions() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_cells(tmp.path());
    let dir = tmp.path().to_str().unwrap();

    let Cli::Report(a) = parse(&["report", dir, "--no-charts"]) else {
        panic!()
    };
    assert_eq!(glue::run_report(&a).unwrap(), 0);
    assert!(tmp.path().join("report/report.md").is_file());

    // One of the two claims fails.
    let Cli::Check(a) = parse(&["check", dir]) else {
        panic!()
    };
    assert_eq!(glue::run_check(&a).unwrap(), 1);

    let csv = tmp.path().join("baseline.csv");
    let csv_s = csv.to_str().unwrap();
    let Cli::Compare(a) = parse(&["compare", dir, "--save-baseline", csv_s]) else {
        panic!()
    };
    assert_eq!(glue::run_compare(&a).unwrap(), 0);
    let Cli::Compare(a) = parse(&[
        "compare",
        dir,
        "--baseline",
        csv_s,
        "--metric",
        "final.recall_accuracy",
    ]) else {
        panic!()
    };
    assert_eq!(a.metrics, ["final.recall_accuracy"]);
    assert_eq!(glue::run_compare(&a).unwrap(), 0);

    assert!(
        Cli::try_parse_from(["rnnlab", "compare", dir]).is_err(),
        "needs --baseline or --save-baseline"
    );
    let missing = tmp.path().join("nope");
    let Cli::Check(a) = parse(&["check", missing.to_str().unwrap()]) else {
        panic!()
    };
    let err = format!("{:#}", glue::run_check(&a).unwrap_err());
    assert!(err.contains("not a results folder"), "{err}");
}

#[test]
fn passing_claims_exit_zero() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_clip(tmp.path());
    let Cli::Check(a) = parse(&["check", tmp.path().to_str().unwrap()]) else {
        panic!()
    };
    assert_eq!(glue::run_check(&a).unwrap(), 0);
}
