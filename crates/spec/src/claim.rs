//! Claims: what a sweep expects to show, and the small grammar of `expect`.
//!
//! The spec crate parses and checks claims against the sweep (so that a typo fails before any
//! run starts); the report crate judges them against results.
use serde::{Deserialize, Serialize};
use serde_yaml::Mapping;

use crate::suggest::{did_you_mean, list};
use crate::sweep::yaml_scalar;
use crate::{MetricRef, Run};

/// An expected outcome: among the runs matching `where`, `metric` compares across the levels of
/// `by` as `expect` says. YAML:
/// `{ name: ..., where: { task.length: 100 }, metric: final.recall_accuracy, by: model.cell,
///    expect: lstm > rnn_tanh }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// A sentence that says what is claimed; shown in the report.
    pub name: String,
    /// Grid axes (or `variant`) fixed to one level each. Default: all runs.
    #[serde(default, rename = "where")]
    pub filter: Mapping,
    /// The metric compared, e.g. `final.recall_accuracy`: a [`MetricRef`] that every task kind
    /// of the compared runs reports.
    pub metric: String,
    /// The comparison, e.g. `lstm > rnn_tanh` (see [`parse_expect`]).
    pub expect: String,
    /// The grid axis (or `variant`) whose levels `expect` compares.
    pub by: String,
    /// The test: `exact` (default: chosen from the metric, see the report's `verdict`) or
    /// `welch` (Welch's t-test, whose p rests on normality).
    #[serde(default, skip_serializing_if = "ClaimTest::is_default")]
    pub test: ClaimTest,
}

/// Which test judges a claim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimTest {
    /// Exact tests chosen from the metric: permutation, Boschloo, or the log-rank permutation.
    #[default]
    Exact,
    /// Welch's t-test.
    Welch,
}

impl ClaimTest {
    fn is_default(&self) -> bool {
        *self == ClaimTest::Exact
    }
}

/// How the two levels of a claim compare. "About the same" is a claim only with a margin
/// (`~ ... within δ`, tested by two one-sided tests): failing to find a difference is not
/// evidence that there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// `>`: the left level's metric is higher (a one-sided test).
    Greater,
    /// `<`: the left level's metric is lower (a one-sided test).
    Less,
    /// `!=`: the two differ, either way (a two-sided test).
    Differs,
    /// `~ ... within δ`: the difference lies inside (-δ, +δ) (Schuirmann's TOST).
    Equivalent,
}

impl Relation {
    /// The operator as written in `expect`.
    pub fn symbol(self) -> &'static str {
        match self {
            Relation::Greater => ">",
            Relation::Less => "<",
            Relation::Differs => "!=",
            Relation::Equivalent => "~",
        }
    }
}

/// A parsed `expect`: `left relation right`, both levels of the claim's `by`; `margin` is
/// the δ of an equivalence claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub left: String,
    pub relation: Relation,
    pub right: String,
    pub margin: Option<f64>,
}

impl Claim {
    /// The comparison `expect` makes; see [`parse_expect`].
    pub fn comparison(&self) -> Result<Comparison, String> {
        parse_expect(&self.expect)
    }

    /// The `where` filter as `(path, level)` text pairs, levels written as in the grid.
    pub fn filter_levels(&self) -> Vec<(String, String)> {
        self.filter
            .iter()
            .map(|(k, v)| (yaml_scalar(k), yaml_scalar(v)))
            .collect()
    }
}

/// Parses `expect`, where A and B are levels of `by` as written in the grid (or variant
/// names), trimmed: `A > B` and `A < B` (one-sided), `A != B` (two-sided), or
/// `A ~ B within δ` (equivalence within a margin δ > 0, in the metric's units). `>=`, `<=`,
/// `=` and chains are rejected: each claim is one test of two levels.
pub fn parse_expect(text: &str) -> Result<Comparison, String> {
    let example = "write `A > B`, `A < B`, `A != B` or `A ~ B within 0.01` with A and B levels \
                   of `by`, e.g. `lstm > rnn_tanh`";
    let (body, margin) = match text.split_once(" within ") {
        Some((body, m)) => {
            let m = m.trim();
            match m.parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => (body, Some(v)),
                _ => {
                    return Err(format!(
                        "`{text}`: the margin `{m}` must be a positive number (the largest \
                         difference that still counts as equivalent, in the metric's units)"
                    ))
                }
            }
        }
        None => (text, None),
    };
    let ops: Vec<(usize, char)> = body
        .char_indices()
        .filter(|(_, c)| matches!(c, '>' | '<' | '=' | '~' | '!'))
        .collect();
    let (at, width, relation) = match ops.as_slice() {
        [] => return Err(format!("`{text}` compares nothing: {example}")),
        [(i, '>')] => (*i, 1, Relation::Greater),
        [(i, '<')] => (*i, 1, Relation::Less),
        [(i, '!'), (j, '=')] if *j == i + 1 => (*i, 2, Relation::Differs),
        [(i, '~')] => (*i, 1, Relation::Equivalent),
        [(_, '>' | '<'), (_, '=')] | [(_, '='), ..] => {
            return Err(format!(
                "`{text}`: `>=`, `<=` and `=` are not claims (a tie cannot be shown by a test); \
                 {example}"
            ))
        }
        _ => {
            return Err(format!(
                "`{text}` has more than one comparison: a claim compares two levels; write \
                 one claim per pair"
            ))
        }
    };
    match (relation, margin) {
        (Relation::Equivalent, None) => {
            return Err(format!(
                "`{text}`: an equivalence claim needs its margin, e.g. `lstm ~ gru within 0.01`"
            ))
        }
        (r, Some(_)) if r != Relation::Equivalent => {
            return Err(format!(
                "`{text}`: `within` belongs to equivalence claims (`A ~ B within δ`)"
            ))
        }
        _ => {}
    }
    let (left, right) = (body[..at].trim(), body[at + width..].trim());
    if left.is_empty() || right.is_empty() {
        let side = if left.is_empty() { "before" } else { "after" };
        return Err(format!(
            "`{text}` has no level {side} `{}`: {example}",
            relation.symbol()
        ));
    }
    Ok(Comparison {
        left: left.to_owned(),
        relation,
        right: right.to_owned(),
        margin,
    })
}

/// Checks a metric reference's form: `final.NAME` or `best.NAME` (NAME in lowercase letters,
/// digits and `_`), or a summary [`Scalar`](crate::Scalar). Which NAMEs each task kind reports
/// is the [catalogue](crate::metric)'s to say: see [`MetricRef::check_tasks`].
pub fn check_metric(metric: &str) -> Result<(), String> {
    MetricRef::parse(metric).map(|_| ())
}

/// The task kinds of `runs`, each once, in order of first appearance.
pub(crate) fn task_kinds<'a>(runs: impl IntoIterator<Item = &'a Run>) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    for run in runs {
        let kind = run.config.task.kind();
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// A grid axis (or `variant`) and its levels as text, as written in the sweep.
pub(crate) type Axis = (String, Vec<String>);

/// A problem found in a claim: the key of the claim it concerns and the message.
pub(crate) type ClaimProblem = (&'static str, String);

/// Checks a claim against the sweep's axes and expanded runs: the metric exists for the task
/// kinds of the runs it compares, `by` and `where` name axes, every level exists, and each
/// level compared has runs under the filter.
/// `runs` are the runs that resolved; `complete` is false when some grid points failed to:
/// levels are then not checked for runs, since missing runs would be the other errors' doing.
pub(crate) fn check_claim(
    claim: &Claim,
    axes: &[Axis],
    resolved: &[Run],
    complete: bool,
) -> Vec<ClaimProblem> {
    let mut problems = Vec::new();
    if claim.name.trim().is_empty() {
        problems.push((
            "name",
            "a claim needs a non-empty `name` that says what it claims".into(),
        ));
    }
    let metric = MetricRef::parse(&claim.metric);
    if let Err(e) = &metric {
        problems.push(("metric", e.clone()));
    }
    let runs = complete.then_some(resolved);
    let names: Vec<&str> = axes.iter().map(|(a, _)| a.as_str()).collect();
    let axis = |name: &str| axes.iter().find(|(a, _)| a == name);
    let unknown_axis = |name: &str| {
        format!(
            "`{name}` is not a grid axis{}; claims compare the levels of one of {}",
            did_you_mean(name, names.iter().copied()),
            if names.is_empty() {
                "(none: add a `grid:` or `variants:`)".to_string()
            } else {
                list(names.iter().copied())
            }
        )
    };
    let by = axis(&claim.by);
    if by.is_none() {
        problems.push(("by", unknown_axis(&claim.by)));
    }
    let filter = claim.filter_levels();
    let problems_before_filter = problems.len();
    for (path, level) in &filter {
        match axis(path) {
            None => problems.push(("where", unknown_axis(path))),
            Some(_) if *path == claim.by => problems.push((
                "where",
                format!("`{path}` is the claim's `by` axis: it cannot also be fixed in `where`"),
            )),
            Some((_, levels)) if !levels.contains(level) => problems.push((
                "where",
                format!(
                    "`{level}` is not a level of `{path}`{}; levels: {}",
                    did_you_mean(level, levels.iter().map(String::as_str)),
                    list(levels.iter().map(String::as_str))
                ),
            )),
            Some(_) => {}
        }
    }
    let runs = runs.filter(|_| problems.len() == problems_before_filter);
    let comparison = claim.comparison();
    if let Ok(metric) = &metric {
        // The task kinds of the runs compared: under `where`, at the two levels of `by`.
        let compared = |run: &&Run| {
            let value = |key: &str| run.params.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            filter.iter().all(|(k, v)| value(k) == Some(v))
                && comparison
                    .as_ref()
                    .ok()
                    .is_none_or(|c| value(&claim.by).is_some_and(|v| *v == c.left || *v == c.right))
        };
        let mut kinds = task_kinds(resolved.iter().filter(compared));
        if kinds.is_empty() {
            kinds = task_kinds(resolved);
        }
        if let Err(e) = metric.check_tasks(&kinds) {
            problems.push(("metric", e));
        }
    }
    let comparison = match comparison {
        Ok(c) => c,
        Err(e) => {
            problems.push(("expect", e));
            return problems;
        }
    };
    let Some((by_name, levels)) = by else {
        return problems;
    };
    {
        let c = &comparison;
        for level in [&c.left, &c.right] {
            if !levels.contains(level) {
                problems.push((
                    "expect",
                    format!(
                        "`{level}` is not a level of `{by_name}`{}; levels: {}",
                        did_you_mean(level, levels.iter().map(String::as_str)),
                        list(levels.iter().map(String::as_str))
                    ),
                ));
            } else if runs.is_some_and(|runs| !has_runs(runs, &filter, by_name, level)) {
                problems.push((
                    "expect",
                    format!(
                        "no run has {by_name}={level}{}: it is excluded; change `where` or `exclude`",
                        filter
                            .iter()
                            .map(|(k, v)| format!(" {k}={v}"))
                            .collect::<String>()
                    ),
                ));
            }
        }
        if c.left == c.right {
            problems.push(("expect", format!("`{}` is compared with itself", c.left)));
        }
    }
    problems.dedup();
    problems
}

/// Whether `run` is one of the claim's: it has `by` (at `level`, when given) and every
/// `where` level.
pub(crate) fn compares(
    run: &Run,
    filter: &[(String, String)],
    by: &str,
    level: Option<&str>,
) -> bool {
    let value = |key: &str| {
        run.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    value(by).is_some_and(|v| level.is_none_or(|l| v == l))
        && filter.iter().all(|(k, v)| value(k) == Some(v.as_str()))
}

fn has_runs(runs: &[Run], filter: &[(String, String)], by: &str, level: &str) -> bool {
    runs.iter()
        .any(|run| compares(run, filter, by, Some(level)))
}

mod warnings;
pub(crate) use warnings::{power_warning, stop_warning};

#[cfg(test)]
mod tests;
