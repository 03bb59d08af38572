//! Claims on references read from other files than summary.json: `grad.D` from each run's
//! gradflow.csv, `eval.SET...` from the eval tables `rnnlab run` writes for a sweep's `eval:`
//! sets. Every run counts: one without a table is out, and the claim says so in n used/total.
use std::path::Path;

use rnnlab_report::synthetic::{metrics_csv, write_results, Outcome};
use rnnlab_results::eval::write_run_table;
use rnnlab_results::files::BreakdownRow;
use rnnlab_results::Layout;
use rnnlab_spec::Run;

fn sweep(data: &Path) -> String {
    format!(
        r#"name: derived
base:
  task: {{ kind: adding, length: 20 }}
  model: {{ cell: lstm, hidden: 8 }}
  train: {{ steps: 100, eval_every: 50, probe_every: 50, save: true }}
grid:
  model.cell: [lstm, rnn_tanh]
seeds: [1, 2, 3, 4, 5]
eval:
  set: [ {{ data: {} }} ]
claims:
  - {{ name: gradient, metric: grad.5, by: model.cell, expect: lstm > rnn_tanh }}
  - {{ name: scored, metric: eval.set.attractors.1, by: model.cell, expect: lstm > rnn_tanh }}
"#,
        data.display()
    )
}

fn seed(run: &Run) -> f64 {
    run.params
        .iter()
        .find(|(k, _)| k == "seed")
        .unwrap()
        .1
        .parse()
        .unwrap()
}

fn lstm(run: &Run) -> bool {
    run.params
        .iter()
        .any(|(k, v)| k == "model.cell" && v == "lstm")
}

/// Norms at distance 5: the LSTM's 1e-3 x seed at the last probe (step 100; 1.0 at step 50,
/// which must not count), the tanh RNN's 1e-9 x seed; the bottom layer's only.
fn gradflow(run: &Run) -> String {
    let norm = if lstm(run) { 1e-3 } else { 1e-9 } * seed(run);
    let mut csv = String::from("step,layer,direction,t,distance,norm\n");
    csv.push_str("50,0,0,14,5,1\n");
    csv.push_str(&format!("100,0,0,14,5,{norm:e}\n"));
    csv.push_str("100,0,0,15,4,7\n");
    csv
}

#[test]
fn gradient_and_eval_claims_read_their_files_and_count_unscored_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data.tsv");
    std::fs::write(&data, "a\tsg\n").unwrap();
    let dir = tmp.path().join("derived");
    let mut runs: Vec<Run> = Vec::new();
    write_results(&dir, &sweep(&data), |run| {
        runs.push(run.clone());
        Some(Outcome {
            status: "completed".into(),
            steps: 100,
            final_metrics: vec![("mse".into(), Some(0.1))],
            metrics_csv: metrics_csv("mse", 100, 2, |_| 0.1),
            gradflow_csv: Some(gradflow(run)),
            ..Default::default()
        })
    })
    .unwrap();
    // Eval tables: accuracy with one attractor 0.9 + seed/100 for the LSTM, 0.5 + seed/100 for
    // the tanh RNN, whose seed 5 was never scored.
    let layout = Layout::new(&dir);
    let out = layout.eval("set");
    std::fs::create_dir_all(&out).unwrap();
    for run in runs.iter().filter(|r| lstm(r) || seed(r) < 5.0) {
        let row = |by: &str, bucket: &str, accuracy| BreakdownRow {
            by: by.into(),
            bucket: bucket.into(),
            n: 10.0,
            accuracy,
            last_noun: None,
        };
        let base = if lstm(run) { 0.9 } else { 0.5 };
        let rows = [
            row("overall", "all", 0.0),
            row("attractors", "0", 0.0),
            row("attractors", "1", base + seed(run) / 100.0),
        ];
        write_run_table(&out.join(format!("{}.csv", run.id)), &rows).unwrap();
    }
    let outcome = rnnlab_report::check(&dir).unwrap();
    let [gradient, scored] = &outcome.claims[..] else {
        panic!("two claims expected")
    };
    // Every LSTM norm above every tanh norm: the exact one-sided p of 5 against 5 is 1/252.
    assert_eq!((gradient.used, gradient.total), ((5, 5), (5, 5)));
    assert!((gradient.p - 1.0 / 252.0).abs() < 1e-12, "{}", gradient.p);
    assert!(
        (gradient.a.mean - 3e-3).abs() < 1e-12,
        "{}",
        gradient.a.mean
    );
    // The unscored run is out and counted: 5 against 4, p = 1/C(9, 4) = 1/126.
    assert_eq!((scored.used, scored.total), ((5, 4), (5, 5)));
    assert!((scored.p - 1.0 / 126.0).abs() < 1e-12, "{}", scored.p);
    assert!((scored.difference - (0.93 - 0.525)).abs() < 1e-12);
    assert!(outcome.passed());
}
