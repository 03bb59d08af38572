use super::*;
use rnnlab_spec::{AddingConfig, AgreementConfig, AgreementForm, CopyConfig, TemporalOrderConfig};

fn every_task() -> Vec<TaskConfig> {
    vec![
        TaskConfig::Copy(CopyConfig {
            length: 30,
            ..Default::default()
        }),
        TaskConfig::Adding(AddingConfig { length: 30 }),
        TaskConfig::TemporalOrder(TemporalOrderConfig {
            length: 30,
            positions: 3,
        }),
        TaskConfig::Agreement(AgreementConfig::default()),
        TaskConfig::Agreement(AgreementConfig {
            form: AgreementForm::LanguageModel,
            ..Default::default()
        }),
    ]
}

/// Each task kind with a few configs, for properties of the baselines.
fn task_variety() -> Vec<TaskConfig> {
    let mut out = every_task();
    for (length, symbols, recall) in [(1, 1, 1), (10, 2, 3), (100, 8, 10)] {
        out.push(TaskConfig::Copy(CopyConfig {
            length,
            symbols,
            recall,
        }));
    }
    out.push(TaskConfig::Adding(AddingConfig { length: 2 }));
    out.push(TaskConfig::TemporalOrder(TemporalOrderConfig {
        length: 20,
        positions: 2,
    }));
    out.push(TaskConfig::Agreement(AgreementConfig {
        max_attractors: 0,
        ..Default::default()
    }));
    out.push(TaskConfig::Agreement(AgreementConfig {
        test_max_attractors: Some(4),
        test_max_modifiers: Some(5),
        ..Default::default()
    }));
    out
}

#[test]
fn baseline_names_are_unique_within_a_task() {
    for config in task_variety() {
        let task = build(&config, 1);
        for split in [Split::Train, Split::Valid, Split::Test] {
            let baselines = task.split_baselines(split);
            let mut names: Vec<&str> = baselines.iter().map(|b| b.name).collect();
            names.sort_unstable();
            let before = names.len();
            names.dedup();
            assert_eq!(
                names.len(),
                before,
                "{config:?} {split:?}: two baselines share a name: {baselines:?}"
            );
        }
    }
}

#[test]
fn the_no_learning_loss_is_the_loss_baseline() {
    let loss = |config: TaskConfig| build(&config, 1).no_learning_loss();
    let copy = CopyConfig {
        length: 10,
        symbols: 4,
        recall: 5,
    };
    // The recall steps at chance, cross-entropy ln k, averaged over t + 2r scored steps.
    let expected = 5.0 * 4f64.ln() / 20.0;
    assert!((loss(TaskConfig::Copy(copy)).unwrap() - expected).abs() < 1e-12);
    assert_eq!(
        loss(TaskConfig::Adding(AddingConfig { length: 30 })),
        Some(1.0 / 6.0)
    );
    for (positions, classes) in [(2, 4f64), (3, 8f64)] {
        let t = TaskConfig::TemporalOrder(TemporalOrderConfig {
            length: 30,
            positions,
        });
        assert_eq!(loss(t), Some(classes.ln()));
    }
    assert_eq!(
        loss(TaskConfig::Agreement(AgreementConfig::default())),
        None
    );
    let lm = AgreementConfig {
        form: AgreementForm::LanguageModel,
        ..Default::default()
    };
    assert_eq!(loss(TaskConfig::Agreement(lm)), None);
    // Every task with a loss baseline (or adding's MSE) has a finite, positive one.
    for config in task_variety() {
        let task = build(&config, 1);
        let has_loss = task
            .baselines()
            .iter()
            .any(|b| b.metric == "loss" || (task.kind() == "adding" && b.metric == "mse"));
        match task.no_learning_loss() {
            Some(v) => assert!(v.is_finite() && v >= 0.0, "{config:?}: {v}"),
            None => assert!(!has_loss, "{config:?}"),
        }
    }
}

#[test]
fn build_serves_every_task_with_a_consistent_shape() {
    for config in every_task() {
        let task = build(&config, 3);
        let shape = task.shape();
        let batch = task.batch(Split::Train, 0, 5);
        assert_eq!(batch.meta.len(), 5);
        assert_eq!(task.kind(), config.kind());
        assert_eq!(task.metrics(), config.metrics().columns);
        assert_eq!(task.main_metric(), config.metrics().main);
        assert!(!task.baselines().is_empty());
        for split in [Split::Train, Split::Valid, Split::Test] {
            for b in task.split_baselines(split) {
                assert!(
                    task.catalogue().get(b.metric).is_some(),
                    "{}: baseline `{}` scores `{}`, which the task does not report",
                    config.kind(),
                    b.name,
                    b.metric
                );
            }
        }
        match (&batch.inputs, shape.tokens) {
            (Inputs::Dense { values, channels }, false) => {
                assert_eq!(*channels, shape.inputs);
                assert_eq!(values.len(), 5 * batch.steps * channels);
            }
            (Inputs::Tokens { ids, vocab }, true) => {
                assert_eq!(*vocab, shape.inputs);
                assert_eq!(task.vocab().map(<[String]>::len), Some(*vocab));
                assert_eq!(ids.len(), 5 * batch.steps);
                assert!(ids.iter().all(|&id| (0..*vocab as i64).contains(&id)));
            }
            _ => panic!("{}: inputs disagree with the shape", config.kind()),
        }
        let readout = match &batch.targets {
            Targets::PerStep {
                classes,
                num_classes,
                ..
            } => {
                assert_eq!(*num_classes, shape.outputs);
                assert!(classes
                    .iter()
                    .all(|&c| (0..*num_classes as i64).contains(&c)));
                Readout::PerStep
            }
            Targets::LastClass {
                classes,
                num_classes,
            } => {
                assert_eq!((*num_classes, classes.len()), (shape.outputs, 5));
                Readout::LastClass
            }
            Targets::LastValue { values } => {
                assert_eq!((shape.outputs, values.len()), (1, 5));
                Readout::LastValue
            }
        };
        assert_eq!(readout, shape.readout, "{}", config.kind());
        assert_eq!(task.choices(&batch).is_some(), config.is_language_model());
        for i in 0..5 {
            let example = describe(task.as_ref(), &batch, i);
            assert!(!example.text.is_empty() && example.json.is_object());
        }
    }
}

/// The same batches come out whichever thread draws them and in whatever order.
#[test]
fn data_does_not_depend_on_threads_or_order() {
    for config in every_task() {
        let task = build(&config, 7);
        let serial: Vec<u64> = (0..8)
            .map(|i| task.batch(Split::Valid, i, 6).fingerprint())
            .collect();
        let task = &task;
        let parallel: Vec<(u64, u64)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8u64)
                .rev()
                .map(|i| s.spawn(move || (i, task.batch(Split::Valid, i, 6).fingerprint())))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (i, f) in parallel {
            assert_eq!(serial[i as usize], f, "{} batch {i}", config.kind());
        }
    }
}

#[test]
fn bad_configs_are_errors_not_generators() {
    let err = try_build(
        &TaskConfig::Copy(CopyConfig {
            recall: 0,
            ..Default::default()
        }),
        0,
    )
    .err()
    .unwrap();
    assert_eq!(err.kind, "copy");
    assert!(err.to_string().contains("recall"), "{err}");
    let far = AgreementConfig {
        min_distance: 50,
        ..Default::default()
    };
    assert!(try_build(&TaskConfig::Agreement(far), 0).is_err());
}
