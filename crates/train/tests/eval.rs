//! Save, load and score on a file: a tiny agreement run trained with `train.save`, its own
//! test examples written out as a TSV file, and the file's score compared with what the run
//! wrote during the sweep. Runs with an `<unk>`: `text` language models on minimal pairs
//! (`eval/text.rs`) and `treebank_agreement` number predictors (`eval/treebank.rs`).
#[path = "eval/text.rs"]
mod text;
#[path = "eval/treebank.rs"]
mod treebank;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use rnnlab_spec::{Run, Sweep};
use rnnlab_tasks::{Inputs, Split, Targets, Unk};
use rnnlab_train::{
    evaluate_file, execute, load_run, EvalError, ExecuteOptions, Rerun, Shard, Store,
};
use tch::Device;

const NUMBER: &str = r#"
name: tiny-eval
base:
  task: { kind: agreement, max_modifiers: 2, max_attractors: 2 }
  model: { cell: lstm, hidden: 8, embedding: 8 }
  train: { lr: 1.0e-2, batch: 8, steps: 30, eval_every: 30, eval_size: 20, save: true }
"#;

const LANGUAGE_MODEL: &str = r#"
name: tiny-eval-lm
base:
  task: { kind: agreement, form: language_model, max_modifiers: 2 }
  model: { cell: gru, hidden: 8, embedding: 8 }
  train: { lr: 1.0e-2, batch: 8, steps: 20, eval_every: 20, eval_size: 12, save: true }
"#;

/// Trains the sweep's only run into `dir`; returns its folder.
fn train(text: &str, dir: &Path) -> (Run, PathBuf) {
    tch::set_num_threads(1);
    let sweep = Sweep::parse(text, Path::new("s.yaml")).unwrap();
    let run = sweep.expand(Path::new("s.yaml")).unwrap().remove(0);
    let store = Store::open(dir, text).unwrap();
    let options = ExecuteOptions {
        jobs: 1,
        device: Device::Cpu,
        rerun: Rerun::None,
        shard: Shard::ALL,
        stop: Arc::new(AtomicBool::new(false)),
    };
    execute(&store, std::slice::from_ref(&run), &options, &()).unwrap();
    let folder = store.run_dir(&run.id);
    assert!(folder.join("model.safetensors").is_file());
    (run, folder)
}

/// The run's test examples, drawn as the trainer draws its fixed test set, one TSV line each.
fn test_split_as_tsv(run: &Run) -> String {
    let cfg = &run.config;
    let task = rnnlab_tasks::build(&cfg.task, cfg.seed);
    let vocab = task.vocab().unwrap();
    let (size, batch) = (cfg.train.eval_size, cfg.train.batch);
    let mut out = String::from("# the run's own test split\n");
    for i in 0..size.div_ceil(batch) {
        let b = task.batch(Split::Test, i as u64, batch.min(size - i * batch));
        let Inputs::Tokens { ids, .. } = &b.inputs else {
            panic!("tokens")
        };
        for e in 0..b.size {
            let row = &ids[e * b.steps..(e + 1) * b.steps];
            let m = &b.meta[e];
            let at: usize = m["verb_step"].parse().unwrap();
            let words: Vec<&str> = row[..=at]
                .iter()
                .filter(|&&id| id > 1)
                .map(|&id| vocab[id as usize].as_str())
                .collect();
            let answer = match &b.targets {
                Targets::LastClass { classes, .. } => ["sg", "pl"][classes[e] as usize].to_string(),
                _ => {
                    let verb = |k: &str| vocab[m[k].parse::<usize>().unwrap()].as_str();
                    format!("{}\t{}", verb("good_id"), verb("bad_id"))
                }
            };
            out.push_str(&format!("{}\t{answer}\n", words.join(" ")));
        }
    }
    out
}

/// The final test row of metrics.csv: (loss, accuracy) as written.
fn in_sweep_test_row(folder: &Path) -> (String, String) {
    let text = std::fs::read_to_string(folder.join("metrics.csv")).unwrap();
    let last = text.lines().last().unwrap();
    let cols: Vec<&str> = last.split(',').collect();
    assert_eq!(cols[1], "test");
    (cols[2].to_string(), cols[3].to_string())
}

#[test]
fn number_form_file_score_equals_the_in_sweep_test_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let (run, folder) = train(NUMBER, dir.path());
    let data = dir.path().join("test.tsv");
    std::fs::write(&data, test_split_as_tsv(&run)).unwrap();
    let loaded = load_run(&folder, Device::Cpu).unwrap();
    assert_eq!(loaded.config, run.config);
    let scored = evaluate_file(&loaded, &data, Unk::Error, None).unwrap();
    assert_eq!(scored.n, 20);
    let means = scored.evaluation.means();
    let (loss, accuracy) = in_sweep_test_row(&folder);
    assert_eq!(
        (
            format!("{}", means["loss"]),
            format!("{}", means["accuracy"])
        ),
        (loss, accuracy.clone())
    );
    let breakdown = std::fs::read_to_string(folder.join("breakdown.csv")).unwrap();
    assert_eq!(breakdown_csv(&scored, dir.path()), breakdown);
    // Sentences are read up to their own last word, so grouping them otherwise (other
    // padding) changes nothing.
    let regrouped = evaluate_file(&loaded, &data, Unk::Error, Some(3)).unwrap();
    assert_eq!(format!("{}", regrouped.accuracy()), accuracy);
    let (a, b) = (regrouped.evaluation.means()["loss"], means["loss"]);
    assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    assert!(breakdown.contains("\nattractors,2,") || breakdown.contains("\nattractors,1,"));
}

#[test]
fn language_model_file_score_equals_the_in_sweep_forced_choice() {
    let dir = tempfile::tempdir().unwrap();
    let (run, folder) = train(LANGUAGE_MODEL, dir.path());
    let data = dir.path().join("pairs.tsv");
    std::fs::write(&data, test_split_as_tsv(&run)).unwrap();
    let loaded = load_run(&folder, Device::Cpu).unwrap();
    // The in-sweep forced choice read whole sentences eight at a time, padded; the file holds
    // prefixes alone, scored five at a time: the same scores, because no prediction reads
    // padding or what follows it.
    let scored = evaluate_file(&loaded, &data, Unk::Error, Some(5)).unwrap();
    let (_, accuracy) = in_sweep_test_row(&folder);
    assert_eq!(format!("{}", scored.accuracy()), accuracy);
    // The loss is a mean over the file's tokens, however the sentences are grouped.
    let one_by_one = evaluate_file(&loaded, &data, Unk::Error, Some(1)).unwrap();
    let (a, b) = (
        one_by_one.evaluation.means()["loss"],
        scored.evaluation.means()["loss"],
    );
    assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    let breakdown = std::fs::read_to_string(folder.join("breakdown.csv")).unwrap();
    assert_eq!(breakdown_csv(&scored, dir.path()), breakdown);
    // The wrong kind of file for this run is refused, naming both.
    std::fs::write(&data, "the author\tsg\n").unwrap();
    let e = evaluate_file(&loaded, &data, Unk::Error, None).unwrap_err();
    assert!(e.to_string().contains("language_model form"), "{e}");
}

#[test]
fn bad_files_and_folders_give_errors_that_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let (_, folder) = train(&NUMBER.replace("steps: 30", "steps: 1"), dir.path());
    let loaded = load_run(&folder, Device::Cpu).unwrap();
    let data = dir.path().join("bad.tsv");
    let score = |text: &str, unk: Unk| {
        std::fs::write(&data, text).unwrap();
        evaluate_file(&loaded, &data, unk, None)
    };
    let e = score("the author\tsg\nthe pilots\tplural\n", Unk::Error).unwrap_err();
    let message = e.to_string();
    assert!(
        message.starts_with(&format!("{}:2: ", data.display())),
        "{message}"
    );
    let e = score("the keys to the cabinet\tpl\nthe author\tsg\n", Unk::Error).unwrap_err();
    let message = e.to_string();
    for word in ["`keys` (line 1)", "`cabinet` (line 1)", "`to` (line 1)"] {
        assert!(message.contains(word), "{message}");
    }
    let kept = score("the keys\tpl\nthe author\tsg\n", Unk::Skip).unwrap();
    assert_eq!((kept.n, kept.skipped_lines), (1, 1));
    let e = score("the keys\tpl\n", Unk::Skip).unwrap_err();
    assert!(
        matches!(e, EvalError::NothingLeft { skipped: 1, .. }),
        "{e}"
    );
    std::fs::remove_file(folder.join("model.safetensors")).unwrap();
    let e = load_run(&folder, Device::Cpu).err().unwrap();
    assert!(e.to_string().contains("save: true"), "{e}");
    let e = load_run(dir.path(), Device::Cpu).err().unwrap();
    assert!(matches!(e, EvalError::NoConfig { .. }), "{e}");
}

/// The breakdown of a file's evaluation as the runner writes breakdown.csv.
fn breakdown_csv(scored: &rnnlab_train::FileEvaluation, dir: &std::path::Path) -> String {
    let path = dir.join("scored-breakdown.csv");
    rnnlab_results::files::write_breakdown(&path, &scored.evaluation.breakdown_rows()).unwrap();
    std::fs::read_to_string(path).unwrap()
}
