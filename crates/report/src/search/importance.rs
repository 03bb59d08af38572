//! Hyperparameter importance of a search, per group: `stats::importance` (functional ANOVA
//! over a seeded random forest, docs/importance.md) on the first rung's scores.
//!
//! Why the first rung: it is the only rung every trial reaches, all at the same budget; a later
//! rung's scores are those of the trials kept, a sample chosen by the score itself, whose
//! spread says little about what each parameter does. Trials that repeat an earlier point are
//! left out (they are the same runs, and would count one point twice). A trial whose run
//! diverged before the first rung has no score there; under `report.diverged: worst` (the
//! default, as claims count it) it is counted as the worst value (the estimator then works on
//! ranks, docs/importance.md), because dropping it would hide the parameters that make runs
//! diverge, often the learning rate; under `exclude` it is left out. Trials without a score for
//! another reason (a failed run, a rung not decided) are left out. `n used / total` says how
//! many of the group's trials were used.

use rnnlab_spec::search::{Dimension, Space};
use rnnlab_spec::{yaml_scalar, DivergedRule};
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

/// The importance of each group of `search`, in plan order, diverged trials counted by `rule`.
pub(super) fn per_group(search: &SearchResults, rule: DivergedRule) -> Vec<GroupImportance> {
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
                .filter(|(t, score)| {
                    score.is_finite()
                        || (rule == DivergedRule::Worst && diverged(search, g, t.index))
                })
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

/// Whether a run of trial `trial` of `group` diverged (a NaN score is the estimator's
/// "diverged", counted worst).
fn diverged(search: &SearchResults, group: usize, trial: usize) -> bool {
    search
        .trials
        .iter()
        .any(|r| r.group == group && r.trial == trial && r.summary.diverged())
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

#[cfg(test)]
mod tests {
    use rnnlab_spec::{DivergedRule, Run};

    use super::per_group;
    use crate::load::Results;
    use crate::synthetic::{write_search, Outcome};

    /// 40 trials over the learning rate and the width; no halving: one rung, the last step.
    const SWEEP: &str = r#"name: diverging
base:
  task: { kind: adding, length: 20 }
  model: { cell: lstm, hidden: 16 }
  train: { lr: 1.0e-3, steps: 300, eval_every: 100 }
seeds: [1]
search:
  trials: 40
  seed: 3
  space:
    train.lr: { loguniform: [1.0e-4, 1.0e-1] }
    model.hidden: { choice: [8, 16, 32] }
  select: { metric: valid.mse }
  confirm: { seeds: [11] }
"#;

    /// Runs diverge (NaN) above lr 1e-2; below it the score depends on the width alone. The
    /// learning rate then matters only through the diverged trials.
    fn score(run: &Run, _step: usize) -> f64 {
        if run.config.train.lr > 1e-2 {
            f64::NAN
        } else {
            0.01 * run.config.model.hidden as f64
        }
    }

    #[test]
    fn diverged_trials_count_worst_unless_the_sweep_excludes_them() {
        let tmp = tempfile::tempdir().unwrap();
        write_search(tmp.path(), SWEEP, score, usize::MAX, |_| None::<Outcome>).unwrap();
        let results = Results::load(tmp.path()).unwrap();
        let search = results.search.as_ref().unwrap();
        let diverged = (0..40)
            .filter(|&t| search.first_score(0, t).is_nan())
            .count();
        assert!(
            (8..=32).contains(&diverged),
            "the seed should give a mix: {diverged} diverged"
        );
        let lr_share = |rule| {
            let imp = per_group(search, rule).remove(0);
            let d = imp.result.unwrap();
            let lr = d.main.iter().find(|m| m.name == "train.lr").unwrap();
            (imp.used, imp.total, d.diverged, lr.fraction)
        };
        let (used, total, counted, lr) = lr_share(DivergedRule::Worst);
        assert_eq!((used, total, counted), (40, 40, diverged));
        assert!(lr > 0.3, "counted worst, the learning rate matters: {lr}");
        let (used, total, counted, lr) = lr_share(DivergedRule::Exclude);
        assert_eq!((used, total, counted), (40 - diverged, 40, 0));
        assert!(lr < 0.1, "left out, it hardly does: {lr}");
    }
}
