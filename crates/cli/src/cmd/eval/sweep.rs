//! Scoring a results folder's saved runs: `rnnlab eval results/<sweep> --data FILE` (every
//! saved run on one file, into `eval/<file-stem>/`), `rnnlab eval results/<sweep>` (the sweep's
//! declared `eval:` sets), and `rnnlab run` once a sweep with `eval:` sets finishes. Each run's
//! table goes to `eval/<set>/<run-id>.csv`; `summary.csv` beside them gives each bucket's
//! accuracy over the seeds of each group of runs (mean, min, max, with the runs scored out of
//! the group's runs), so a finding over seeds cites one file that this command regenerates. A
//! run without saved weights or not finished is counted, named and not scored; an error in any
//! run stops the command (no summary of fewer runs than asked).
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use rnnlab_results::eval::{read_run_table, write_run_table, write_summary, SummaryRow, SUMMARY};
use rnnlab_results::files::BreakdownRow;
use rnnlab_results::{read_params, read_summary, Layout, Status};
use rnnlab_spec::EvalFile;
use rnnlab_tasks::Unk;
use rnnlab_train::{evaluate_file, load_run};

use super::{left_out, rows};

/// Which runs to score again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rescore {
    /// Every saved run (`rnnlab eval`).
    All,
    /// Runs without a table, or whose weights are newer than it (after `rnnlab run`); a run
    /// whose weights are gone (not committed) keeps the table it has.
    Missing,
}

/// How to score: where unknown words go, the batch, the device, and which runs.
pub struct Scoring {
    pub unk: Unk,
    pub batch: Option<usize>,
    pub device: tch::Device,
    pub rescore: Rescore,
    /// The run ids to score (`rnnlab run`: the sweep's current runs, so that runs of an
    /// earlier version of the sweep file stay out); None: every run folder.
    pub only: Option<std::collections::HashSet<String>>,
}

/// The runs of one group: the same parameters but the seed.
struct Group {
    key: String,
    total: usize,
    /// Each scored run's rows (overall first), in seed order.
    scored: Vec<Vec<BreakdownRow>>,
    /// Runs counted but not scored, with why.
    not_scored: Vec<String>,
    /// The first run scored here: its sentences scored and in the file, and its notes.
    first: Option<(usize, usize, Vec<String>)>,
}

/// Scores the runs of `layout` that `files` pick (each run on the first file whose `where` it
/// matches) into the folder `out`, writes `summary.csv` there and returns what to print.
pub fn score(
    layout: &Layout,
    name: &str,
    files: &[EvalFile],
    out: &Path,
    how: &Scoring,
) -> anyhow::Result<String> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut groups: Vec<Group> = Vec::new();
    let (mut scored_now, mut kept) = (0, 0);
    for (key, id, params) in runs(layout, how.only.as_ref())? {
        let Some(file) = rnnlab_spec::evalset::file_for(files, &params) else {
            continue;
        };
        if groups.last().is_none_or(|g| g.key != key) {
            groups.push(Group {
                key,
                total: 0,
                scored: Vec::new(),
                not_scored: Vec::new(),
                first: None,
            });
        }
        let group = groups.last_mut().expect("pushed above");
        group.total += 1;
        let run_files = layout.run(&id);
        let table_path = out.join(format!("{id}.csv"));
        let status = read_summary(&run_files.summary()).map(|s| s.status);
        let finished = matches!(status, Ok(Status::Completed | Status::Solved));
        let weights = run_files.model();
        if how.rescore == Rescore::Missing && finished && table_path.is_file() {
            let fresh = match (modified(&table_path), modified(&weights)) {
                (Some(table), Some(model)) => table >= model,
                // No weights (not committed): the table is all there is.
                (_, None) => true,
                (None, Some(_)) => false,
            };
            if fresh {
                kept += 1;
                group.scored.push(read_run_table(&table_path)?);
                continue;
            }
        }
        if !finished || !weights.is_file() {
            let why = match status {
                Ok(s) if finished => format!("{s}, no saved weights"),
                Ok(s) => s.to_string(),
                Err(_) => "not finished".into(),
            };
            group.not_scored.push(format!("{id} ({why})"));
            continue;
        }
        let run = load_run(run_files.dir(), how.device)?;
        let scored = evaluate_file(&run, &file.data, how.unk, how.batch)
            .with_context(|| format!("scoring run {id} on {}", file.data.display()))?;
        let table = rows(&scored);
        write_run_table(&table_path, &table)?;
        scored_now += 1;
        if group.first.is_none() {
            group.first = Some((scored.n, scored.total, left_out(&run, &scored)));
        }
        group.scored.push(table);
    }
    if groups.is_empty() && how.rescore == Rescore::Missing {
        // After `rnnlab run` of a shard, say: another shard's runs may not exist yet.
        return Ok(format!(
            "{}: eval set `{name}`: no finished run to score yet\n",
            layout.root().display()
        ));
    }
    if groups.is_empty() {
        anyhow::bail!(
            "{}: no runs for eval set `{name}` to score",
            layout.runs().display()
        );
    }
    let summary: Vec<SummaryRow> = groups.iter().flat_map(summarise).collect();
    write_summary(&out.join(SUMMARY), &summary)?;
    let counts = (scored_now, kept);
    Ok(table(layout, name, files, counts, &groups, &summary, out))
}

/// A run's parameters, as params.json holds them.
type Params = Vec<(String, String)>;

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Every run's (group key, id, parameters), ordered by group, then by seed: the key is the
/// run's parameters without its seed, in the sweep's order.
fn runs(
    layout: &Layout,
    only: Option<&std::collections::HashSet<String>>,
) -> anyhow::Result<Vec<(String, String, Params)>> {
    let dir = layout.runs();
    let entries = std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
    let mut runs = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if !entry.path().is_dir() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().into_owned();
        let params_file = layout.run(&id).params();
        // A folder without params.json is a run that has not started (another shard's).
        if only.is_some_and(|ids| !ids.contains(&id)) || !params_file.is_file() {
            continue;
        }
        let params = read_params(&params_file)?;
        let seed = params
            .iter()
            .find(|(k, _)| k == "seed")
            .and_then(|(_, v)| v.parse::<i64>().ok());
        let rest: Vec<String> = params
            .iter()
            .filter(|(k, _)| k != "seed")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let key = if rest.is_empty() {
            "all".into()
        } else {
            rest.join(" ")
        };
        runs.push((key, seed, id, params));
    }
    runs.sort();
    Ok(runs
        .into_iter()
        .map(|(key, _, id, params)| (key, id, params))
        .collect())
}

/// A group's buckets, in its first scored run's order, over its scored runs.
fn summarise(group: &Group) -> Vec<SummaryRow> {
    let Some(first) = group.scored.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|bucket| {
            let same = |r: &&BreakdownRow| r.by == bucket.by && r.bucket == bucket.bucket;
            let values: Vec<f64> = group
                .scored
                .iter()
                .filter_map(|rows| rows.iter().find(same).map(|r| r.accuracy))
                .collect();
            SummaryRow {
                group: group.key.clone(),
                by: bucket.by.clone(),
                bucket: bucket.bucket.clone(),
                n: bucket.n,
                runs: values.len(),
                runs_total: group.total,
                mean: values.iter().sum::<f64>() / values.len() as f64,
                min: values.iter().copied().fold(f64::INFINITY, f64::min),
                max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                last_noun: bucket.last_noun,
            }
        })
        .collect()
}

fn table(
    layout: &Layout,
    name: &str,
    files: &[EvalFile],
    (scored_now, kept): (usize, usize),
    groups: &[Group],
    summary: &[SummaryRow],
    out: &Path,
) -> String {
    let mut text = String::new();
    let data: Vec<String> = files.iter().map(|f| f.data.display().to_string()).collect();
    let _ = write!(
        text,
        "{}: eval set `{name}` on {}: {scored_now} run(s) scored",
        layout.root().display(),
        data.join(", ")
    );
    if kept > 0 {
        let _ = write!(text, ", {kept} kept from an earlier scoring");
    }
    text.push('\n');
    for group in groups {
        let _ = write!(
            text,
            "\n{}: {} of {} run(s) scored",
            group.key,
            group.scored.len(),
            group.total
        );
        if let Some((n, total, _)) = &group.first {
            let _ = write!(text, ", {n} sentences scored of {total}");
        }
        text.push('\n');
        if !group.not_scored.is_empty() {
            let _ = writeln!(text, "not scored: {}", group.not_scored.join(", "));
        }
        for note in group.first.iter().flat_map(|(_, _, notes)| notes) {
            let _ = writeln!(text, "{note}");
        }
        let rows: Vec<&SummaryRow> = summary.iter().filter(|r| r.group == group.key).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            text,
            "{:<13} {:<24} {:>5} {:>6} {:>6} {:>6} {:>10}",
            "by", "bucket", "n", "mean", "min", "max", "last noun"
        );
        for r in rows {
            let last = r
                .last_noun
                .map_or_else(|| "-".into(), |l| format!("{l:.3}"));
            let _ = writeln!(
                text,
                "{:<13} {:<24} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>10}",
                r.by, r.bucket, r.n, r.mean, r.min, r.max, last
            );
        }
    }
    let _ = writeln!(text, "\ntables: {}", out.display());
    text
}
