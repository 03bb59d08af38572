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
use std::str::FromStr;

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

/// A metric reference, as claims and report hints write it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MetricRef {
    /// `final.NAME`: the metric on the final test evaluation (summary.json `final`).
    Final(String),
    /// `best.NAME`: the best validation value over the run (summary.json `best`).
    Best(String),
    /// A summary scalar: `steps_to_solve`, `wall_s`, ...
    Scalar(Scalar),
}

/// The scopes of per-evaluation references.
const SCOPES: [&str; 2] = ["final", "best"];

impl MetricRef {
    /// Parses a reference's form: `final.NAME` or `best.NAME` with NAME in lowercase letters,
    /// digits and `_`, or a [`Scalar`]'s name. Whether a task reports NAME is
    /// [`MetricRef::check_tasks`]'s question. `Err` says what to write instead.
    pub fn parse(text: &str) -> Result<MetricRef, String> {
        if let Some(s) = Scalar::from_name(text) {
            return Ok(MetricRef::Scalar(s));
        }
        match text.split_once('.') {
            Some((scope, name)) if SCOPES.contains(&scope) => {
                let ok = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    return Err(format!(
                        "`{name}` is not a metric name: use lowercase letters, digits and `_`, e.g. `{scope}.accuracy`"
                    ));
                }
                Ok(if scope == "final" {
                    MetricRef::Final(name.to_owned())
                } else {
                    MetricRef::Best(name.to_owned())
                })
            }
            Some((scope, name)) => Err(format!(
                "unknown metric scope `{scope}`{}; write `final.{name}` (value at the last evaluation) or `best.{name}` (best evaluation)",
                did_you_mean(scope, SCOPES)
            )),
            None => Err(format!(
                "unknown metric `{text}`{}; write `final.{text}` or `best.{text}`, or one of {}",
                did_you_mean(text, Scalar::names()),
                list(Scalar::names())
            )),
        }
    }

    /// The per-evaluation metric's name (`final.mse` → `mse`); `None` for a scalar.
    pub fn metric_name(&self) -> Option<&str> {
        match self {
            MetricRef::Final(m) | MetricRef::Best(m) => Some(m),
            MetricRef::Scalar(_) => None,
        }
    }

    /// Which way the referenced metric is better; `None` for a name no task reports.
    pub fn direction(&self) -> Option<Direction> {
        match self {
            MetricRef::Final(m) | MetricRef::Best(m) => evaluation_direction(m),
            MetricRef::Scalar(s) => Some(s.direction()),
        }
    }

    /// Whether larger values are better; false for a name no task reports.
    pub fn higher_is_better(&self) -> bool {
        self.direction().is_some_and(Direction::higher_is_better)
    }

    /// Checks that every task kind in `kinds` reports the referenced metric (scalars exist for
    /// every run). `Err` names the kinds that do not, with the closest reference they do.
    pub fn check_tasks(&self, kinds: &[&str]) -> Result<(), String> {
        match self {
            MetricRef::Final(m) => check_in(m, kinds, "final."),
            MetricRef::Best(m) => check_in(m, kinds, "best."),
            MetricRef::Scalar(_) => Ok(()),
        }
    }
}

impl fmt::Display for MetricRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricRef::Final(m) => write!(f, "final.{m}"),
            MetricRef::Best(m) => write!(f, "best.{m}"),
            MetricRef::Scalar(s) => write!(f, "{s}"),
        }
    }
}

impl FromStr for MetricRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        MetricRef::parse(s)
    }
}

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
mod tests {
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
}
