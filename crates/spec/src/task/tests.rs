use super::*;

#[test]
fn defaults_pass_their_checks() {
    for c in [
        TaskConfig::Copy(CopyConfig::default()),
        TaskConfig::Adding(AddingConfig::default()),
        TaskConfig::TemporalOrder(TemporalOrderConfig::default()),
        TaskConfig::Agreement(AgreementConfig::default()),
    ] {
        assert_eq!(c.check(), Ok(()), "{}", c.kind());
    }
}

#[test]
fn out_of_range_values_name_their_field() {
    let bad = |c: TaskConfig| c.check().unwrap_err();
    assert!(bad(TaskConfig::Copy(CopyConfig {
        symbols: 0,
        ..Default::default()
    }))
    .starts_with("symbols"));
    assert!(bad(TaskConfig::TemporalOrder(TemporalOrderConfig {
        positions: 4,
        length: 50
    }))
    .starts_with("positions"));
    assert!(bad(TaskConfig::Adding(AddingConfig { length: 1 })).starts_with("length"));
    let agreement = |f: fn(&mut AgreementConfig)| {
        let mut c = AgreementConfig::default();
        f(&mut c);
        bad(TaskConfig::Agreement(c))
    };
    assert!(agreement(|c| c.max_attractors = 4).starts_with("max_attractors"));
    assert!(agreement(|c| c.test_max_modifiers = Some(1)).starts_with("test_max_attractors"));
    assert!(agreement(|c| c.constructions = vec!["cleft".into()]).starts_with("constructions"));
    assert!(agreement(|c| {
        c.min_distance = 5;
        c.max_distance = Some(4)
    })
    .starts_with("max_distance"));
    assert!(agreement(|c| {
        c.constructions = vec!["object_rc".into()];
    })
    .starts_with("max_modifiers"));
    assert!(agreement(|c| c.frames = Some(vec!["cleft".into()])).starts_with("frames"));
    assert!(agreement(|c| c.frames = Some(vec![])).starts_with("frames"));
    assert!(
        agreement(|c| c.frames = Some(vec!["main".into(), "main".into()])).starts_with("frames")
    );
}

#[test]
fn unset_frames_stay_out_of_the_serialised_config() {
    let plain = serde_json::to_value(AgreementConfig::default()).unwrap();
    assert!(plain.get("frames").is_none(), "{plain}");
    let mix = AgreementConfig {
        frames: Some(vec!["complement".into()]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(mix).unwrap()["frames"][0],
        "complement"
    );
}

#[test]
fn test_limits_default_to_the_training_ones() {
    let c = AgreementConfig {
        max_attractors: 1,
        max_modifiers: 2,
        test_max_attractors: Some(4),
        ..Default::default()
    };
    let t = c.test_limits();
    assert_eq!((t.max_attractors, t.max_modifiers), (4, 4));
    assert_eq!(t.max_fillers, c.max_fillers);
    let yaml: AgreementConfig = serde_json::from_str(r#"{"max_attractors": 1}"#).unwrap();
    assert_eq!(yaml.constructions.len(), 3);
    assert_eq!(yaml.test_limits().max_attractors, 1);
}
