//! Range and combination rules that types alone cannot express (lr > 0, hidden >= 1,
//! bidirectional models on language-model tasks, ...). They run on resolved configs, so they
//! also protect configs built in code or read back from `config.yaml`.
use crate::metric::{self, Direction};
use crate::{
    ClipKind, Diverged, ModelConfig, Optimizer, RunConfig, Skip, StopConfig, TaskConfig,
    TrainConfig,
};

/// How bad a [`Problem`] is: errors stop the sweep; warnings are printed and the sweep runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// Something wrong with a resolved run config.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    /// The config path the problem is about, e.g. `train.lr`.
    pub path: String,
    /// What is wrong and what to do.
    pub message: String,
    pub severity: Severity,
}

impl RunConfig {
    /// Every range and combination rule the config breaks; empty when it can run.
    pub fn check(&self) -> Vec<Problem> {
        let mut out = Problems::default();
        task(&self.task, &mut out);
        model(&self.model, &mut out);
        train(&self.train, &mut out);
        stop(&self.stop, &self.task, &mut out);
        if self.model.bidirectional && matches!(self.task, TaskConfig::Text(_)) {
            out.error(
                "model.bidirectional",
                "a bidirectional model would read the future of the text it predicts (its \
                 backward direction has seen the next token); set `bidirectional: false`",
            );
        } else if self.model.bidirectional && self.task.is_language_model() {
            out.error(
                "model.bidirectional",
                "a bidirectional model cannot be trained on a language-model task: its backward \
                 direction reads the very token it must predict; set `bidirectional: false` or \
                 use the task's `form: number`",
            );
        }
        if self.train.probe_every.is_some()
            && matches!(
                self.task,
                TaskConfig::Agreement(_) | TaskConfig::TreebankAgreement(_)
            )
        {
            out.error(
                "train.probe_every",
                "the gradient-flow probe measures ‖∂L/∂h_t‖ against the distance from the end \
                 of a fixed-length sequence, and agreement sentences differ in length; remove \
                 `probe_every` or probe a copy, adding or temporal_order task",
            );
        }
        out.0
    }
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, path: &str, message: &str, severity: Severity) {
        self.0.push(Problem {
            path: path.into(),
            message: message.into(),
            severity,
        });
    }
    fn error(&mut self, path: &str, message: &str) {
        self.push(path, message, Severity::Error);
    }
    fn warning(&mut self, path: &str, message: &str) {
        self.push(path, message, Severity::Warning);
    }
    fn at_least_one(&mut self, path: &str, value: usize, what: &str) {
        if value == 0 {
            self.error(path, &format!("must be at least 1 (it is 0): {what}"));
        }
    }
    fn positive(&mut self, path: &str, value: f64, what: &str) {
        if !(value > 0.0 && value.is_finite()) {
            self.error(
                path,
                &format!("must be greater than 0 (it is {value}): {what}"),
            );
        }
    }
    fn finite(&mut self, path: &str, value: f64) {
        if !value.is_finite() {
            self.error(path, &format!("must be a finite number (it is {value})"));
        }
    }
    fn unit_interval(&mut self, path: &str, value: f64, what: &str) {
        if !(0.0..1.0).contains(&value) {
            self.error(path, &format!("must be in [0, 1) (it is {value}): {what}"));
        }
    }
}

/// Per-task ranges: the task types' own `check`, whose message starts with the field name.
fn task(task: &TaskConfig, out: &mut Problems) {
    if let Err(e) = task.check() {
        match e.split_once(": ") {
            Some((field, message)) if field.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                out.error(&format!("task.{field}"), message)
            }
            _ => out.error("task", &e),
        }
    }
}

fn model(m: &ModelConfig, out: &mut Problems) {
    out.at_least_one("model.hidden", m.hidden, "units per layer; try 64");
    out.at_least_one(
        "model.layers",
        m.layers,
        "stacked layers; use 1 for a single layer",
    );
    out.unit_interval(
        "model.dropout",
        m.dropout,
        "the probability of dropping a unit between layers; use 0 for none",
    );
    if m.embedding == Some(0) {
        out.error(
            "model.embedding",
            "must be at least 1 (it is 0); leave it out to use the hidden width",
        );
    }
    out.finite("model.forget_bias", m.forget_bias);
    out.finite("model.highway_bias", m.highway_bias);
    if m.layers == 1 && m.dropout > 0.0 && m.dropout < 1.0 {
        out.warning(
            "model.dropout",
            "dropout acts between layers, so with `layers: 1` it has no effect",
        );
    }
    if m.layers == 1 && m.skip != Skip::None {
        out.warning(
            "model.skip",
            "skip connections join stacked layers, so with `layers: 1` they have no effect",
        );
    }
}

fn train(t: &TrainConfig, out: &mut Problems) {
    out.positive("train.lr", t.lr, "the learning rate; try 1.0e-3 for adam");
    out.unit_interval(
        "train.momentum",
        t.momentum,
        "use 0.9 for sgd with momentum",
    );
    out.at_least_one("train.batch", t.batch, "sequences per step; try 64");
    out.at_least_one("train.steps", t.steps, "training updates; try 1000");
    out.at_least_one(
        "train.eval_every",
        t.eval_every,
        "steps between evaluations; try 100",
    );
    out.at_least_one(
        "train.eval_size",
        t.eval_size,
        "examples per evaluation set; try 512",
    );
    if t.checkpoint_every == Some(0) {
        out.error(
            "train.checkpoint_every",
            "must be at least 1 (it is 0); leave it out to checkpoint at every evaluation",
        );
    }
    if t.probe_every == Some(0) {
        out.error(
            "train.probe_every",
            "must be at least 1 (it is 0); leave it out to never probe",
        );
    }
    if t.clip.kind != ClipKind::None {
        out.positive(
            "train.clip.max",
            t.clip.max,
            "the clipping threshold; try 1.0, or set `kind: none` to turn clipping off",
        );
    }
    if t.momentum > 0.0 && t.optimizer != Optimizer::Sgd {
        out.warning(
            "train.momentum",
            "momentum is used by `optimizer: sgd` only and is ignored here",
        );
    }
}

/// The criterion has a bound, and watches a metric the task reports (from the catalogue);
/// a bound on the wrong side of the metric's direction is a warning.
fn stop(s: &StopConfig, task: &TaskConfig, out: &mut Problems) {
    diverged(&s.diverged, out);
    let Some(c) = &s.solved else { return };
    let metrics = task.metrics();
    if c.metric.trim().is_empty() {
        out.error(
            "stop.solved.metric",
            &format!(
                "name the validation metric to watch, e.g. `{}`",
                metrics.main
            ),
        );
    } else if let Err(e) = metric::check_name(&c.metric, &[metrics.kind]) {
        out.error("stop.solved.metric", &e);
    } else if let Some(m) = metrics.get(&c.metric) {
        let (wrong, right) = match m.direction {
            Direction::HigherIsBetter => ("at_most", "at_least"),
            Direction::LowerIsBetter => ("at_least", "at_most"),
        };
        let only_wrong = match m.direction {
            Direction::HigherIsBetter => c.at_most.is_some() && c.at_least.is_none(),
            Direction::LowerIsBetter => c.at_least.is_some() && c.at_most.is_none(),
        };
        if only_wrong {
            out.warning(
                &format!("stop.solved.{wrong}"),
                &format!(
                    "`{}` is better when {}, so `{wrong}` counts a run as solved while it is \
                     still bad; did you mean `{right}`?",
                    m.name,
                    m.direction.word()
                ),
            );
        }
    }
    if c.at_least.is_none() && c.at_most.is_none() {
        out.error(
            "stop.solved",
            "needs `at_least` (for accuracies) or `at_most` (for losses): without one every \
             run would count as solved at its first evaluation",
        );
    }
    for (path, bound) in [
        ("stop.solved.at_least", c.at_least),
        ("stop.solved.at_most", c.at_most),
    ] {
        if let Some(v) = bound {
            out.finite(path, v);
        }
    }
}

/// The loss rule: a factor above 1 (at or below it a run that learned nothing would count as
/// diverged), at least one evaluation.
fn diverged(d: &Diverged, out: &mut Problems) {
    if let Some(k) = d.loss_above_baseline {
        if !(k > 1.0 && k.is_finite()) {
            out.error(
                "stop.diverged.loss_above_baseline",
                &format!(
                    "must be a finite number greater than 1 (it is {k}): the multiple of the \
                     task's no-learning loss above which the run counts as diverged; try {}, or \
                     `null` to turn the loss rule off",
                    Diverged::LOSS_ABOVE_BASELINE
                ),
            );
        }
    }
    out.at_least_one(
        "stop.diverged.evaluations",
        d.evaluations,
        "consecutive evaluations the loss must stay above the bound; try 2",
    );
}

#[cfg(test)]
mod tests;
