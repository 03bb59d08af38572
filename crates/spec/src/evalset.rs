//! The `eval:` block: named sets of external test files that `rnnlab run` scores the sweep's
//! saved runs on once they finish (docs/eval.md), so that claims can compare accuracy on them
//! (`metric: eval.handcrafted`) without a hand-run step between training and the verdict.
//!
//! A set may give different files to different runs: a number-form and a language-model run
//! read the same sentences in two formats (`agreement-handcrafted.tsv` and `-pairs.tsv`), and a
//! claim across the two forms needs one name for both.
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_yaml::Mapping;

use crate::claim::compares;
use crate::locate::{Target, YamlPath};
use crate::metric::is_eval_set_name;
use crate::suggest::{did_you_mean, list};
use crate::sweep::yaml_scalar;
use crate::validate::Diag;
use crate::{MetricRef, Run, Sweep};

/// The `eval:` block: set name → the files its runs are scored on. YAML:
/// `eval: { handcrafted: [ { data: experiments/data/agreement-handcrafted.tsv, where: { variant: number } } ] }`.
pub type EvalSets = BTreeMap<String, Vec<EvalFile>>;

/// One file of an eval set and the runs it scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalFile {
    /// The test file, relative to the folder `rnnlab run` is started in: `prefix<TAB>sg|pl`
    /// lines (number form) or `prefix<TAB>good<TAB>bad` (language-model form), as
    /// `rnnlab eval --data` reads it.
    pub data: PathBuf,
    /// Grid axes (or `variant`) fixed to one level each: the runs this file scores. Default:
    /// every run.
    #[serde(default, rename = "where", skip_serializing_if = "Mapping::is_empty")]
    pub filter: Mapping,
}

impl EvalFile {
    /// The `where` filter as `(path, level)` text pairs.
    pub fn filter_levels(&self) -> Vec<(String, String)> {
        self.filter
            .iter()
            .map(|(k, v)| (yaml_scalar(k), yaml_scalar(v)))
            .collect()
    }

    /// Whether this file scores `params` (a run's parameters, as params.json holds them).
    pub fn scores(&self, params: &[(String, String)]) -> bool {
        self.filter_levels()
            .iter()
            .all(|(k, v)| params.iter().any(|(pk, pv)| pk == k && pv == v))
    }
}

/// The file of `set` that scores a run with `params`, if any.
pub fn file_for<'a>(set: &'a [EvalFile], params: &[(String, String)]) -> Option<&'a EvalFile> {
    set.iter().find(|f| f.scores(params))
}

/// Checks the `eval:` block against the sweep's axes and runs: names that can be folders,
/// files that exist, `where` levels that exist, each run scored by at most one file of a set,
/// and every scored run saving its weights.
pub(crate) fn check_eval_sets(
    sweep: &Sweep,
    axes: &[(String, Vec<String>)],
    runs: &[Run],
    diag: &mut Diag<'_>,
) {
    for (name, files) in &sweep.eval {
        let at = YamlPath::top("eval").key(name);
        if !is_eval_set_name(name) {
            diag.error(
                &at,
                Target::Key,
                format!(
                    "`{name}` cannot name an eval set: use lowercase letters, digits, `_` and \
                     `-` (it names the folder eval/{name}/ and the metric `eval.{name}`)"
                ),
            );
        }
        if files.is_empty() {
            diag.error(
                &at,
                Target::Value,
                "an eval set lists at least one `{ data: FILE }`",
            );
        }
        for (i, file) in files.iter().enumerate() {
            let at = at.index(i);
            // A warning, not an error: a results folder's sweep.yaml is read back from
            // anywhere (report, check), where the file need not be; `rnnlab run` refuses to
            // start without it (`missing_files`).
            if !file.data.is_file() {
                diag.warn(&at.key("data"), Target::Value, missing_file(&file.data));
            }
            for (path, level) in file.filter_levels() {
                let Some((_, levels)) = axes.iter().find(|(a, _)| *a == path) else {
                    let names = axes.iter().map(|(a, _)| a.as_str());
                    diag.error(
                        &at.key("where").key(&path),
                        Target::Key,
                        format!(
                            "`{path}` is not a grid axis{}; axes: {}",
                            did_you_mean(&path, names.clone()),
                            list(names)
                        ),
                    );
                    continue;
                };
                if !levels.contains(&level) {
                    diag.error(
                        &at.key("where").key(&path),
                        Target::Value,
                        format!(
                            "`{level}` is not a level of `{path}`; levels: {}",
                            list(levels.iter().map(String::as_str))
                        ),
                    );
                }
            }
        }
        let mut unsaved = Vec::new();
        for run in runs {
            let mine: Vec<usize> = (0..files.len())
                .filter(|&i| files[i].scores(&run.params))
                .collect();
            if mine.len() > 1 {
                diag.error(
                    &at.index(mine[1]).key("where"),
                    Target::Value,
                    format!(
                        "run {} is scored by files {} and {} of this set: give each file \
                         `where` levels that pick different runs",
                        run.id, mine[0], mine[1]
                    ),
                );
                break;
            }
            if !mine.is_empty() && !run.config.train.save {
                unsaved.push(run.id.clone());
            }
        }
        if let Some(first) = unsaved.first() {
            diag.error(
                &at,
                Target::Key,
                format!(
                    "{} run(s) this set scores do not keep their weights (run {first}, ...): \
                     set `train: {{ save: true }}` in `base`",
                    unsaved.len()
                ),
            );
        }
    }
}

fn missing_file(path: &std::path::Path) -> String {
    format!(
        "no file {} here (paths are relative to the folder `rnnlab run` is started in, which \
         refuses to start without it)",
        path.display()
    )
}

/// The `eval:` files that do not exist, each with what to say: `rnnlab run` checks them before
/// training, so that a typo does not surface only after every run has finished.
pub fn missing_files(sweep: &Sweep) -> Vec<String> {
    let files = sweep
        .eval
        .iter()
        .flat_map(|(name, files)| files.iter().enumerate().map(move |(i, f)| (name, i, f)));
    files
        .filter(|(_, _, f)| !f.data.is_file())
        .map(|(name, i, f)| format!("eval.{name}[{i}].data: {}", missing_file(&f.data)))
        .collect()
}

/// Checks that a claim's (or the report's) metric can be read for the runs it compares:
/// `eval.SET` names a declared set, `grad.D` runs write gradient probes.
pub(crate) fn check_source(
    metric: &MetricRef,
    sweep: &Sweep,
    filter: &[(String, String)],
    by: Option<&str>,
    runs: &[Run],
) -> Option<String> {
    match metric {
        MetricRef::Eval(e) if !sweep.eval.contains_key(&e.set) => Some(if sweep.eval.is_empty() {
            format!(
                "`eval.{}` reads the eval set `{}`, and the sweep declares none: add \
                 `eval: {{ {}: [ {{ data: FILE }} ] }}` (docs/eval.md)",
                e.set, e.set, e.set
            )
        } else {
            format!(
                "no eval set `{}`{}; the sweep declares {}",
                e.set,
                did_you_mean(&e.set, sweep.eval.keys().map(String::as_str)),
                list(sweep.eval.keys().map(String::as_str))
            )
        }),
        MetricRef::Gradient(_) => {
            let unprobed = runs
                .iter()
                .filter(|r| by.is_none_or(|by| compares(r, filter, by, None)))
                .find(|r| r.config.train.probe_every.is_none_or(|p| p == 0))?;
            Some(format!(
                "`{metric}` is read from gradflow.csv, which run {} does not write: set \
                 `train: {{ probe_every: N }}` (e.g. 100) for the runs compared",
                unprobed.id
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
