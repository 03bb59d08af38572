//! Prints a few examples of every task, as `rnnlab tasks sample` will:
//! `cargo run -p rnnlab-tasks --example sample [jsonl]`.
use rnnlab_spec::{
    AddingConfig, AgreementConfig, AgreementForm, CopyConfig, TaskConfig, TemporalOrderConfig,
};
use rnnlab_tasks::{build, describe, Split};

fn main() {
    let jsonl = std::env::args().nth(1).as_deref() == Some("jsonl");
    let configs = [
        TaskConfig::Copy(CopyConfig {
            length: 20,
            ..Default::default()
        }),
        TaskConfig::Adding(AddingConfig { length: 50 }),
        TaskConfig::TemporalOrder(TemporalOrderConfig {
            length: 60,
            positions: 2,
        }),
        TaskConfig::TemporalOrder(TemporalOrderConfig {
            length: 60,
            positions: 3,
        }),
        TaskConfig::Agreement(AgreementConfig::default()),
        TaskConfig::Agreement(AgreementConfig {
            form: AgreementForm::LanguageModel,
            max_attractors: 1,
            test_max_attractors: Some(4),
            ..Default::default()
        }),
    ];
    for config in configs {
        let task = build(&config, 1);
        let batch = task.batch(Split::Test, 0, 4);
        println!("## {}", config.kind());
        for i in 0..batch.size {
            let example = describe(task.as_ref(), &batch, i);
            if jsonl {
                println!("{}", example.json);
            } else {
                println!("{}", example.text);
            }
        }
    }
}
