//! Accuracy per bucket of the final test evaluation (agreement: number of attractors, or
//! distance between subject and verb; copy: recall position), one line per variant, with the
//! baselines the runner scored on the same buckets dashed: Linzen et al. 2016's "last noun"
//! heuristic is what a model relying on sequential recency would get.

use super::{cap_note, Line, Plot};
use crate::frames::bucket_order;
use crate::series::{BreakdownSeries, MAX_SERIES};

pub fn plot(b: &BreakdownSeries) -> Plot {
    let mut levels: Vec<&str> = b
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|(bucket, _)| bucket.as_str()))
        .collect();
    levels.sort_by(|x, y| bucket_order(x, y));
    levels.dedup();
    let numeric = levels.iter().all(|l| l.parse::<f64>().is_ok());
    let x = |bucket: &str| -> f64 {
        if numeric {
            bucket.parse().unwrap_or(f64::NAN)
        } else {
            levels.iter().position(|l| *l == bucket).unwrap_or(0) as f64
        }
    };
    let lines: Vec<Line> = b
        .lines
        .iter()
        .map(|s| {
            let mut line = Line {
                label: s.label.clone(),
                markers: true,
                ..Line::default()
            };
            for (bucket, acc) in &s.points {
                line.points.push((x(bucket), acc.mean));
                if acc.half_width.is_finite() {
                    line.whiskers.push((x(bucket), acc.ci_low(), acc.ci_high()));
                }
            }
            line
        })
        .collect();
    let total = lines.len();
    let by = &b.by;
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
    for baseline in &b.baselines {
        let mut points: Vec<(f64, f64)> = baseline
            .points
            .iter()
            .map(|(bucket, y)| (x(bucket), *y))
            .collect();
        points.sort_by(|p, q| p.0.total_cmp(&q.0));
        plot.lines.push(Line {
            label: format!("baseline: {}", baseline.label.replace('_', " ")),
            points,
            baseline: true,
            ..Line::default()
        });
    }
    plot.x_ticks = Some(levels.iter().map(|l| (x(l), l.to_string())).collect());
    plot.y_range = Some((0.0, 1.0));
    plot
}
