use super::*;

#[test]
fn every_task_lists_loss_first_and_its_main_metric() {
    for t in TASKS {
        assert_eq!(t.columns[0], "loss", "{}", t.kind);
        assert_eq!(
            t.metrics[0].splits, EVERY_SPLIT,
            "{}: train rows carry the loss",
            t.kind
        );
        for m in &t.metrics[1..] {
            assert_eq!(m.splits, EVALUATIONS, "{}.{}", t.kind, m.name);
        }
        assert_eq!(t.main_metric().name, t.main);
        let names: Vec<&str> = t.metrics.iter().map(|m| m.name).collect();
        assert_eq!(names, t.columns, "{}", t.kind);
    }
}

#[test]
fn a_name_has_one_direction_in_every_task_and_no_scalar_shares_it() {
    for t in TASKS {
        for m in t.metrics {
            assert_eq!(
                Some(m.direction),
                direction(m.name),
                "{}.{}",
                t.kind,
                m.name
            );
            assert!(Scalar::from_name(m.name).is_none(), "{}", m.name);
            assert!(!m.doc.is_empty() && !m.unit.is_empty());
        }
    }
}

#[test]
fn references_parse_and_print_back() {
    for text in [
        "final.recall_accuracy",
        "best.mse",
        "wall_s",
        "steps_to_solve",
    ] {
        let r = MetricRef::parse(text).unwrap();
        assert_eq!(r.to_string(), text);
        assert_eq!(text.parse::<MetricRef>(), Ok(r));
    }
    let names: Vec<&str> = Scalar::names().collect();
    assert_eq!(
        names,
        [
            "steps_to_solve",
            "solved",
            "diverged",
            "wall_s",
            "steps_per_s",
            "params",
            "steps"
        ]
    );
    for s in Scalar::ALL {
        assert_eq!(Scalar::from_name(s.name()), Some(s));
        assert_eq!(MetricRef::parse(s.name()), Ok(MetricRef::Scalar(s)));
    }
    assert_eq!(
        MetricRef::parse("best.mse").unwrap().metric_name(),
        Some("mse")
    );
}

#[test]
fn malformed_references_say_what_to_write() {
    assert!(MetricRef::parse("finl.mse")
        .unwrap_err()
        .contains("did you mean `final`"));
    assert!(MetricRef::parse("accuracy")
        .unwrap_err()
        .contains("final.accuracy"));
    assert!(MetricRef::parse("wal_s")
        .unwrap_err()
        .contains("did you mean `wall_s`"));
    assert!(MetricRef::parse("final.Acc").is_err());
    assert!(MetricRef::parse("final.").is_err());
}

#[test]
fn one_higher_is_better_for_names_and_references() {
    for m in [
        "accuracy",
        "recall_accuracy",
        "final.accuracy",
        "best.recall_accuracy",
    ] {
        assert!(higher_is_better(m), "{m}");
    }
    for m in ["solved", "steps_per_s"] {
        assert!(higher_is_better(m), "{m}");
    }
    for m in [
        "loss",
        "mse",
        "final.mse",
        "best.loss",
        "wall_s",
        "steps_to_solve",
    ] {
        assert!(!higher_is_better(m), "{m}");
    }
    for m in ["diverged", "params", "steps"] {
        assert!(!higher_is_better(m), "{m}");
    }
    assert_eq!(direction("final.nonsense"), None);
    assert_eq!(direction("nonsense"), None);
    assert!(!higher_is_better("nonsense"));
    assert!(Direction::HigherIsBetter.better(2.0, 1.0));
    assert!(Direction::LowerIsBetter.better(1.0, 2.0));
    assert!(!Direction::LowerIsBetter.better(1.0, 1.0));
}

#[test]
fn references_are_checked_against_each_task_kind() {
    let r = |t: &str| MetricRef::parse(t).unwrap();
    assert!(r("final.mse").check_tasks(&["adding"]).is_ok());
    assert!(r("wall_s").check_tasks(&["adding", "copy"]).is_ok());
    let e = r("final.msee").check_tasks(&["adding"]).unwrap_err();
    assert_eq!(
        e,
        "`msee` is not a metric of task `adding` (did you mean `final.mse`?); it reports \
         `final.loss`, `final.mse`"
    );
    let e = r("best.recall_accuracy")
        .check_tasks(&["copy", "adding"])
        .unwrap_err();
    assert!(
        e.starts_with("`recall_accuracy` is not a metric of task `adding`;"),
        "{e}"
    );
    assert!(e.contains("(`copy`, `adding`)"), "{e}");
    assert!(e.ends_with("report `best.loss`"), "{e}");
    let e = r("final.acuracy")
        .check_tasks(&["copy", "temporal_order", "adding"])
        .unwrap_err();
    assert!(
        e.contains("tasks `copy`, `temporal_order`, `adding`"),
        "{e}"
    );
    assert!(!e.contains("did you mean"), "accuracy is not common: {e}");
    assert!(r("final.x").check_tasks(&["nope"]).is_err());
}

#[test]
fn bare_names_are_checked_and_references_refused() {
    assert!(check_name("recall_accuracy", &["copy"]).is_ok());
    let e = check_name("mde", &["adding"]).unwrap_err();
    assert!(e.contains("(did you mean `mse`?)"), "{e}");
    let e = check_name("final.mse", &["adding"]).unwrap_err();
    assert!(e.contains("write `mse`"), "{e}");
}

#[test]
fn shared_and_common_metrics_of_several_kinds() {
    assert_eq!(
        shared_main(&["temporal_order", "agreement"]),
        Some("accuracy")
    );
    assert_eq!(shared_main(&["copy", "adding"]), None);
    assert_eq!(shared_main(&[]), None);
    assert_eq!(common(&["copy", "temporal_order"]), ["loss", "accuracy"]);
    assert_eq!(common(&["copy", "adding"]), ["loss"]);
}
