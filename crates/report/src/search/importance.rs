//! Hyperparameter importance of a search, per group: `stats::importance` (functional ANOVA
//! over a seeded random forest, docs/importance.md) on the first rung's scores.
//!
//! Why the first rung: it is the only rung every trial reaches, all at the same budget; a later
//! rung's scores are those of the trials kept, a sample chosen by the score itself, whose
//! spread says little about what each parameter does. Trials that repeat an earlier point are
//! left out (they are the same runs, and would count one point twice), and so are trials
//! without a finite score (a diverged run): the shares are then those of the measured trials,
//! and `n used / total` says how many of the group's trials that is.

use rnnlab_spec::search::{Dimension, Space};
use rnnlab_spec::yaml_scalar;
use serde_yaml::Value as Yaml;

use super::SearchResults;
use crate::stats::importance::{importance, Decomposition, Domain, Options, ParamSpace, Value};

/// The forest's seed: fixed, so the same results folder always gives the same report.
pub(super) const SEED: u64 = 0;

/// One group's importance: the decomposition, or why there is none; and the trials used of
/// the group's distinct trials.
pub(super) struct GroupImportance {
    pub result: Result<Decomposition, String>,
    pub used: usize,
    pub total: usize,
}

/// The importance of each group of `search`, in plan order.
pub(super) fn per_group(search: &SearchResults) -> Vec<GroupImportance> {
    let plan = &search.plan;
    let space: Vec<ParamSpace> = plan.space.iter().map(param).collect();
    let options = Options::new(SEED, plan.select.direction);
    (0..plan.groups.len())
        .map(|g| {
            let distinct: Vec<_> = plan.groups[g]
                .trials
                .iter()
                .filter(|t| t.repeats.is_none())
                .collect();
            let trials: Vec<(Vec<Value>, f64)> = distinct
                .iter()
                .map(|t| (t, search.first_score(g, t.index)))
                .filter(|(_, score)| score.is_finite())
                .map(|(t, score)| {
                    let values = plan
                        .space
                        .iter()
                        .zip(&t.values)
                        .map(|(d, (_, v))| value(d, v))
                        .collect();
                    (values, score)
                })
                .collect();
            GroupImportance {
                used: trials.len(),
                total: distinct.len(),
                result: importance(&space, &trials, &options).map_err(|e| e.to_string()),
            }
        })
        .collect()
}

/// A searched dimension as the estimator sees it (docs/importance.md, "API"): a numeric
/// `choice` is ordered, any other is a set of labels (its values' YAML text).
fn param(d: &Dimension) -> ParamSpace {
    let domain = match &d.space {
        Space::Uniform { low, high } => Domain::Real {
            low: *low,
            high: *high,
            log: false,
        },
        Space::LogUniform { low, high } => Domain::Real {
            low: *low,
            high: *high,
            log: true,
        },
        Space::Int { low, high } => Domain::Integer {
            low: *low,
            high: *high,
        },
        Space::Choice(values) => {
            match values.iter().map(Yaml::as_f64).collect::<Option<Vec<_>>>() {
                Some(mut xs) => {
                    xs.sort_by(f64::total_cmp);
                    xs.dedup();
                    Domain::Ordinal(xs)
                }
                None => {
                    let mut labels: Vec<String> = Vec::new();
                    for l in values.iter().map(yaml_scalar) {
                        if !labels.contains(&l) {
                            labels.push(l);
                        }
                    }
                    Domain::Categorical(labels)
                }
            }
        }
    };
    ParamSpace::new(d.path.clone(), domain)
}

/// A trial's value of dimension `d`, in the form [`param`]'s domain takes.
fn value(d: &Dimension, v: &Yaml) -> Value {
    let numeric_choice =
        matches!(&d.space, Space::Choice(values) if values.iter().all(|c| c.as_f64().is_some()));
    match &d.space {
        Space::Int { .. } => v
            .as_i64()
            .map_or_else(|| Value::Label(yaml_scalar(v)), Value::Int),
        Space::Choice(_) if !numeric_choice => Value::Label(yaml_scalar(v)),
        _ => v
            .as_f64()
            .map_or_else(|| Value::Label(yaml_scalar(v)), Value::Real),
    }
}
