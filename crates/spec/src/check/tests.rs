use super::*;
use crate::{AgreementConfig, AgreementForm, CopyConfig, Criterion, TaskConfig};

fn config() -> RunConfig {
    RunConfig {
        task: TaskConfig::Copy(CopyConfig::default()),
        model: ModelConfig::default(),
        train: TrainConfig::default(),
        stop: StopConfig::default(),
        seed: 1,
    }
}

fn paths(c: &RunConfig) -> Vec<String> {
    c.check().into_iter().map(|p| p.path).collect()
}

#[test]
fn defaults_pass() {
    assert!(config().check().is_empty());
}

#[test]
fn ranges_are_enforced() {
    let mut c = config();
    c.model.hidden = 0;
    c.train.lr = 0.0;
    c.train.clip.kind = ClipKind::Norm;
    c.train.clip.max = -1.0;
    c.model.dropout = 1.0;
    assert_eq!(
        paths(&c),
        [
            "model.hidden",
            "model.dropout",
            "train.lr",
            "train.clip.max"
        ]
    );
    c.train.clip.kind = ClipKind::None;
    assert!(!paths(&c).contains(&"train.clip.max".to_string()));
}

#[test]
fn the_divergence_rule_is_checked() {
    let mut c = config();
    c.stop.diverged = Diverged::off();
    assert!(c.check().is_empty());
    for bad in [1.0, 0.5, -3.0, f64::INFINITY, f64::NAN] {
        c.stop.diverged.loss_above_baseline = Some(bad);
        assert_eq!(paths(&c), ["stop.diverged.loss_above_baseline"], "{bad}");
    }
    c.stop.diverged.loss_above_baseline = Some(1.5);
    assert!(c.check().is_empty());
    c.stop.diverged.evaluations = 0;
    assert_eq!(paths(&c), ["stop.diverged.evaluations"]);
}

#[test]
fn bidirectional_language_models_are_rejected() {
    let mut c = config();
    c.model.bidirectional = true;
    assert!(c.check().is_empty());
    c.task = TaskConfig::Agreement(AgreementConfig {
        form: AgreementForm::LanguageModel,
        ..AgreementConfig::default()
    });
    assert_eq!(paths(&c), ["model.bidirectional"]);
}

#[test]
fn the_gradient_flow_probe_needs_a_fixed_length_task() {
    let mut c = config();
    c.train.probe_every = Some(10);
    assert!(c.check().is_empty());
    c.task = TaskConfig::Agreement(AgreementConfig::default());
    assert_eq!(paths(&c), ["train.probe_every"]);
}

#[test]
fn a_criterion_needs_a_threshold_and_warnings_are_warnings() {
    let mut c = config();
    c.stop.solved = Some(Criterion {
        metric: "accuracy".into(),
        at_least: None,
        at_most: None,
    });
    c.model.dropout = 0.2;
    let problems = c.check();
    assert_eq!(problems[0].path, "model.dropout");
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(problems[1].path, "stop.solved");
    assert_eq!(problems[1].severity, Severity::Error);
}

#[test]
fn the_stop_metric_is_one_the_task_reports() {
    let mut c = config();
    let solved = |metric: &str, at_least, at_most| {
        Some(Criterion {
            metric: metric.into(),
            at_least,
            at_most,
        })
    };
    c.stop.solved = solved("recall_accuracy", Some(0.99), None);
    assert!(c.check().is_empty());
    c.stop.solved = solved("recal_accuracy", Some(0.99), None);
    let problems = c.check();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "stop.solved.metric");
    assert!(
        problems[0].message.starts_with(
            "`recal_accuracy` is not a metric of task `copy` (did you mean `recall_accuracy`?)"
        ),
        "{}",
        problems[0].message
    );
    c.task = TaskConfig::Adding(Default::default());
    c.stop.solved = solved("mse", Some(0.5), None);
    let problems = c.check();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].path.as_str(), problems[0].severity),
        ("stop.solved.at_least", Severity::Warning)
    );
    assert!(problems[0].message.contains("did you mean `at_most`?"));
    c.stop.solved = solved("mse", None, Some(0.01));
    assert!(c.check().is_empty());
}
