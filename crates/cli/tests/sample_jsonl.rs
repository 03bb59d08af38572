//! `rnnlab tasks sample --format jsonl` writes the data a model is fed as numbers (issue #15):
//! each line's `inputs` and `targets`/`target` are the generator's own batch, read back from
//! the command's output and compared with `rnnlab_tasks` directly, plus the metadata. When a
//! Python with pandas is on PATH, `pd.read_json(path, lines=True)` must read the file as is.

mod common;

use std::process::Command;

use common::*;
use rnnlab_tasks::{Batch, Inputs, Split, Targets};
use serde_json::Value;

/// The output of `rnnlab tasks sample TASK --set ... -n N --format jsonl --seed 7`.
fn sample_text(sandbox: &Sandbox, task: &str, set: &[&str], n: usize) -> String {
    let n_text = n.to_string();
    let mut args = vec!["tasks", "sample", task, "--format", "jsonl", "--seed", "7"];
    args.extend(["-n", &n_text]);
    for s in set {
        args.extend(["--set", s]);
    }
    let out = sandbox.rnnlab(&args).output().expect("running rnnlab");
    assert_success(&out);
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The same, one parsed object per line.
fn sample(sandbox: &Sandbox, task: &str, set: &[&str], n: usize) -> Vec<Value> {
    let text = sample_text(sandbox, task, set, n);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), n, "{text}");
    lines
}

/// The examples `tasks sample` draws, from the library.
fn batch(yaml: &str, n: usize) -> Batch {
    let config: rnnlab_spec::TaskConfig = serde_yaml::from_str(yaml).unwrap();
    rnnlab_tasks::try_build(&config, 7)
        .unwrap()
        .batch(Split::Train, 0, n)
}

fn ints(v: &Value) -> Vec<i64> {
    let array = v.as_array().unwrap_or_else(|| panic!("not an array: {v}"));
    array
        .iter()
        .map(|x| x.as_i64().unwrap_or_else(|| panic!("not an integer: {x}")))
        .collect()
}

fn floats(v: &Value) -> Vec<f32> {
    let array = v.as_array().unwrap_or_else(|| panic!("not an array: {v}"));
    array
        .iter()
        .map(|x| x.as_f64().unwrap_or_else(|| panic!("not a number: {x}")) as f32)
        .collect()
}

#[test]
fn copy_writes_symbol_ids_and_per_step_targets_with_their_masks() {
    let sandbox = Sandbox::new();
    let lines = sample(&sandbox, "copy", &["length=12"], 3);
    let b = batch("{ kind: copy, length: 12 }", 3);
    let (
        Inputs::Dense { values, channels },
        Targets::PerStep {
            classes, recall, ..
        },
    ) = (&b.inputs, &b.targets)
    else {
        panic!("copy is dense and per step")
    };
    for (i, line) in lines.iter().enumerate() {
        let inputs = ints(&line["inputs"]);
        assert_eq!(inputs.len(), b.steps);
        for (t, &id) in inputs.iter().enumerate() {
            let hot = (b.steps * i + t) * channels + id as usize;
            assert_eq!(
                values[hot], 1.0,
                "example {i} step {t}: {id} is not the hot channel"
            );
        }
        let span = i * b.steps..(i + 1) * b.steps;
        assert_eq!(ints(&line["targets"]), classes[span.clone()]);
        assert_eq!(floats(&line["recall"]), recall[span]);
        assert_eq!(line["readout"], "per_step");
        assert!(
            line["text"].as_str().unwrap().starts_with("in:  "),
            "{line}"
        );
        // No display strings where the data is.
        assert!(
            line.get("input").is_none() && line.get("target").is_none(),
            "{line}"
        );
    }
}

#[test]
fn adding_writes_value_and_marker_per_step_and_the_sum() {
    let sandbox = Sandbox::new();
    let lines = sample(&sandbox, "adding", &["length=20"], 2);
    let b = batch("{ kind: adding, length: 20 }", 2);
    let (Inputs::Dense { values, .. }, Targets::LastValue { values: sums }) =
        (&b.inputs, &b.targets)
    else {
        panic!("adding is dense with a value target")
    };
    for (i, line) in lines.iter().enumerate() {
        let steps = line["inputs"].as_array().unwrap();
        assert_eq!(steps.len(), 20);
        let flat: Vec<f32> = steps.iter().flat_map(floats).collect();
        assert_eq!(
            flat,
            values[i * 40..(i + 1) * 40],
            "example {i}: the exact f32 inputs"
        );
        assert_eq!(line["target"].as_f64().unwrap() as f32, sums[i]);
        assert_eq!(line["readout"], "last_value");
    }
}

#[test]
fn temporal_order_and_agreement_write_ids_a_class_and_the_metadata() {
    let sandbox = Sandbox::new();
    let lines = sample(&sandbox, "temporal_order", &["length=30"], 2);
    let b = batch("{ kind: temporal_order, length: 30 }", 2);
    let Targets::LastClass { classes, .. } = &b.targets else {
        panic!("temporal order has a class target")
    };
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(ints(&line["inputs"]).len(), 30);
        assert_eq!(line["target"].as_i64(), Some(classes[i]));
        assert_eq!(line["p0"].as_i64(), b.meta[i]["p0"].parse().ok(), "{line}");
    }

    let lines = sample(&sandbox, "agreement", &[], 4);
    let b = batch("{ kind: agreement }", 4);
    let Inputs::Tokens { ids, .. } = &b.inputs else {
        panic!("agreement reads token ids")
    };
    for (i, line) in lines.iter().enumerate() {
        let start = i * b.steps;
        assert_eq!(ints(&line["inputs"]), ids[start..start + b.length(i)]);
        assert_eq!(line["length"].as_u64(), Some(b.length(i) as u64));
        assert!(line["attractors"].is_i64(), "metadata as numbers: {line}");
    }
}

#[test]
fn pandas_reads_the_file_as_is() {
    let probe = Command::new("python3")
        .args(["-c", "import pandas"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: no python3 with pandas on PATH (pip install pandas to run this)");
        return;
    }
    let sandbox = Sandbox::new();
    let path = sandbox.path().join("copy.jsonl");
    std::fs::write(&path, sample_text(&sandbox, "copy", &["length=12"], 5)).unwrap();
    let script = "import sys, pandas as pd\n\
        df = pd.read_json(sys.argv[1], lines=True)\n\
        assert len(df) == 5, len(df)\n\
        assert all(isinstance(x, int) for x in df['inputs'][0]), df['inputs'][0]\n\
        assert len(df['targets'][0]) == 32\n\
        print(df.dtypes.to_dict())\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
