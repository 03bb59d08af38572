//! Benchmark: `rnnlab report` on a generated folder of 5,000 runs × 51 evaluation rows.
//!
//!     cargo run --release -p rnnlab-report --example bench_report -- [DIR [SEEDS]]
//!
//! Generates DIR (default /tmp/rnnlab-bench-report) once: 1,000 variants (4 cells × 10 lengths
//! × 5 widths × 5 learning rates) × SEEDS seeds (default 5: 5,000 runs; 100 gives the 100,000
//! runs of the scale goal), with two claims; then times the report (tables, charts,
//! report.md), `check` and `summary_table`. Run it under `taskset -c 0,1` to measure on 2
//! cores.
//!
//! Figures, with the commands and the machine's state: docs/bench/report-100k.txt (5,000 and
//! 100,000 runs).

use std::path::PathBuf;
use std::time::Instant;

use rnnlab_report::synthetic::{metrics_csv, noise, write_results, Outcome};

const SWEEP: &str = r#"name: bench
description: Generated sweep for the report benchmark (5,000 runs).
base:
  task: { kind: copy, length: 100 }
  model: { cell: lstm, hidden: 64 }
  train: { steps: 5000, eval_every: 200 }
  stop: { solved: { metric: recall_accuracy, at_least: 0.95 } }
grid:
  model.cell: [rnn_tanh, rnn_relu, lstm, gru]
  task.length: [10, 20, 30, 50, 75, 100, 150, 200, 300, 500]
  model.hidden: [16, 32, 64, 128, 256]
  train.lr: [0.0001, 0.0003, 0.001, 0.003, 0.01]
seeds: SEEDS
claims:
  - name: LSTM beats the tanh RNN at length 100
    where: { task.length: 100 }
    metric: final.recall_accuracy
    expect: lstm > rnn_tanh
    by: model.cell
  - name: GRU beats the ReLU RNN at length 300
    where: { task.length: 300 }
    metric: final.recall_accuracy
    expect: gru > rnn_relu
    by: model.cell
"#;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/rnnlab-bench-report"));
    let seeds: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().expect("SEEDS is a whole number"))
        .unwrap_or(5);
    let seeds: Vec<String> = (1..=seeds).map(|s| s.to_string()).collect();
    let sweep = SWEEP.replace("SEEDS", &format!("[{}]", seeds.join(", ")));
    if !dir.join("runs").is_dir() {
        let t = Instant::now();
        let mut i = 0u64;
        let n = write_results(&dir, &sweep, |run| {
            i += 1;
            let p = |k: &str| {
                run.params
                    .iter()
                    .find(|(a, _)| a == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let gated = matches!(p("model.cell").as_str(), "lstm" | "gru");
            let len: f64 = p("task.length").parse().unwrap_or(100.0);
            let acc = if gated {
                0.98 - len / 1000.0
            } else {
                0.125 + 5.0 / len
            };
            let acc = (acc + 0.05 * (noise(&[i]) - 0.5)).clamp(0.0, 1.0);
            Some(Outcome {
                status: if acc >= 0.95 { "solved" } else { "completed" }.into(),
                steps: 5000,
                final_metrics: vec![
                    ("loss".into(), Some(1.0 - acc)),
                    ("recall_accuracy".into(), Some(acc)),
                ],
                best: vec![("recall_accuracy".into(), Some(acc))],
                steps_to_solve: (acc >= 0.95).then_some(2000),
                params: 10_000,
                wall_s: 60.0,
                steps_per_s: 80.0,
                baselines: vec![("chance".into(), "recall_accuracy".into(), 0.125)],
                metrics_csv: metrics_csv("recall_accuracy", 5000, 51, |f| {
                    0.125 + (acc - 0.125) * f
                }),
                ..Outcome::default()
            })
        })
        .expect("write the benchmark folder");
        eprintln!("generated {n} runs in {:.1} s", t.elapsed().as_secs_f64());
    }
    let t = Instant::now();
    let summary = rnnlab_report::report(&dir, &Default::default()).expect("report");
    let report_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let outcome = rnnlab_report::check(&dir).expect("check");
    let check_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let table = rnnlab_report::summary_table(&dir).expect("summary");
    let summary_s = t.elapsed().as_secs_f64();
    println!(
        "report: {} runs, {} variants, {} tables, {} charts in {report_s:.2} s",
        summary.runs,
        summary.variants,
        summary.tables.len(),
        summary.figures.len()
    );
    println!("check: {} claims in {check_s:.2} s", outcome.claims.len());
    println!(
        "summary_table: {} lines in {summary_s:.2} s",
        table.lines().count()
    );
}
