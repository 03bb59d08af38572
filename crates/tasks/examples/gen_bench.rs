//! Times batch generation: batch 64, length 1000 for the long-dependency tasks, and the
//! agreement forms at their defaults and with long distances. Run in release:
//! `cargo run --release -p rnnlab-tasks --example gen_bench`.
use std::time::Instant;

use rnnlab_spec::{
    AddingConfig, AgreementConfig, AgreementForm, CopyConfig, TaskConfig, TemporalOrderConfig,
};
use rnnlab_tasks::{build, Split};

const BATCH: usize = 64;
const LENGTH: usize = 1000;

fn main() {
    let long = AgreementConfig {
        max_modifiers: 8,
        max_attractors: 4,
        max_fillers: 10,
        min_distance: 20,
        ..Default::default()
    };
    let cases = [
        (
            "copy T=1000",
            TaskConfig::Copy(CopyConfig {
                length: LENGTH,
                ..Default::default()
            }),
        ),
        (
            "adding T=1000",
            TaskConfig::Adding(AddingConfig { length: LENGTH }),
        ),
        (
            "temporal_order L=1000, 2 symbols",
            TaskConfig::TemporalOrder(TemporalOrderConfig {
                length: LENGTH,
                positions: 2,
            }),
        ),
        (
            "temporal_order L=1000, 3 symbols",
            TaskConfig::TemporalOrder(TemporalOrderConfig {
                length: LENGTH,
                positions: 3,
            }),
        ),
        (
            "agreement number (defaults)",
            TaskConfig::Agreement(AgreementConfig::default()),
        ),
        (
            "agreement language_model (defaults)",
            TaskConfig::Agreement(AgreementConfig {
                form: AgreementForm::LanguageModel,
                ..Default::default()
            }),
        ),
        (
            "agreement number, distance >= 20",
            TaskConfig::Agreement(long),
        ),
    ];
    println!("batch {BATCH}; ms per batch (mean over the timed batches)");
    for (name, config) in cases {
        let task = build(&config, 1);
        for split in [Split::Train, Split::Test] {
            let _ = task.batch(split, 0, BATCH);
            let n = 200;
            let start = Instant::now();
            let mut steps = 0;
            for i in 0..n {
                steps += task.batch(split, i, BATCH).steps;
            }
            let ms = start.elapsed().as_secs_f64() * 1e3 / n as f64;
            println!(
                "{name:<38} {:<5} {ms:>8.3} ms/batch  (mean steps {})",
                split.name(),
                steps / n as usize
            );
        }
    }
}
