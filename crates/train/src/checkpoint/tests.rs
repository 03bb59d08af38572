use super::*;

#[test]
fn exact_numbers_read_back_to_the_same_bits() {
    let values = [
        0.1,
        1.0 / 3.0,
        -0.0,
        f64::MIN_POSITIVE,
        1e300,
        f64::INFINITY,
        f64::NAN,
    ];
    for v in values {
        let json = serde_json::to_string(&Exact(v)).unwrap();
        let back: Exact = serde_json::from_str(&json).unwrap();
        assert!(
            back.0.to_bits() == v.to_bits() || (v.is_nan() && back.0.is_nan()),
            "{v} came back as {}",
            back.0
        );
    }
}

#[test]
fn tensors_files_are_told_from_other_files() {
    assert!(RunFiles::is_checkpoint_tensors(
        "checkpoint-200.safetensors"
    ));
    for other in [
        "checkpoint-.safetensors",
        "checkpoint-2x.safetensors",
        "model.safetensors",
    ] {
        assert!(!RunFiles::is_checkpoint_tensors(other), "{other}");
    }
}

#[test]
fn a_checkpoint_round_trips_and_only_the_latest_tensors_stay() {
    let dir = tempfile::tempdir().unwrap();
    let files = RunFiles::at(dir.path().join("abc"));
    std::fs::create_dir_all(files.dir()).unwrap();
    assert!(read(&files, "abc", "cpu 1").unwrap().is_none());
    for step in [100, 200] {
        let mut s = state("abc", step, "cpu 1".into());
        s.best.insert("loss".into(), Exact(0.25 + step as f64));
        let t = tch::Tensor::from_slice(&[1.5f32, step as f32]);
        write(&files, s, &[("model.w".to_string(), t)]).unwrap();
    }
    let (s, tensors) = read(&files, "abc", "cpu 1").unwrap().expect("a checkpoint");
    assert_eq!((s.step, s.best["loss"]), (200, Exact(200.25)));
    assert_eq!(
        Vec::<f32>::try_from(&tensors["model.w"]).unwrap(),
        [1.5, 200.0]
    );
    let names: Vec<String> = std::fs::read_dir(files.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.contains(&"checkpoint-100.safetensors".to_string()),
        "{names:?}"
    );
    assert!(matches!(
        read(&files, "other", "cpu 1"),
        Err(Unusable::Invalid(_))
    ));
    assert!(matches!(
        read(&files, "abc", "cpu 2"),
        Err(Unusable::OtherSetting(_))
    ));
    // Killed after the new tensors were renamed into place but before checkpoint.json:
    // the json still names the previous, complete checkpoint.
    let t = tch::Tensor::from_slice(&[9.0f32]);
    let stray = files.dir().join(RunFiles::checkpoint_tensors_name(300));
    tch::Tensor::write_safetensors(&[("model.w", &t)], &stray).unwrap();
    assert_eq!(read(&files, "abc", "cpu 1").unwrap().unwrap().0.step, 200);
    // A json whose tensors are gone is not used.
    std::fs::remove_file(files.dir().join("checkpoint-200.safetensors")).unwrap();
    assert!(matches!(
        read(&files, "abc", "cpu 1"),
        Err(Unusable::Invalid(_))
    ));
    remove(&files).unwrap();
    assert!(read(&files, "abc", "cpu 1").unwrap().is_none());
    assert!(std::fs::read_dir(files.dir()).unwrap().next().is_none());
}
