use anyhow::{bail, Context};
use rnnlab_spec::TaskConfig;
use rnnlab_tasks::Split;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print generated examples, for a person to read or (--format jsonl) as data.
    ///
    /// Example: rnnlab tasks sample agreement --set max_attractors=3 -n 5
    Sample(SampleArgs),
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// copy, adding, temporal_order or agreement.
    task: String,
    /// Task parameters, as in a sweep's `task:` section (repeatable): --set length=200.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// How many examples.
    #[arg(short = 'n', default_value_t = 3)]
    n: usize,
    /// The seed the task's data derives from.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// train, valid or test.
    #[arg(long, default_value = "train", value_parser = ["train", "valid", "test"])]
    split: String,
    /// text (for people) or jsonl: one JSON object per example with the data as numbers
    /// (`inputs`: symbol ids, per-step values or token ids; `targets` with `mask` and `recall`,
    /// or `target`), `length`, `readout` and the metadata; `pandas.read_json(path,
    /// lines=True)` reads it as is.
    #[arg(long, default_value = "text", value_parser = ["text", "jsonl"])]
    format: String,
}

pub fn run(command: Command) -> anyhow::Result<u8> {
    let Command::Sample(args) = command;
    let config = task_config(&args.task, &args.set)?;
    let task = rnnlab_tasks::try_build(&config, args.seed)?;
    let split = match args.split.as_str() {
        "valid" => Split::Valid,
        "test" => Split::Test,
        _ => Split::Train,
    };
    let batch = task.batch(split, 0, args.n);
    for i in 0..batch.size {
        let example = rnnlab_tasks::describe(task.as_ref(), &batch, i);
        match args.format.as_str() {
            "jsonl" => println!("{}", example.json),
            _ => println!("{}\n", example.text),
        }
    }
    Ok(0)
}

/// Builds a task config the way a sweep's `task:` section would: `{ kind: TASK, KEY: VALUE }`,
/// each value read as YAML so that numbers, booleans and lists keep their types.
fn task_config(kind: &str, set: &[String]) -> anyhow::Result<TaskConfig> {
    let mut map = serde_yaml::Mapping::new();
    map.insert("kind".into(), kind.into());
    for pair in set {
        let Some((key, value)) = pair.split_once('=') else {
            bail!("--set {pair}: expected KEY=VALUE, e.g. --set length=200");
        };
        let value: serde_yaml::Value = serde_yaml::from_str(value)
            .with_context(|| format!("--set {pair}: the value is not valid YAML"))?;
        map.insert(key.trim().into(), value);
    }
    let config: TaskConfig =
        serde_yaml::from_value(serde_yaml::Value::Mapping(map)).with_context(|| {
            format!("task `{kind}` with {set:?}: see docs/sweeps.md for the task parameters")
        })?;
    config
        .check()
        .map_err(|e| anyhow::anyhow!("task `{kind}`: {e}"))?;
    Ok(config)
}
