//! The `eval:` block and the references that read other files than summary.json.
use crate::MetricRef;

/// Tests run in the crate's folder: Cargo.toml stands in for a test file that exists.
const SWEEP: &str = r#"name: scored
base:
  task: { kind: agreement }
  model: { cell: lstm, hidden: 16 }
  train: { steps: 100, eval_every: 50, save: true }
variants:
  number: { task: { form: number } }
  language_model: { task: { form: language_model } }
grid:
  model.cell: [lstm, gru]
seeds: [1, 2, 3, 4, 5]
eval:
  handcrafted:
    - { data: Cargo.toml, where: { variant: number } }
    - { data: Cargo.toml, where: { variant: language_model } }
claims:
  - name: the LSTM scores higher on the hand-written sentences
    metric: eval.handcrafted.attractors.1
    by: model.cell
    expect: lstm > gru
"#;

use crate::testing::{errors, expand};

fn edit(from: &str, to: &str) -> String {
    assert!(SWEEP.contains(from), "`{from}` is not in the sweep");
    SWEEP.replacen(from, to, 1)
}

#[test]
fn a_declared_set_is_parsed_and_its_files_pick_their_runs() {
    let e = expand(SWEEP).unwrap();
    let set = &e.sweep.eval["handcrafted"];
    assert_eq!(set.len(), 2);
    let number = e.runs.iter().find(|r| r.params[0].1 == "number").unwrap();
    let lm = e
        .runs
        .iter()
        .find(|r| r.params[0].1 == "language_model")
        .unwrap();
    assert!(std::ptr::eq(
        super::file_for(set, &number.params).unwrap(),
        &set[0]
    ));
    assert!(std::ptr::eq(
        super::file_for(set, &lm.params).unwrap(),
        &set[1]
    ));
}

#[test]
fn references_parse_and_print_back() {
    for text in [
        "eval.handcrafted",
        "eval.handcrafted.attractors.1",
        "eval.ewt.construction.noun+nmod.rc",
        "grad.50",
    ] {
        let r = MetricRef::parse(text).unwrap();
        assert_eq!(r.to_string(), text);
        assert!(r.higher_is_better(), "{text}");
    }
    assert!(MetricRef::parse("grad.far")
        .unwrap_err()
        .contains("grad.50"));
    let padded = MetricRef::parse("grad.050").unwrap_err();
    assert!(padded.contains("e.g. `grad.50`"), "{padded}");
    assert!(MetricRef::parse("eval.a.b")
        .unwrap_err()
        .contains("eval.SET.BY.BUCKET"));
    assert!(MetricRef::parse("eval.Hand")
        .unwrap_err()
        .contains("eval.SET"));
}

#[test]
fn a_claim_on_an_undeclared_set_names_the_declared_ones() {
    let e = errors(&edit(
        "eval.handcrafted.attractors.1",
        "eval.handcrafed.attractors.1",
    ));
    assert!(e.contains("no eval set `handcrafed`"), "{e}");
    assert!(e.contains("did you mean `handcrafted`"), "{e}");
    assert!(e.contains("claims[0].metric"), "{e}");
}

#[test]
fn a_missing_file_warns_and_an_unknown_level_and_unsaved_runs_are_errors() {
    let text = edit(
        "data: Cargo.toml, where: { variant: number }",
        "data: nope.tsv, where: { variant: number }",
    );
    let e = expand(&text).unwrap();
    let warnings: Vec<String> = e.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("no file nope.tsv here")),
        "{warnings:?}"
    );
    let missing = super::missing_files(&e.sweep);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].starts_with("eval.handcrafted[0].data: no file nope.tsv"),
        "{missing:?}"
    );
    let e = errors(&edit(
        "where: { variant: number }",
        "where: { variant: numbr }",
    ));
    assert!(e.contains("`numbr` is not a level of `variant`"), "{e}");
    let e = errors(&edit("save: true", "save: false"));
    assert!(e.contains("do not keep their weights"), "{e}");
}

#[test]
fn two_files_scoring_one_run_are_an_error() {
    let e = errors(&edit(
        "where: { variant: language_model }",
        "where: { model.cell: lstm }",
    ));
    assert!(e.contains("is scored by files 0 and 1"), "{e}");
}

#[test]
fn a_gradient_claim_needs_probed_runs() {
    let text = r#"name: probed
base:
  task: { kind: adding, length: 20 }
  model: { cell: lstm, hidden: 8 }
  train: { steps: 100, eval_every: 50 }
grid:
  model.cell: [lstm, rnn_tanh]
seeds: [1, 2, 3, 4, 5]
claims:
  - { name: kept, metric: grad.10, by: model.cell, expect: lstm > rnn_tanh }
"#;
    let e = errors(text);
    assert!(e.contains("claims[0].metric"), "{e}");
    assert!(e.contains("set `train: { probe_every: N }`"), "{e}");
    let probed = text.replace("eval_every: 50", "eval_every: 50, probe_every: 50");
    if let Err(r) = expand(&probed) {
        let errors: Vec<String> = r.errors.iter().map(ToString::to_string).collect();
        panic!("{}", errors.join("\n"));
    }
}
