use super::*;

#[test]
fn round_trips_with_non_finite_values() {
    let mut s = Summary::new("abc", Status::Diverged);
    s.final_.insert("loss".into(), f64::NAN);
    s.best.insert("mse".into(), 0.5);
    s.baselines.push(Baseline {
        name: "memoryless loss".into(),
        metric: "loss".into(),
        value: 0.25,
    });
    s.divergence = Some(Divergence {
        rule: DivergenceRule::Loss,
        reason: "valid loss 52.1 > 10 x 0.1667 at steps 400, 500".into(),
    });
    let text = serde_json::to_string(&s).unwrap();
    assert!(text.contains("\"loss\":null"), "{text}");
    assert!(
        text.contains(r#""divergence":{"rule":"loss","reason":"#),
        "{text}"
    );
    let back: Summary = serde_json::from_str(&text).unwrap();
    assert!(back.final_["loss"].is_nan());
    assert_eq!(back.final_value("loss"), None);
    assert_eq!(back.best_value("mse"), Some(0.5));
    assert_eq!(back.baselines, s.baselines);
    assert_eq!(back.format, FORMAT_VERSION);
    assert_eq!(back.divergence, s.divergence);
}

#[test]
fn reads_format_1_with_its_baseline_map() {
    let old = r#"{"id": "x", "status": "solved", "steps": 10, "final": {"mse": 0.01},
        "steps_to_solve": 10, "baselines": {"predict 1": {"metric": "mse", "value": 0.16667}}}"#;
    let s: Summary = serde_json::from_str(old).unwrap();
    assert_eq!(s.format, 1);
    assert!(s.solved());
    assert_eq!(s.baseline("predict 1").unwrap().value, 0.16667);
    assert_eq!(s.params, 0);
    assert_eq!(s.divergence, None);
    assert_eq!((s.commit.as_deref(), s.threads), (None, None));
    assert_eq!(
        s.build().to_string(),
        "rnnlab unknown commit unknown libtorch unknown"
    );
}

#[test]
fn the_build_tells_builds_apart() {
    let mut a = Summary::new("a", Status::Completed);
    a.rnnlab = "0.1.0".into();
    a.libtorch = "2.13.0".into();
    a.commit = Some("abc1234".into());
    a.threads = Some(2);
    let mut b = a.clone();
    b.threads = Some(1);
    assert_eq!(a.build(), b.build(), "threads are a setting, not the build");
    b.commit = Some("def5678".into());
    assert_ne!(a.build(), b.build());
    assert_eq!(
        a.build().to_string(),
        "rnnlab 0.1.0 commit abc1234 libtorch 2.13.0"
    );
    let back: Summary = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!((back.commit, back.threads), (a.commit, a.threads));
}

#[test]
fn status_names_are_the_serialised_ones() {
    for status in Status::ALL {
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(json, format!("\"{}\"", status.name()));
    }
}
