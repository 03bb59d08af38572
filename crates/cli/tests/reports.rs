//! `rnnlab report`, `check`, `compare` and `tasks sample` through the binary. The results
//! folders are synthetic (rnnlab_report::synthetic writes them as the runner does), so nothing
//! trains and these tests run in the report-only build (`--no-default-features`) as well.
#![cfg(unix)]

mod common;

use std::path::Path;

use common::*;
use rnnlab_report::synthetic::{metrics_csv, noise, write_results, Outcome};

/// An LSTM against a tanh RNN on the adding problem, four seeds each, with one claim.
const SWEEP: &str = r#"name: synthetic-adding
description: A gated cell against a vanilla RNN, with made-up results.
base:
  task: { kind: adding, length: 50 }
  model: { cell: lstm, hidden: 16 }
  train: { steps: 400, eval_every: 100 }
variants:
  lstm: {}
  rnn_tanh: { model: { cell: rnn_tanh } }
seeds: [1, 2, 3, 4]
claims:
  - name: the LSTM beats the tanh RNN
    metric: final.mse
    by: variant
    expect: lstm < rnn_tanh
"#;

/// Writes the sweep's results into `dir`: every run completes, with a final MSE near
/// `lstm_mse` for the LSTM and near 0.17 (always answering 1) for the RNN.
fn write(dir: &Path, lstm_mse: f64) {
    let written = write_results(dir, SWEEP, |run| {
        let variant = run
            .params
            .iter()
            .find(|(k, _)| k == "variant")
            .map(|(_, v)| v.as_str())
            .expect("a variant parameter");
        let seed = run.config.seed;
        let centre = if variant == "lstm" { lstm_mse } else { 0.17 };
        let mse = centre * (1.0 + 0.1 * (2.0 * noise(&[seed, centre.to_bits()]) - 1.0));
        Some(Outcome {
            status: "completed".into(),
            steps: 400,
            final_metrics: vec![("loss".into(), Some(mse)), ("mse".into(), Some(mse))],
            best: vec![("loss".into(), Some(mse)), ("mse".into(), Some(mse))],
            params: if variant == "lstm" { 1_200 } else { 300 },
            wall_s: 2.0,
            steps_per_s: 200.0,
            baselines: vec![("predict 1".into(), "mse".into(), 1.0 / 6.0)],
            metrics_csv: metrics_csv("mse", 400, 9, |f| 0.5 - (0.5 - mse) * f),
            ..Outcome::default()
        })
    })
    .expect("writing synthetic results");
    assert_eq!(written, 8);
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn report_writes_tables_and_report_md_and_check_judges_the_claims() {
    let sandbox = Sandbox::new();
    let good = sandbox.path().join("good");
    write(&good, 0.002);
    let out = finish(
        sandbox
            .rnnlab(&["report", "good", "--no-charts"])
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("8 runs, 2 variants"), "{stdout}");
    assert!(stdout.contains("every claim holds"), "{stdout}");
    let report = std::fs::read_to_string(good.join("report/report.md")).unwrap();
    assert!(report.contains("the LSTM beats the tanh RNN"), "{report}");
    assert!(good.join("report/tables").read_dir().unwrap().count() > 0);

    let out = finish(sandbox.rnnlab(&["check", "good"]).spawn().unwrap());
    assert_success(&out);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("the LSTM beats the tanh RNN"), "{stdout}");
    assert!(stdout.contains("1 of 1 claims hold"), "{stdout}");

    // The same claim on results where the LSTM learned nothing: check exits 1.
    let bad = sandbox.path().join("bad");
    write(&bad, 0.17);
    let out = finish(sandbox.rnnlab(&["check", "bad"]).spawn().unwrap());
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("0 of 1 claims hold"), "{stdout}");

    let out = finish(sandbox.rnnlab(&["check", "missing"]).spawn().unwrap());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("rnnlab check missing"));
}

#[test]
fn compare_saves_a_baseline_and_flags_a_regression() {
    let sandbox = Sandbox::new();
    write(&sandbox.path().join("good"), 0.002);
    write(&sandbox.path().join("worse"), 0.05);

    let out = finish(
        sandbox
            .rnnlab(&["compare", "good", "--save-baseline", "baseline.csv"])
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let baseline = std::fs::read_to_string(sandbox.path().join("baseline.csv")).unwrap();
    assert!(
        baseline.starts_with("variant,metric,seed,value,build,cpu\n"),
        "{baseline}"
    );
    assert!(baseline.contains("variant=lstm,final.mse,4,"), "{baseline}");
    assert_eq!(baseline.matches("variant=lstm,final.mse,").count(), 4);

    // The same runs: identical, not a test result.
    let out = finish(
        sandbox
            .rnnlab(&["compare", "good", "--baseline", "baseline.csv"])
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("0 regression(s)"), "{stdout}");
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("| variant="))
        .collect();
    assert_eq!(rows.len(), 4, "{stdout}");
    assert!(
        rows.iter().all(|l| l.ends_with("| identical |")),
        "{stdout}"
    );
    // CI's form: identical passes; one value off in its last digits fails, saying how to
    // refresh the baseline.
    let strict = [
        "compare",
        "good",
        "--baseline",
        "baseline.csv",
        "--expect-identical",
    ];
    assert_success(&finish(sandbox.rnnlab(&strict).spawn().unwrap()));
    let csv = std::fs::read_to_string(sandbox.path().join("baseline.csv")).unwrap();
    let first = csv
        .lines()
        .find(|l| l.starts_with("variant=lstm,final.mse,"))
        .unwrap();
    let fields: Vec<&str> = first.split(',').collect();
    let nudged = format!("{:e}", fields[3].parse::<f64>().unwrap() * (1.0 + 1e-9));
    let changed = first.replacen(fields[3], &nudged, 1);
    std::fs::write(
        sandbox.path().join("baseline.csv"),
        csv.replacen(first, &changed, 1),
    )
    .unwrap();
    let out = finish(sandbox.rnnlab(&strict).spawn().unwrap());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("computes differently") && stderr.contains("--save-baseline"),
        "{stderr}"
    );
    // The same nudge in a baseline made on another processor: bit-identity is not expected
    // there, the statistical gate passes it, and the notes say why.
    let elsewhere = csv
        .replacen(first, &changed, 1)
        .replace(",synthetic CPU\n", ",another CPU\n");
    std::fs::write(sandbox.path().join("baseline.csv"), elsewhere).unwrap();
    let out = finish(sandbox.rnnlab(&strict).spawn().unwrap());
    assert_success(&out);
    assert!(
        text(&out.stdout).contains("made on another processor (another CPU)"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).contains("not checked for bit-identical results"));
    // A baseline that records no processor (the older five-column file) is held to
    // bit-identity: nothing says the processors differ.
    let unrecorded: String = csv
        .replacen(first, &changed, 1)
        .lines()
        .map(|l| l.rsplit_once(',').map_or(l, |(rest, _)| rest).to_string() + "\n")
        .collect();
    assert!(
        unrecorded.starts_with("variant,metric,seed,value,build\n"),
        "{unrecorded}"
    );
    std::fs::write(sandbox.path().join("baseline.csv"), unrecorded).unwrap();
    let out = finish(sandbox.rnnlab(&strict).spawn().unwrap());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("computes differently"));
    std::fs::write(sandbox.path().join("baseline.csv"), csv).unwrap();

    // `worse` against a baseline file, on final.mse only.
    let compare_worse = |baseline: &str| {
        let args = [
            "compare",
            "worse",
            "--baseline",
            baseline,
            "--metric",
            "final.mse",
        ];
        finish(sandbox.rnnlab(&args).spawn().unwrap())
    };
    let out = compare_worse("baseline.csv");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("1 regression(s)"), "{stdout}");
    let row = |stdout: &str, variant: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("| variant={variant} | final.mse |")))
            .unwrap_or_else(|| panic!("a row for {variant}:\n{stdout}"))
            .to_string()
    };
    // 4 shared seeds are too few to pair (2/16 > 0.05): 4 against 4, floor 2/70.
    let lstm = row(&stdout, "lstm");
    assert!(lstm.contains("permutation (4 vs 4)"), "{stdout}");
    assert!(lstm.contains("| 0.0286 | 0.0286 |"), "{stdout}");
    // Significant and 24x worse; at 4 seeds only changes above about 170% are detectable.
    assert!(lstm.ends_with("| REGRESSED (underpowered) |"), "{stdout}");
    assert!(
        row(&stdout, "rnn_tanh").ends_with("| identical |"),
        "{stdout}"
    );

    // An old moment-only baseline still reads: Welch, said so.
    std::fs::write(
        sandbox.path().join("old.csv"),
        "variant,metric,n,mean,sd\nvariant=lstm,final.mse,4,2e-3,1e-4\n\
         variant=rnn_tanh,final.mse,4,1.7e-1,1e-2\n",
    )
    .unwrap();
    let out = compare_worse("old.csv");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        row(&stdout, "lstm").contains("Welch (moments only)"),
        "{stdout}"
    );
    assert!(stdout.contains("note: a side has moments only"), "{stdout}");
}

#[test]
fn tasks_sample_prints_examples_as_text_and_jsonl() {
    let sandbox = Sandbox::new();
    let out = finish(
        sandbox
            .rnnlab(&[
                "tasks",
                "sample",
                "adding",
                "--set",
                "length=10",
                "-n",
                "2",
                "--format",
                "jsonl",
            ])
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    for line in lines {
        let _: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
    }

    let out = finish(
        sandbox
            .rnnlab(&["tasks", "sample", "copy", "--set", "length=20", "-n", "1"])
            .spawn()
            .unwrap(),
    );
    assert_success(&out);
    assert!(!text(&out.stdout).trim().is_empty());

    let out = finish(
        sandbox
            .rnnlab(&["tasks", "sample", "adding", "--set", "length"])
            .spawn()
            .unwrap(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("expected KEY=VALUE"));
}
