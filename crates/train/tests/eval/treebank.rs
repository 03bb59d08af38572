//! `treebank_agreement` runs on number files: the run's own test pairs score as its in-sweep
//! test evaluation did, and an unknown word reads as `<unk>`.
use std::path::Path;

use rnnlab_tasks::{Inputs, Split, Targets, Unk};
use rnnlab_train::{evaluate_file, load_run};
use tch::Device;

use super::{breakdown_csv, in_sweep_test_row, train};

/// Number-form pairs, lower-case as `rnnlab data agreement --form number` writes them: 96
/// prefixes (subject, then a prepositional phrase with an attractor or none), enough for the
/// held-out tenths to have some of each.
fn pairs(dir: &Path) -> String {
    let nouns = [
        ("dog", "dogs"),
        ("cat", "cats"),
        ("key", "keys"),
        ("man", "men"),
    ];
    let mut out = String::new();
    for (i, (sg, pl)) in nouns.iter().enumerate() {
        for (number, subject) in [("sg", sg), ("pl", pl)] {
            out.push_str(&format!("the {subject}\t{number}\t0\t1\tnoun\n"));
            for (j, (osg, opl)) in nouns.iter().enumerate().filter(|&(j, _)| j != i) {
                for (k, other) in [osg, opl].iter().enumerate() {
                    let prep = ["near", "of"][(j + k) % 2];
                    let attractors = usize::from((k == 1) != (number == "pl"));
                    out.push_str(&format!(
                        "the {subject} {prep} the {other}\t{number}\t{attractors}\t4\tnoun:nmod\n"
                    ));
                    out.push_str(&format!(
                        "a {subject} {prep} these {other}\t{number}\t{attractors}\t4\tnoun:nmod\n"
                    ));
                }
            }
        }
    }
    let path = dir.join("train.tsv");
    std::fs::write(&path, out).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn treebank_number_files_score_as_the_run_and_read_unknown_words_as_unk() {
    let dir = tempfile::tempdir().unwrap();
    let train_file = pairs(dir.path());
    let sweep = format!(
        "name: tiny-treebank\nbase:\n  task: {{ kind: treebank_agreement, train: '{train_file}' }}\n  \
         model: {{ cell: gru, hidden: 8, embedding: 8 }}\n  \
         train: {{ lr: 1.0e-2, batch: 8, steps: 30, eval_every: 30, eval_size: 20, save: true }}\n"
    );
    let (run, folder) = train(&sweep, dir.path());
    let loaded = load_run(&folder, Device::Cpu).unwrap();

    // The run's own test draws written as a number file (an id the run read as <unk> as the
    // word `<unk>`), with their columns: the same accuracy, loss and breakdown.
    let task = rnnlab_tasks::build(&run.config.task, run.config.seed);
    let vocab = task.vocab().unwrap();
    let (size, batch) = (run.config.train.eval_size, run.config.train.batch);
    let mut file = String::new();
    for i in 0..size.div_ceil(batch) {
        let b = task.batch(Split::Test, i as u64, batch.min(size - i * batch));
        let (Inputs::Tokens { ids, .. }, Targets::LastClass { classes, .. }) =
            (&b.inputs, &b.targets)
        else {
            panic!("tokens and classes")
        };
        for e in 0..b.size {
            let row = &ids[e * b.steps..e * b.steps + b.length(e)];
            let words: Vec<&str> = row.iter().map(|&id| vocab[id as usize].as_str()).collect();
            let m = &b.meta[e];
            file.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                words.join(" "),
                ["sg", "pl"][classes[e] as usize],
                m["attractors"],
                m["distance"],
                m["construction"]
            ));
        }
    }
    let data = dir.path().join("test.tsv");
    std::fs::write(&data, &file).unwrap();
    let scored = evaluate_file(&loaded, &data, Unk::Error, Some(3)).unwrap();
    assert_eq!((scored.n, scored.total), (20, 20));
    let (loss, accuracy) = in_sweep_test_row(&folder);
    assert_eq!(format!("{}", scored.accuracy()), accuracy);
    let loss: f64 = loss.parse().unwrap();
    let ours = scored.evaluation.means()["loss"];
    assert!((ours - loss).abs() < 1e-6, "{ours} vs {loss}");
    let breakdown = std::fs::read_to_string(folder.join("breakdown.csv")).unwrap();
    assert_eq!(breakdown_csv(&scored, dir.path()), breakdown);
    assert_eq!(scored.unk.occurrences, 0);
    // Upper case is read lower-cased, as the task reads its words.
    std::fs::write(&data, file.to_uppercase().replace("<UNK>", "<unk>")).unwrap();
    let upper = evaluate_file(&loaded, &data, Unk::Error, Some(3)).unwrap();
    assert_eq!(upper.accuracy(), scored.accuracy());

    // Unknown words read as <unk>: "zebra" scores exactly as "<unk>" does, and is counted.
    let one = |text: &str| {
        std::fs::write(&data, text).unwrap();
        evaluate_file(&loaded, &data, Unk::Error, None).unwrap()
    };
    let zebra = one("the zebra near the zebra\tsg\nthe dog\tsg\n");
    assert_eq!((zebra.unk.occurrences, zebra.unk.lines), (2, 1));
    assert_eq!(zebra.unk.words[0].word, "zebra");
    assert_eq!(zebra.unk.words[0].lines, [1]);
    let unk = one("the <unk> near the <unk>\tsg\nthe dog\tsg\n");
    assert_eq!(unk.unk.occurrences, 0);
    let (a, b) = (
        zebra.evaluation.means()["loss"],
        unk.evaluation.means()["loss"],
    );
    assert_eq!(a, b);
    let known = one("the cat near the dog\tsg\nthe dog\tsg\n");
    assert_ne!(known.evaluation.means()["loss"], a);
    assert_eq!(zebra.last_noun, None);
    // A pair file is the other form.
    std::fs::write(&data, "the dog\truns\trun\n").unwrap();
    let e = evaluate_file(&loaded, &data, Unk::Error, None).unwrap_err();
    assert!(e.to_string().contains("number form"), "{e}");
}
