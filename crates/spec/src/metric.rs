//! The metric catalogue: every metric a task kind reports and every `summary.json` scalar,
//! with its direction and unit, declared once.
//!
//! Validation checks `stop.solved.metric`, claims and report hints against it; the tasks crate
//! takes its metric columns and main metric from it; training keeps the best value of each
//! metric and the report compares and ranks with [`higher_is_better`], the one answer to
//! "which way is better" in the workspace. `docs/results.md` lists the same catalogue (a test
//! keeps the two equal).
//!
//! A metric is referred to in three ways:
//! * by its bare name (`mse`) where a run watches its validation value (`stop.solved.metric`);
//! * as a [`MetricRef`] in claims and report hints: `final.NAME` (the final test evaluation),
//!   `best.NAME` (the best validation value over the run), or a summary [`Scalar`]
//!   (`steps_to_solve`, `wall_s`, ...).
use std::fmt;

use crate::suggest::{closest, did_you_mean, list};

/// Which way a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Accuracies, rates, shares solved.
    HigherIsBetter,
    /// Losses, errors, times, sizes, shares diverged.
    LowerIsBetter,
}

impl Direction {
    pub fn higher_is_better(self) -> bool {
        self == Direction::HigherIsBetter
    }

    /// Whether `a` is strictly better than `b`.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::HigherIsBetter => a > b,
            Direction::LowerIsBetter => a < b,
        }
    }

    /// `higher` or `lower`: the better side, as the docs write it.
    pub fn word(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher",
            Direction::LowerIsBetter => "lower",
        }
    }
}

/// The `split` values of metrics.csv rows that carry a metric.
pub const EVERY_SPLIT: &[&str] = &["train", "valid", "test"];
/// Evaluations only: train rows carry the running loss alone.
pub const EVALUATIONS: &[&str] = &["valid", "test"];

/// One metric: a metrics.csv column (and `final`/`best` key of summary.json), or a summary
/// scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub name: &'static str,
    pub direction: Direction,
    /// What a value counts: `nats`, `fraction`, `seconds`, ...
    pub unit: &'static str,
    /// The metrics.csv splits whose rows carry it ([`EVERY_SPLIT`] or [`EVALUATIONS`]); empty
    /// for summary scalars, which are one value per run.
    pub splits: &'static [&'static str],
    /// One line: what is measured.
    pub doc: &'static str,
}

impl Metric {
    pub fn higher_is_better(&self) -> bool {
        self.direction.higher_is_better()
    }
}

/// The metrics of one task kind, as every run of that kind reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskMetrics {
    /// The task kind (`copy`, `adding`, ...), as in `task.kind`.
    pub kind: &'static str,
    /// The headline metric: the one that says whether the task is learned.
    pub main: &'static str,
    /// Every metric, `loss` first, in metrics.csv column order.
    pub metrics: &'static [Metric],
    /// Their names, in the same order: metrics.csv's task columns (`loss` included).
    pub columns: &'static [&'static str],
}

impl TaskMetrics {
    /// The metric called `name`, if the task reports it.
    pub fn get(&self, name: &str) -> Option<&'static Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }

    /// The headline metric's definition.
    pub fn main_metric(&self) -> &'static Metric {
        self.get(self.main)
            .expect("a task's main metric is one of its metrics")
    }
}

macro_rules! task {
    ($kind:literal, main: $main:literal, [$($metric:expr),+ $(,)?]) => {
        TaskMetrics {
            kind: $kind,
            main: $main,
            metrics: &[$($metric),+],
            columns: &[$($metric.name),+],
        }
    };
}

const fn metric(
    name: &'static str,
    direction: Direction,
    unit: &'static str,
    splits: &'static [&'static str],
    doc: &'static str,
) -> Metric {
    Metric {
        name,
        direction,
        unit,
        splits,
        doc,
    }
}

use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower};

/// Every task kind's metrics, in the order the docs list the tasks.
pub const TASKS: &[TaskMetrics] = &[
    task!("copy", main: "recall_accuracy", [
        metric("loss", Lower, "nats", EVERY_SPLIT,
            "mean cross-entropy over all T + 2R output steps"),
        metric("accuracy", Higher, "fraction", EVALUATIONS,
            "share of all output steps (blanks included) predicted right"),
        metric("recall_accuracy", Higher, "fraction", EVALUATIONS,
            "share of the R recall steps predicted right (chance 1/symbols)"),
    ]),
    task!("adding", main: "mse", [
        metric("loss", Lower, "squared error", EVERY_SPLIT,
            "mean squared error of the last step's output"),
        metric("mse", Lower, "squared error", EVALUATIONS,
            "mean squared error of the predicted sum (always answering 1 scores 1/6)"),
    ]),
    task!("temporal_order", main: "accuracy", [
        metric("loss", Lower, "nats", EVERY_SPLIT,
            "mean cross-entropy of the class read at the last step"),
        metric("accuracy", Higher, "fraction", EVALUATIONS,
            "share of sequences classified right (chance 1/4 or 1/8)"),
    ]),
    task!("agreement", main: "accuracy", [
        metric("loss", Lower, "nats", EVERY_SPLIT,
            "mean cross-entropy: of the verb's number (number form), of each next token (language-model form)"),
        metric("accuracy", Higher, "fraction", EVALUATIONS,
            "share of sentences whose verb agrees: the right number predicted, or the grammatical form scored above the other"),
    ]),
    task!("treebank_agreement", main: "accuracy", [
        metric("loss", Lower, "nats", EVERY_SPLIT,
            "mean cross-entropy of the verb's number, read at the last word of the prefix"),
        metric("accuracy", Higher, "fraction", EVALUATIONS,
            "share of treebank pairs whose verb's number is predicted right"),
    ]),
    task!("text", main: "perplexity", [
        metric("loss", Lower, "nats", EVERY_SPLIT,
            "mean cross-entropy of each next token, in nats per token"),
        metric("accuracy", Higher, "fraction", EVALUATIONS,
            "share of next tokens predicted right (the argmax is the token that follows)"),
        metric("perplexity", Lower, "tokens", EVALUATIONS,
            "exp(loss) over a whole split: the effective number of equally likely next tokens"),
        metric("bits_per_token", Lower, "bits", EVALUATIONS,
            "loss / ln 2; at char level the bits per character of Graves 2013 and Karpathy et al. 2015"),
    ]),
];

/// The metrics of task kind `kind`; `None` for a kind the catalogue does not know.
pub fn task(kind: &str) -> Option<&'static TaskMetrics> {
    TASKS.iter().find(|t| t.kind == kind)
}

/// A scalar of `summary.json`, one value per run, usable in claims and report hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    StepsToSolve,
    Solved,
    Diverged,
    WallS,
    StepsPerS,
    Params,
    Steps,
}

impl Scalar {
    /// Every scalar, in the order the docs list them.
    pub const ALL: [Scalar; 7] = [
        Scalar::StepsToSolve,
        Scalar::Solved,
        Scalar::Diverged,
        Scalar::WallS,
        Scalar::StepsPerS,
        Scalar::Params,
        Scalar::Steps,
    ];

    /// Its definition (`splits` is empty: a scalar is one value per run).
    pub fn def(self) -> &'static Metric {
        &SCALARS[self as usize]
    }

    /// Its name in `summary.json` and in references (`wall_s`).
    pub fn name(self) -> &'static str {
        self.def().name
    }

    pub fn direction(self) -> Direction {
        self.def().direction
    }

    /// The scalar called `name`.
    pub fn from_name(name: &str) -> Option<Scalar> {
        Scalar::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The names of every scalar, in order.
    pub fn names() -> impl Iterator<Item = &'static str> + Clone {
        Scalar::ALL.into_iter().map(Scalar::name)
    }
}

/// The scalars' definitions, in the order of [`Scalar::ALL`] (a test checks).
static SCALARS: [Metric; 7] = {
    const ONE_PER_RUN: &[&str] = &[];
    [
        metric("steps_to_solve", Lower, "steps", ONE_PER_RUN,
            "step of the first evaluation meeting `stop.solved`; missing when the run was not solved"),
        metric("solved", Higher, "0 or 1", ONE_PER_RUN,
            "1 when the run met `stop.solved`; its mean over seeds is the share solved"),
        metric("diverged", Lower, "0 or 1", ONE_PER_RUN,
            "1 when the run diverged (`stop.diverged`: a NaN or infinite loss or gradient, or a validation loss far above the task's no-learning loss); its mean is the share diverged"),
        metric("wall_s", Lower, "seconds", ONE_PER_RUN, "training wall time"),
        metric("steps_per_s", Higher, "steps/s", ONE_PER_RUN, "training updates per second"),
        metric("params", Lower, "count", ONE_PER_RUN, "trainable parameters"),
        metric("steps", Lower, "steps", ONE_PER_RUN,
            "updates done: `train.steps`, or fewer when the run stopped early"),
    ]
};

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

mod reference;
use reference::SCOPES;
pub use reference::{is_eval_set_name, EvalRef, MetricRef};

/// The direction of a per-evaluation metric, whichever task reports it (a name means the same
/// direction in every task; a test checks).
fn evaluation_direction(name: &str) -> Option<Direction> {
    TASKS.iter().find_map(|t| t.get(name)).map(|m| m.direction)
}

/// Which way `metric` is better: a reference (`final.mse`, `best.accuracy`, `wall_s`) or a
/// bare per-evaluation name (`mse`, as metrics.csv and `stop.solved` name it). `None` for a
/// name the catalogue does not know.
pub fn direction(metric: &str) -> Option<Direction> {
    match MetricRef::parse(metric) {
        Ok(r) => r.direction(),
        Err(_) => evaluation_direction(metric),
    }
}

/// Whether larger values of `metric` are better (see [`direction`] for the accepted forms).
/// A name the catalogue does not know counts as lower-is-better, like a loss.
pub fn higher_is_better(metric: &str) -> bool {
    direction(metric).is_some_and(Direction::higher_is_better)
}

/// Checks a bare per-evaluation metric name (`stop.solved.metric`) against every task kind in
/// `kinds`. `Err` says which kinds lack it and what they report.
pub fn check_name(name: &str, kinds: &[&str]) -> Result<(), String> {
    if let Some(text) = SCOPES
        .iter()
        .find_map(|s| name.strip_prefix(s).and_then(|n| n.strip_prefix('.')))
    {
        return Err(format!(
            "`{name}` is a reference; here the metric is named bare, as metrics.csv does: write `{text}`"
        ));
    }
    check_in(name, kinds, "")
}

/// The metrics every task kind in `kinds` reports, in the first kind's column order. Unknown
/// kinds report nothing.
pub fn common(kinds: &[&str]) -> Vec<&'static str> {
    let Some(first) = kinds.first().and_then(|k| task(k)) else {
        return Vec::new();
    };
    first
        .columns
        .iter()
        .copied()
        .filter(|m| {
            kinds
                .iter()
                .all(|k| task(k).is_some_and(|t| t.get(m).is_some()))
        })
        .collect()
}

/// The main metric shared by every task kind in `kinds`, if they agree on one.
pub fn shared_main(kinds: &[&str]) -> Option<&'static str> {
    let first = task(kinds.first()?)?.main;
    kinds
        .iter()
        .all(|k| task(k).is_some_and(|t| t.main == first))
        .then_some(first)
}

/// `name` must be reported by every kind; `prefix` is how a suggestion is written (`final.`).
fn check_in(name: &str, kinds: &[&str], prefix: &str) -> Result<(), String> {
    let unknown: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|k| task(k).is_none())
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "the metric catalogue has no task kind {}",
            list(unknown)
        ));
    }
    let lacking: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|k| task(k).is_some_and(|t| t.get(name).is_none()))
        .collect();
    if lacking.is_empty() {
        return Ok(());
    }
    let shared = common(kinds);
    let hint = closest(name, shared.iter().copied())
        .map(|c| format!(" (did you mean `{prefix}{c}`?)"))
        .unwrap_or_default();
    let refs: Vec<String> = shared.iter().map(|m| format!("{prefix}{m}")).collect();
    let refs = list(refs.iter().map(String::as_str));
    let of = if lacking.len() == 1 {
        format!("task `{}`", lacking[0])
    } else {
        format!("tasks {}", list(lacking.iter().copied()))
    };
    if kinds.len() == 1 {
        Err(format!(
            "`{name}` is not a metric of {of}{hint}; it reports {refs}"
        ))
    } else {
        Err(format!(
            "`{name}` is not a metric of {of}{hint}; the metric must exist for every task kind \
             these runs use ({}), and all of them report {refs}",
            list(kinds.iter().copied())
        ))
    }
}

#[cfg(test)]
mod tests;
