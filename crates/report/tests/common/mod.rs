//! Synthetic results folders for the tests: four small sweeps shaped like the experiment
//! suite's, with deterministic "training" outcomes.
#![allow(dead_code)]

use std::path::Path;

use rnnlab_report::synthetic::{metrics_csv, noise, write_results, Outcome};
use rnnlab_report::Environment;
use rnnlab_spec::Run;

pub fn env() -> Environment {
    Environment {
        rnnlab: "0.1.0".into(),
        libtorch: "2.13.0".into(),
        device: "cpu".into(),
        cpu: "test CPU".into(),
        commit: "unknown".into(),
        builds: vec!["rnnlab 0.1.0 commit unknown libtorch 2.13.0".into()],
    }
}

fn param<'a>(run: &'a Run, name: &str) -> &'a str {
    run.params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn seed(run: &Run) -> u64 {
    param(run, "seed").parse().unwrap()
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(1469598103934665603u64, |h, b| {
        (h ^ b as u64).wrapping_mul(1099511628211)
    })
}

/// Noise in [-1, 1) for a run and a purpose.
fn jitter(run: &Run, salt: u64) -> f64 {
    2.0 * noise(&[hash(&run.id), salt]) - 1.0
}

pub const CELLS: &str = r#"name: cells-vs-length
description: Do gated cells keep information over longer gaps than a vanilla RNN?
base:
  task: { kind: copy, length: 100 }
  model: { cell: lstm, hidden: 64 }
  train: { optimizer: adam, lr: 0.001, batch: 64, steps: 2000, eval_every: 100 }
  stop: { solved: { metric: recall_accuracy, at_least: 0.9 } }
grid:
  model.cell: [rnn_tanh, lstm, gru]
  task.length: [50, 100, 200]
seeds: [1, 2, 3]
exclude:
  - { model.cell: rnn_tanh, task.length: 200 }
claims:
  - name: gated cells beat the vanilla RNN at length 100
    where: { task.length: 100 }
    metric: final.recall_accuracy
    expect: lstm > rnn_tanh
    by: model.cell
  - name: GRU beats LSTM at length 50
    where: { task.length: 50 }
    metric: final.recall_accuracy
    expect: gru > lstm
    by: model.cell
"#;

pub fn write_cells(dir: &Path) {
    write_results(dir, CELLS, |run| {
        let cell = param(run, "model.cell");
        let len: f64 = param(run, "task.length").parse().unwrap();
        let base = match cell {
            "lstm" => 0.97 - len / 2500.0,
            "gru" => 0.96 - len / 2500.0,
            _ => 0.125 + 0.6 * 50.0 / len - 0.3,
        };
        let acc = (base + 0.02 * jitter(run, 1)).clamp(0.0, 1.0);
        let mut o = Outcome {
            status: "completed".into(),
            steps: 2000,
            params: if cell == "lstm" {
                17_801
            } else if cell == "gru" {
                13_385
            } else {
                4_553
            },
            wall_s: 40.0 + 5.0 * jitter(run, 2),
            steps_per_s: 50.0 + 2.0 * jitter(run, 3),
            baselines: vec![
                (
                    "memoryless".into(),
                    "loss".into(),
                    10.0 * 8f64.ln() / (len + 20.0),
                ),
                ("chance".into(), "recall_accuracy".into(), 0.125),
            ],
            metrics_csv: metrics_csv("recall_accuracy", 2000, 41, |f| {
                0.125 + (acc - 0.125) * f.sqrt()
            }),
            ..Outcome::default()
        };
        let loss = 1.0 - acc;
        o.final_metrics = vec![
            ("loss".into(), Some(loss)),
            ("recall_accuracy".into(), Some(acc)),
        ];
        o.best = o.final_metrics.clone();
        if acc >= 0.9 {
            o.status = "solved".into();
            o.steps_to_solve = Some(200 * (1 + (len as u64 / 50) + seed(run)));
        }
        if cell == "rnn_tanh" && len == 100.0 && seed(run) == 3 {
            o.status = "diverged".into();
            o.final_metrics = vec![("loss".into(), None), ("recall_accuracy".into(), Some(0.0))];
        }
        if cell == "gru" && len == 200.0 && seed(run) == 2 {
            o.status = "failed".into();
            o.error = Some("out of memory".into());
            o.final_metrics = Vec::new();
            o.best = Vec::new();
        }
        Some(o)
    })
    .unwrap();
}

pub const AGREEMENT: &str = r#"name: agreement-attractors
description: Does number agreement degrade with attractors and distance, and does a bidirectional prefix encoder help?
base:
  task: { kind: agreement, max_attractors: 1, test_max_attractors: 4 }
  model: { cell: lstm, hidden: 50 }
  train: { steps: 3000, eval_every: 500 }
grid:
  model.cell: [rnn_tanh, lstm]
  model.bidirectional: [false, true]
seeds: [1, 2, 3]
"#;

pub fn write_agreement(dir: &Path) {
    write_results(dir, AGREEMENT, |run| {
        let lstm = param(run, "model.cell") == "lstm";
        let bi = param(run, "model.bidirectional") == "true";
        let strength = if lstm { 0.97 } else { 0.85 } + if bi { 0.01 } else { 0.0 };
        let drop = if lstm { 0.03 } else { 0.09 };
        let mut breakdown = String::from("by,bucket,n,accuracy,last_noun\n");
        for a in 0..=4 {
            let acc = (strength - drop * a as f64 + 0.01 * jitter(run, 10 + a)).clamp(0.0, 1.0);
            let last_noun = if a == 0 { 1.0 } else { 0.45 - 0.05 * a as f64 };
            breakdown.push_str(&format!("attractors,{a},500,{acc:.4},{last_noun:.4}\n"));
        }
        for d in [2, 4, 6, 8, 10, 12] {
            let acc =
                (strength - drop * 0.25 * d as f64 + 0.01 * jitter(run, 20 + d)).clamp(0.0, 1.0);
            let last_noun = 0.9 - 0.03 * d as f64;
            breakdown.push_str(&format!("distance,{d},300,{acc:.4},{last_noun:.4}\n"));
        }
        // As the runner writes it: layers 0 and 1, and for the bidirectional models a backward
        // direction whose norms are 5x the forward's (so pooling the two would show).
        let mut gradflow = rnnlab_results::files::gradflow::HEADER.join(",") + "\n";
        let rate = if lstm { 0.04 } else { 0.25 };
        for step in [1500, 3000] {
            for t in 0..30 {
                let dist = 29 - t;
                let norm =
                    (-(rate * dist as f64)).exp() * (1.0 + 0.2 * jitter(run, 100 + t as u64));
                gradflow.push_str(&format!("{step},0,0,{t},{dist},{norm:.6e}\n"));
                gradflow.push_str(&format!("{step},1,0,{t},{dist},{:.6e}\n", norm * 2.0));
                if bi {
                    let back = 5.0 * (-(rate * t as f64)).exp();
                    gradflow.push_str(&format!("{step},0,1,{t},{t},{back:.6e}\n"));
                }
            }
        }
        let acc = strength - drop + 0.01 * jitter(run, 1);
        Some(Outcome {
            status: "completed".into(),
            steps: 3000,
            final_metrics: vec![
                ("accuracy".into(), Some(acc)),
                ("loss".into(), Some(1.0 - acc)),
            ],
            best: vec![("accuracy".into(), Some(acc))],
            params: if lstm { 20_000 } else { 5_000 } * if bi { 2 } else { 1 },
            wall_s: 100.0,
            steps_per_s: 30.0,
            baselines: vec![
                ("last noun".into(), "accuracy".into(), 0.72),
                ("majority".into(), "accuracy".into(), 0.5),
            ],
            metrics_csv: metrics_csv("accuracy", 3000, 13, |f| 0.5 + (acc - 0.5) * f),
            breakdown_csv: Some(breakdown),
            gradflow_csv: Some(gradflow),
            ..Outcome::default()
        })
    })
    .unwrap();
}

pub const CLIP: &str = r#"name: clipping
description: Which clipping thresholds keep training finite on the adding problem?
base:
  task: { kind: adding, length: 200 }
  model: { cell: rnn_tanh, hidden: 64 }
  train: { steps: 1000, eval_every: 100, lr: 0.01, clip: { kind: norm, max: 1.0 } }
  stop: { solved: { metric: mse, at_most: 0.01 } }
grid:
  model.cell: [rnn_tanh, lstm]
  train.clip.max: [0.1, 1.0, 10.0, 100.0]
seeds: [1, 2, 3, 4]
claims:
  - name: LSTM has lower error than the tanh RNN with clipping at 1
    where: { train.clip.max: 1.0 }
    metric: final.mse
    expect: lstm < rnn_tanh
    by: model.cell
"#;

pub fn write_clip(dir: &Path) {
    write_results(dir, CLIP, |run| {
        let lstm = param(run, "model.cell") == "lstm";
        let clip: f64 = param(run, "train.clip.max").parse().unwrap();
        let p_div = if lstm {
            0.0
        } else {
            (clip.log10() + 1.0) / 3.0
        };
        let diverged = noise(&[hash(&run.id), 7]) < p_div;
        let mse = if lstm { 0.004 } else { 0.12 } * (1.0 + 0.3 * jitter(run, 1));
        let mut o = Outcome {
            status: if diverged {
                "diverged"
            } else if mse <= 0.01 {
                "solved"
            } else {
                "completed"
            }
            .into(),
            steps: if diverged { 300 } else { 1000 },
            final_metrics: vec![
                ("mse".into(), (!diverged).then_some(mse)),
                ("loss".into(), (!diverged).then_some(mse)),
            ],
            params: if lstm { 17_000 } else { 4_300 },
            wall_s: 20.0,
            steps_per_s: 50.0,
            baselines: vec![("predict 1".into(), "mse".into(), 0.16667)],
            metrics_csv: metrics_csv("mse", 1000, 11, |f| 0.17 - (0.17 - mse) * f),
            ..Outcome::default()
        };
        if o.status == "solved" {
            o.steps_to_solve = Some(600 + 100 * seed(run));
        }
        Some(o)
    })
    .unwrap();
}

pub const DEPTH: &str = r#"name: depth-and-skips
description: Do skip connections let deeper stacks train on temporal order?
base:
  task: { kind: temporal_order, length: 100 }
  model: { cell: lstm, hidden: 32 }
  train: { steps: 1000, eval_every: 250 }
grid:
  model.layers: [1, 2, 4, 8]
  model.skip: [none, residual, highway]
seeds: [1, 2, 3]
report:
  metric: final.accuracy
  charts:
    - curves
    - { kind: bars, x: model.layers, series: model.skip }
claims:
  - name: residual skips help at depth 8
    where: { model.layers: 8 }
    metric: final.accuracy
    expect: residual > none
    by: model.skip
"#;

pub fn write_depth(dir: &Path) {
    write_results(dir, DEPTH, |run| {
        let layers: f64 = param(run, "model.layers").parse().unwrap();
        let skip = param(run, "model.skip");
        let penalty = match skip {
            "none" => 0.08 * layers.log2(),
            "residual" => 0.01 * layers.log2(),
            _ => 0.015 * layers.log2(),
        };
        let acc = (0.95 - penalty + 0.015 * jitter(run, 1)).clamp(0.25, 1.0);
        Some(Outcome {
            status: "completed".into(),
            steps: 1000,
            final_metrics: vec![
                ("accuracy".into(), Some(acc)),
                ("loss".into(), Some(1.0 - acc)),
            ],
            params: 8_000 * layers as u64,
            wall_s: 10.0 * layers,
            steps_per_s: 100.0 / layers,
            baselines: vec![("chance".into(), "accuracy".into(), 0.25)],
            metrics_csv: metrics_csv("accuracy", 1000, 9, |f| 0.25 + (acc - 0.25) * f),
            ..Outcome::default()
        })
    })
    .unwrap();
}

/// Every run counts: per cell, four seeds of the adding task with `stop.solved` on the mse.
/// LSTM: seed 1 solves at step 900, seed 2 diverges (no final mse), seeds 3 and 4 run the
/// budget unsolved. GRU: seeds 1-3 solve (at 300, 400, 500), seed 4 fails.
pub const COUNTING: &str = r#"name: every-run-counts
description: A diverged, an unsolved and a failed run in the tables.
base:
  task: { kind: adding, length: 50 }
  model: { cell: lstm, hidden: 32 }
  train: { steps: 3000, eval_every: 100 }
  stop: { solved: { metric: mse, at_most: 0.01 } }
grid:
  model.cell: [lstm, gru]
seeds: [1, 2, 3, 4]
REPORT"#;

pub fn write_counting(dir: &Path, report: &str) {
    let sweep = COUNTING.replace("REPORT", report);
    write_results(dir, &sweep, |run| {
        let lstm = param(run, "model.cell") == "lstm";
        let s = seed(run);
        let mse = 0.005 + 0.01 * s as f64;
        let mut o = Outcome {
            status: "completed".into(),
            steps: 3000,
            final_metrics: vec![("mse".into(), Some(mse)), ("loss".into(), Some(mse))],
            params: 1000,
            wall_s: 10.0 + s as f64,
            steps_per_s: 100.0,
            metrics_csv: metrics_csv("mse", 3000, 7, |f| 0.2 - 0.1 * f),
            ..Outcome::default()
        };
        match (lstm, s) {
            (true, 1) => {
                o.status = "solved".into();
                o.steps = 900;
                o.steps_to_solve = Some(900);
            }
            (true, 2) => {
                o.status = "diverged".into();
                o.steps = 200;
                o.final_metrics = vec![("mse".into(), None), ("loss".into(), None)];
            }
            (false, 4) => {
                o.status = "failed".into();
                o.error = Some("out of memory".into());
                o.final_metrics = Vec::new();
            }
            (false, s) => {
                o.status = "solved".into();
                o.steps = 200 + 100 * s;
                o.steps_to_solve = Some(o.steps);
            }
            _ => {}
        }
        o.best = o.final_metrics.clone();
        Some(o)
    })
    .unwrap();
}
