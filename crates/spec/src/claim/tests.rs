use super::*;
use crate::{AddingConfig, RunConfig, TaskConfig};

fn claim(yaml: &str) -> Claim {
    serde_yaml::from_str(yaml).unwrap()
}

#[test]
fn expect_is_one_strict_comparison() {
    let c = parse_expect(" lstm > rnn_tanh ").unwrap();
    assert_eq!(
        (c.left.as_str(), c.relation, c.right.as_str()),
        ("lstm", Relation::Greater, "rnn_tanh")
    );
    assert_eq!(parse_expect("100<200").unwrap().relation, Relation::Less);
}

#[test]
fn expect_rejects_malformed_text() {
    assert!(parse_expect("lstm")
        .unwrap_err()
        .contains("compares nothing"));
    assert!(parse_expect("lstm > ")
        .unwrap_err()
        .contains("no level after `>`"));
    assert!(parse_expect("lstm >= gru").unwrap_err().contains("tie"));
    assert!(parse_expect("lstm ~ gru").unwrap_err().contains("margin"));
    assert!(parse_expect("lstm ~ gru within -1")
        .unwrap_err()
        .contains("positive"));
    assert!(parse_expect("lstm > gru within 1")
        .unwrap_err()
        .contains("equivalence"));
    let two = parse_expect("lstm != gru").unwrap();
    assert_eq!(
        (two.relation, two.right.as_str()),
        (Relation::Differs, "gru")
    );
    let same = parse_expect(" lstm ~ gru within 0.01 ").unwrap();
    assert_eq!(same.relation, Relation::Equivalent);
    assert_eq!(same.margin, Some(0.01));
    assert_eq!(same.left, "lstm");
    assert!(parse_expect("a > b > c")
        .unwrap_err()
        .contains("one claim per pair"));
}

#[test]
fn metrics_have_a_scope_or_are_summary_scalars() {
    assert!(check_metric("final.recall_accuracy").is_ok());
    assert!(check_metric("best.mse").is_ok());
    assert!(check_metric("wall_s").is_ok());
    assert!(check_metric("finl.mse")
        .unwrap_err()
        .contains("did you mean `final`"));
    assert!(check_metric("accuracy")
        .unwrap_err()
        .contains("final.accuracy"));
    assert!(check_metric("final.Acc").is_err());
}

#[test]
fn claims_are_checked_against_axes_and_runs() {
    let axes = vec![("model.cell".to_string(), vec!["lstm".into(), "gru".into()])];
    let run = |cell: &str| Run {
        id: String::new(),
        config: RunConfig {
            task: TaskConfig::Adding(AddingConfig { length: 5 }),
            model: Default::default(),
            train: Default::default(),
            stop: Default::default(),
            seed: 1,
        },
        params: vec![
            ("model.cell".into(), cell.into()),
            ("seed".into(), "1".into()),
        ],
    };
    let runs = vec![run("lstm")];
    let ok = claim("{name: x, metric: final.mse, by: model.cell, expect: lstm < gru}");
    let problems = check_claim(&ok, &axes, &runs, true);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].1.contains("no run has model.cell=gru"));
    let bad = claim("{name: x, metric: final.mse, by: model.cel, expect: lstm < gru}");
    let problems = check_claim(&bad, &axes, &runs, true);
    assert!(
        problems[0].1.contains("did you mean `model.cell`"),
        "{problems:?}"
    );
    let typo = claim("{name: x, metric: final.mse, by: model.cell, expect: lstn < gru}");
    let problems = check_claim(&typo, &axes, &runs, true);
    assert!(
        problems[0].1.contains("did you mean `lstm`"),
        "{problems:?}"
    );
}

/// A claim's metric must exist for the task kinds of the runs it compares, not of every run.
#[test]
fn claim_metrics_are_checked_against_the_compared_task_kinds() {
    let axes = vec![
        (
            "task.kind".to_string(),
            vec!["copy".into(), "adding".into()],
        ),
        ("model.cell".to_string(), vec!["lstm".into(), "gru".into()]),
    ];
    let run = |task: TaskConfig, cell: &str| Run {
        id: String::new(),
        params: vec![
            ("task.kind".into(), task.kind().into()),
            ("model.cell".into(), cell.into()),
            ("seed".into(), "1".into()),
        ],
        config: RunConfig {
            task,
            model: Default::default(),
            train: Default::default(),
            stop: Default::default(),
            seed: 1,
        },
    };
    let copy = || TaskConfig::Copy(Default::default());
    let adding = || TaskConfig::Adding(AddingConfig { length: 5 });
    let runs = vec![
        run(copy(), "lstm"),
        run(copy(), "gru"),
        run(adding(), "lstm"),
        run(adding(), "gru"),
    ];
    let text = "{name: x, where: {task.kind: copy}, metric: final.recall_accuracy, \
                by: model.cell, expect: lstm > gru}";
    assert_eq!(check_claim(&claim(text), &axes, &runs, true), []);
    let everywhere = text.replace("where: {task.kind: copy}, ", "");
    let problems = check_claim(&claim(&everywhere), &axes, &runs, true);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "metric");
    assert!(
        problems[0].1.contains("not a metric of task `adding`"),
        "{problems:?}"
    );
    let by_kind = "{name: x, where: {model.cell: lstm}, metric: final.mse, by: task.kind, \
                   expect: adding < copy}";
    let problems = check_claim(&claim(by_kind), &axes, &runs, true);
    assert!(
        problems[0].1.contains("not a metric of task `copy`"),
        "{problems:?}"
    );
}

/// A claim on the metric the runs stop on warns; one on another metric, or on `solved`, does
/// not.
#[test]
fn a_claim_on_the_stopping_metric_warns() {
    let sweep = "name: s\nbase:\n  task: { kind: adding, length: 20 }\n  train: { steps: 200 }\n  \
                 stop: { solved: { metric: mse, at_most: 0.01 } }\nvariants:\n  a: {}\n  \
                 b: { model: { cell: gru } }\nseeds: [1, 2, 3, 4, 5]\nclaims:\n  - name: c\n    \
                 metric: METRIC\n    by: variant\n    expect: a < b\n";
    let warnings = |metric: &str| -> Vec<String> {
        let text = sweep.replace("METRIC", metric);
        let expanded =
            crate::Sweep::parse_and_expand(&text, std::path::Path::new("s.yaml")).unwrap();
        expanded.warnings.iter().map(|w| w.to_string()).collect()
    };
    let stop = |ws: &[String]| ws.iter().any(|w| w.contains("meets `stop.solved`"));
    assert!(stop(&warnings("final.mse")));
    assert!(stop(&warnings("best.mse")));
    assert!(!stop(&warnings("final.loss")));
    assert!(!stop(&warnings("solved")));
}
