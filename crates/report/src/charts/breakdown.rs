//! Accuracy per bucket of the final test evaluation (agreement: number of attractors, or
//! distance between subject and verb; copy: recall position), one line per variant, with the
//! baselines the runner scored on the same buckets dashed: Linzen et al. 2016's "last noun"
//! heuristic is what a model relying on sequential recency would get.

use std::collections::BTreeMap;

use super::{cap_note, Line, Plot, MAX_SERIES};
use crate::frames::{bucket_order, Bucket};
use crate::report::Ctx;

pub fn plot(ctx: &Ctx, buckets: &[Bucket], by: &str) -> Option<Plot> {
    let rows: Vec<&Bucket> = buckets.iter().filter(|b| b.by == by).collect();
    if rows.is_empty() {
        return None;
    }
    let mut levels: Vec<&str> = rows.iter().map(|b| b.bucket.as_str()).collect();
    levels.sort_by(|a, b| bucket_order(a, b));
    levels.dedup();
    let numeric = levels.iter().all(|l| l.parse::<f64>().is_ok());
    let x = |bucket: &str| -> f64 {
        if numeric {
            bucket.parse().unwrap_or(f64::NAN)
        } else {
            levels.iter().position(|l| *l == bucket).unwrap_or(0) as f64
        }
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut last = usize::MAX;
    let mut baselines: BTreeMap<&str, BTreeMap<&str, (f64, usize)>> = BTreeMap::new();
    for b in &rows {
        if b.cell != last {
            last = b.cell;
            lines.push(Line {
                label: ctx.results.series_label(b.cell, &[]),
                markers: true,
                ..Line::default()
            });
        }
        let line = lines.last_mut()?;
        line.points.push((x(&b.bucket), b.accuracy.mean));
        if b.accuracy.half_width.is_finite() {
            line.whiskers
                .push((x(&b.bucket), b.accuracy.ci_low(), b.accuracy.ci_high()));
        }
        for (name, v) in &b.baselines {
            if v.is_finite() {
                let slot = baselines
                    .entry(name)
                    .or_default()
                    .entry(&b.bucket)
                    .or_default();
                slot.0 += v;
                slot.1 += 1;
            }
        }
    }
    let total = lines.len();
    let mut plot = Plot::new(
        format!("Accuracy by {}", by.replace('_', " ")),
        by.replace('_', " "),
        "accuracy (test, final)",
    );
    plot.note = format!(
        "mean over seeds, bars: 95% CI; dashed: baselines{}",
        cap_note(MAX_SERIES, total)
    );
    plot.lines = lines.into_iter().take(MAX_SERIES).collect();
    for (name, per_bucket) in baselines {
        let mut points: Vec<(f64, f64)> = per_bucket
            .iter()
            .map(|(bucket, (sum, n))| (x(bucket), sum / *n as f64))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        plot.lines.push(Line {
            label: format!("baseline: {}", name.replace('_', " ")),
            points,
            baseline: true,
            ..Line::default()
        });
    }
    plot.x_ticks = Some(levels.iter().map(|l| (x(l), l.to_string())).collect());
    plot.y_range = Some((0.0, 1.0));
    Some(plot)
}
