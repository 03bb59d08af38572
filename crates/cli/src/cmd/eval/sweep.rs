//! `rnnlab eval results/<sweep> --data FILE`: every saved run of a results folder scored on
//! one file. Each run's table goes to `eval/<data>/<run-id>.csv`; `summary.csv` beside them
//! gives each bucket's accuracy over the seeds of each group of runs (mean, min, max, with the
//! runs scored out of the group's runs), so a finding over seeds cites one file that this
//! command regenerates. A run without saved weights or not finished is counted, named and not
//! scored; an error in any run stops the command (no summary of fewer runs than asked).
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use rnnlab_results::eval::{write_run_table, write_summary, SummaryRow, SUMMARY};
use rnnlab_results::files::BreakdownRow;
use rnnlab_results::{read_params, read_summary, Layout, Status};
use rnnlab_tasks::Unk;
use rnnlab_train::{evaluate_file, load_run};

use super::{left_out, rows, Args};

/// The runs of one group: the same parameters but the seed.
struct Group {
    key: String,
    total: usize,
    /// Each scored run's rows (overall first), in seed order.
    scored: Vec<Vec<BreakdownRow>>,
    /// Runs counted but not scored, with why.
    not_scored: Vec<String>,
    /// The first scored run's sentences scored and in the file, and its notes.
    first: Option<(usize, usize, Vec<String>)>,
}

pub fn run(args: &Args, layout: &Layout, device: tch::Device, unk: Unk) -> anyhow::Result<u8> {
    let data = args
        .data
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .with_context(|| format!("{}: not a file name", args.data.display()))?;
    let out = args.out.clone().unwrap_or_else(|| layout.eval(&data));
    if out.extension().is_some_and(|e| e == "csv" || e == "json") {
        anyhow::bail!(
            "--out {}: for a results folder --out names the folder to write the runs' tables \
             and {SUMMARY} in (default {})",
            out.display(),
            layout.eval(&data).display()
        );
    }
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let mut groups: Vec<Group> = Vec::new();
    for (key, id) in runs(layout)? {
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
        let files = layout.run(&id);
        let status = read_summary(&files.summary()).map(|s| s.status);
        let finished = matches!(status, Ok(Status::Completed | Status::Solved));
        if !finished || !files.model().is_file() {
            let why = match status {
                Ok(s) if finished => format!("{s}, no saved weights"),
                Ok(s) => s.to_string(),
                Err(_) => "not finished".into(),
            };
            group.not_scored.push(format!("{id} ({why})"));
            continue;
        }
        let run = load_run(files.dir(), device)?;
        let scored = evaluate_file(&run, &args.data, unk, args.batch)
            .with_context(|| format!("scoring run {id} on {}", args.data.display()))?;
        let table = rows(&scored);
        write_run_table(&out.join(format!("{id}.csv")), &table)?;
        if group.first.is_none() {
            group.first = Some((scored.n, scored.total, left_out(&run, &scored)));
        }
        group.scored.push(table);
    }
    if groups.is_empty() {
        anyhow::bail!("{}: no runs to score", layout.runs().display());
    }
    let summary: Vec<SummaryRow> = groups.iter().flat_map(summarise).collect();
    write_summary(&out.join(SUMMARY), &summary)?;
    print!("{}", table(args, &groups, &summary, &out));
    Ok(0)
}

/// Every run's (group key, id), ordered by group, then by seed: the key is the run's
/// parameters without its seed, in the sweep's order.
fn runs(layout: &Layout) -> anyhow::Result<Vec<(String, String)>> {
    let dir = layout.runs();
    let entries = std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
    let mut runs = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if !entry.path().is_dir() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().into_owned();
        let params = read_params(&layout.run(&id).params())?;
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
        runs.push((key, seed, id));
    }
    runs.sort();
    Ok(runs.into_iter().map(|(key, _, id)| (key, id)).collect())
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

fn table(args: &Args, groups: &[Group], summary: &[SummaryRow], out: &Path) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} on {}",
        args.run_dir.display(),
        args.data.display()
    );
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
