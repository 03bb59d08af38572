//! `rnnlab eval` end to end: a tiny saved run, then the table, the CSV and JSON outputs, and
//! the error messages a person sees for malformed and out-of-vocabulary files.
#![cfg(feature = "torch")]
use std::path::Path;
use std::process::{Command, Output};

const SWEEP: &str = r#"
name: cli-eval
base:
  task: { kind: agreement, max_modifiers: 1, max_attractors: 1 }
  model: { cell: gru, hidden: 8, embedding: 8 }
  train: { batch: 8, steps: 5, eval_every: 5, eval_size: 8, save: true }
"#;

fn rnnlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rnnlab"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Trains the tiny sweep in `dir` and returns its only run folder.
fn trained(dir: &Path) -> String {
    trained_sweep(dir, SWEEP, "cli-eval")
}

/// Trains `sweep` (named `name`) in `dir` and returns its only run folder.
fn trained_sweep(dir: &Path, text_of_sweep: &str, name: &str) -> String {
    let sweep = dir.join("s.yaml");
    std::fs::write(&sweep, text_of_sweep).unwrap();
    let results = dir.join("results");
    let out = rnnlab(&[
        "run",
        sweep.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
        "--device",
        "cpu",
        "--jobs",
        "1",
        "--threads",
        "1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let runs = results.join(name).join("runs");
    let run = std::fs::read_dir(runs).unwrap().next().unwrap().unwrap();
    run.path().to_str().unwrap().to_string()
}

#[test]
fn eval_prints_the_breakdown_writes_csv_and_json_and_explains_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let run = trained(dir.path());
    let data = dir.path().join("d.tsv");
    let data_s = data.to_str().unwrap();
    let eval = |file: &str, extra: &[&str]| {
        std::fs::write(&data, file).unwrap();
        let mut args = vec!["eval", run.as_str(), "--data", data_s, "--device", "cpu"];
        args.extend_from_slice(extra);
        rnnlab(&args)
    };
    let good = "the author of the pilots\tsg\nthe men\tpl\t\t\tsimple\n";
    let csv = dir.path().join("out.csv");
    let out = eval(good, &["--out", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("2 sentences"), "{table}");
    for row in [
        "overall",
        "attractors    1",
        "construction  simple",
        "distance",
    ] {
        assert!(table.contains(row), "{row}: {table}");
    }
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(
        csv.starts_with("by,bucket,n,accuracy,last_noun\noverall,all,2,"),
        "{csv}"
    );
    assert!(csv.contains("\nattractors,1,1,"), "{csv}");
    let json = dir.path().join("out.json");
    let out = eval(good, &["--out", json.to_str().unwrap()]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    assert_eq!(v["n"], 2);
    assert_eq!(v["last_noun"], 0.5);
    assert_eq!(v["rows"][0]["by"], "overall");

    let out = eval("the author\tsg\nthe men\tplural\n", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{data_s}:2: ")), "{err}");
    let out = eval("the writer of the books\tsg\nthe men\tpl\n", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("`books` (line 1), `writer` (line 1)"), "{err}");
    let out = eval(
        "the writer of the books\tsg\nthe men\tpl\n",
        &["--unk", "skip"],
    );
    assert!(out.status.success());
    assert!(text(&out.stderr).contains("left out 1 line(s)"));
    assert!(text(&out.stdout).contains("1 sentences"));
}

#[test]
fn eval_of_a_text_run_reads_unknown_words_as_unk_and_leaves_out_unknown_verbs() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.txt");
    let lines = "The dog runs\nThe dogs run\nThe cat sleeps\nThe cats sleep\n";
    std::fs::write(&corpus, lines.repeat(40)).unwrap();
    let sweep = format!(
        "name: cli-text\nbase:\n  task: {{ kind: text, level: word, corpus: {{ train: '{}' }}, \
         bptt: 5 }}\n  model: {{ cell: lstm, hidden: 8, embedding: 8 }}\n  \
         train: {{ batch: 4, steps: 5, eval_every: 5, save: true }}\n",
        corpus.display()
    );
    let run = trained_sweep(dir.path(), &sweep, "cli-text");
    let data = dir.path().join("pairs.tsv");
    std::fs::write(
        &data,
        "The zebra\truns\trun\t0\t1\tsimple\nThe dog\truns\tflies\t0\t1\tsimple\n",
    )
    .unwrap();
    let json = dir.path().join("out.json");
    let out = rnnlab(&[
        "eval",
        &run,
        "--data",
        data.to_str().unwrap(),
        "--device",
        "cpu",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (table, err) = (text(&out.stdout), text(&out.stderr));
    assert!(table.contains("text language model, word level"), "{table}");
    assert!(
        table.contains("1 sentences scored of 2, forced-choice loss"),
        "{table}"
    );
    assert!(
        table.contains("last-noun heuristic: not available"),
        "{table}"
    );
    assert!(table.contains("construction  simple"), "{table}");
    assert!(
        err.contains("left out 1 line(s) with a verb outside the vocabulary: `flies` (line 2)"),
        "{err}"
    );
    assert!(
        err.contains("read 1 unknown prefix word(s) as <unk>, on 1 line(s): `zebra` (line 1)"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    assert_eq!((v["n"].as_u64(), v["n_total"].as_u64()), (Some(1), Some(2)));
    assert_eq!(v["unk"]["occurrences"], 1);
    assert_eq!(v["unknown_words"][0]["word"], "flies");
    assert_eq!(v["pairs"][0]["line"], 1);
    let (good, bad) = (
        v["pairs"][0]["good"].as_f64(),
        v["pairs"][0]["bad"].as_f64(),
    );
    let accuracy = f64::from(u8::from(good.unwrap() > bad.unwrap()));
    assert_eq!(v["accuracy"].as_f64(), Some(accuracy));
    assert!(v["last_noun"].is_null());
}
