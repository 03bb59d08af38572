//! `rnnlab eval results/<sweep>`: every saved run of a results folder scored on one file, each
//! run's table kept and the seeds of each group summarised; a run without weights is counted
//! and named, not dropped.
#![cfg(feature = "torch")]

mod common;

use common::{assert_success, finish, Sandbox};

/// 2 cells x 2 seeds of a tiny word-level language model, weights kept.
const SWEEP: &str = "\
name: eval-sweep
base:
  task: { kind: text, level: word, corpus: { train: corpus.txt }, bptt: 5 }
  model: { cell: lstm, hidden: 8, embedding: 8 }
  train: { batch: 4, steps: 6, eval_every: 6, save: true }
grid:
  model.cell: [lstm, gru]
seeds: [1, 2]
";

const CORPUS: &str = "The dog runs\nThe dogs run\nThe cat sleeps\nThe cats sleep\n";

/// Eight pairs (every subject with every verb form) and one with an attractor, so that two
/// near-untrained runs score differently and a mean is not just one of them.
fn pairs() -> String {
    let mut pairs = String::new();
    for (subject, number) in [("dog", "sg"), ("dogs", "pl"), ("cat", "sg"), ("cats", "pl")] {
        for (sg, pl) in [("runs", "run"), ("sleeps", "sleep")] {
            let (good, bad) = if number == "sg" { (sg, pl) } else { (pl, sg) };
            pairs += &format!("The {subject}\t{good}\t{bad}\t0\t1\tsimple\tright\n");
        }
    }
    pairs + "The dogs of the cat\trun\truns\t1\t4\tnoun+nmod\twrong\n"
}

/// `by,bucket` -> accuracy of one run's table.
fn overall(table: &str) -> f64 {
    let row = table.lines().nth(1).expect("the overall row");
    assert!(row.starts_with("overall,all,"), "{table}");
    row.split(',').nth(3).unwrap().parse().unwrap()
}

#[test]
fn a_results_folder_is_scored_run_by_run_and_summarised_per_group() {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path().join("corpus.txt"), CORPUS.repeat(40)).unwrap();
    let sweep = sandbox.sweep("s.yaml", SWEEP);
    assert_success(&finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap()));
    let results = sandbox.results("eval-sweep");
    // One LSTM run loses its weights: it must be counted and named, not silently dropped.
    let runs: Vec<_> = std::fs::read_dir(results.join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let lost = runs
        .iter()
        .find(|r| {
            std::fs::read_to_string(r.join("params.json"))
                .unwrap()
                .contains("lstm")
        })
        .unwrap();
    std::fs::remove_file(lost.join("model.safetensors")).unwrap();
    let lost_id = lost.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(sandbox.path().join("pairs.tsv"), pairs()).unwrap();

    let score = |extra: &[&str]| {
        let mut args = vec!["eval", "results/eval-sweep", "--data", "pairs.tsv"];
        args.extend_from_slice(extra);
        finish(sandbox.rnnlab(&args).spawn().unwrap())
    };
    let out = score(&["--device", "cpu"]);
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("model.cell=gru: 2 of 2 run(s) scored, 9 sentences scored of 9"),
        "{stdout}"
    );
    assert!(
        stdout.contains("model.cell=lstm: 1 of 2 run(s) scored"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "not scored: {lost_id} (completed, no saved weights)"
        )),
        "{stdout}"
    );

    let eval = results.join("eval").join("pairs");
    let mut tables: Vec<String> = std::fs::read_dir(&eval)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    tables.sort();
    assert_eq!(
        tables.len(),
        4,
        "three run tables and the summary: {tables:?}"
    );
    assert!(!tables.contains(&format!("{lost_id}.csv")));
    let summary = std::fs::read_to_string(eval.join("summary.csv")).unwrap();
    let header = "group,by,bucket,n,runs,runs_total,mean,min,max,last_noun";
    assert!(summary.starts_with(header), "{summary}");
    // The GRU's overall mean, min and max are those of its two run tables.
    let gru: Vec<f64> = runs
        .iter()
        .filter(|r| {
            std::fs::read_to_string(r.join("params.json"))
                .unwrap()
                .contains("gru")
        })
        .map(|r| {
            let id = r.file_name().unwrap().to_string_lossy().into_owned();
            overall(&std::fs::read_to_string(eval.join(format!("{id}.csv"))).unwrap())
        })
        .collect();
    let row = summary
        .lines()
        .find(|l| l.starts_with("model.cell=gru,overall,all,"))
        .unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(&cells[3..6], ["9", "2", "2"], "{row}");
    assert_ne!(
        gru[0], gru[1],
        "the two GRU runs should differ for the mean to be tested"
    );
    let number = |i: usize| cells[i].parse::<f64>().unwrap();
    assert!((number(6) - (gru[0] + gru[1]) / 2.0).abs() < 1e-12, "{row}");
    assert_eq!(number(7), gru[0].min(gru[1]), "{row}");
    assert_eq!(number(8), gru[0].max(gru[1]), "{row}");
    assert!((number(9) - 8.0 / 9.0).abs() < 1e-12, "last noun: {row}");
    assert!(
        summary.contains("\nmodel.cell=lstm,overall,all,9,1,2,"),
        "{summary}"
    );

    let out = score(&["--out", "x.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out x.csv: for a results folder"));
}

/// A sweep that declares an `eval:` set: `rnnlab run` scores every run when the sweep finishes,
/// scores again only what is missing, and the claim on `eval.pairs` is judged on the tables.
#[test]
fn a_declared_eval_set_is_scored_by_run_and_judged_by_check() {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path().join("corpus.txt"), CORPUS.repeat(40)).unwrap();
    std::fs::write(sandbox.path().join("pairs.tsv"), pairs()).unwrap();
    let text = format!(
        "{SWEEP}eval:\n  pairs: [ {{ data: pairs.tsv }} ]\nclaims:\n  - {{ name: scored, \
         metric: eval.pairs, by: model.cell, expect: lstm != gru }}\n"
    );
    // A missing file stops the sweep before any run trains.
    let typo = sandbox.sweep(
        "typo.yaml",
        &text.replace("data: pairs.tsv", "data: pairs.tvs"),
    );
    let out = finish(sandbox.run_cmd(&typo, 2, &[]).spawn().unwrap());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("eval.pairs[0].data: no file pairs.tvs"),
        "{stderr}"
    );
    assert!(
        !sandbox.results("eval-sweep").join("runs").exists(),
        "nothing trained"
    );
    let sweep = sandbox.sweep("s.yaml", &text);
    let out = finish(sandbox.rnnlab(&["validate", "s.yaml"]).spawn().unwrap());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("eval set `pairs`: scored when the runs finish, on pairs.tsv (4 runs)"),
        "{stdout}"
    );
    let out = finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap());
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("eval set `pairs`"), "{stdout}");
    assert!(stdout.contains(": 4 run(s) scored\n"), "{stdout}");
    let eval = sandbox.results("eval-sweep").join("eval").join("pairs");
    let tables = |eval: &std::path::Path| std::fs::read_dir(eval).unwrap().count();
    assert_eq!(tables(&eval), 5, "four run tables and the summary");

    // A table lost: the next run scores that run alone and keeps the others'.
    let lost = std::fs::read_dir(&eval)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap() != "summary.csv")
        .unwrap();
    let kept = std::fs::read_to_string(&lost).unwrap();
    std::fs::remove_file(&lost).unwrap();
    let out = finish(sandbox.run_cmd(&sweep, 2, &[]).spawn().unwrap());
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(": 1 run(s) scored, 3 kept from an earlier scoring"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&lost).unwrap(),
        kept,
        "the same score again"
    );

    let out = finish(
        sandbox
            .rnnlab(&["check", "results/eval-sweep"])
            .spawn()
            .unwrap(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("| eval.pairs |"), "{stdout}");
    assert!(
        stdout.contains("2/2 vs 2/2"),
        "every run's table is read: {stdout}"
    );

    // Runs the sweep file no longer has (seed 2 dropped) stay out of the set's summary.
    let fewer = sandbox.sweep("s.yaml", &text.replace("seeds: [1, 2]", "seeds: [1]"));
    let out = finish(sandbox.run_cmd(&fewer, 2, &[]).spawn().unwrap());
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("model.cell=gru: 1 of 1 run(s) scored"),
        "{stdout}"
    );
}
