//! The final metric against a numeric axis (accuracy against task length), one line per
//! combination of the other axes (as many as fit; see [`crate::series::series_axes`]), with
//! 95% intervals over seeds as error bars and the task's no-learning baselines dashed: where a
//! line meets its baseline, the model learned nothing.

use super::{cap_note, level_axis, level_position, unit_range, Line, Plot};
use crate::metric::label;
use crate::series::{Versus, MAX_SERIES};

pub fn plot(v: &Versus, metric: &str) -> Plot {
    let axis = &v.lines.axis;
    let mut lines: Vec<Line> = Vec::new();
    for series in &v.lines.lines {
        let mut line = Line {
            label: series.label.clone(),
            markers: true,
            ..Line::default()
        };
        for (li, d) in &series.points {
            let x = level_position(axis, *li);
            line.points.push((x, d.mean));
            if d.half_width.is_finite() {
                line.whiskers.push((x, d.ci_low(), d.ci_high()));
            }
        }
        lines.push(line);
    }
    let total = lines.len();
    let mut plot = Plot::new(
        format!("{} against {}", label(metric), axis.name),
        axis.name.clone(),
        label(metric),
    );
    plot.note = format!(
        "mean over seeds, bars: 95% CI{}{}",
        v.lines.pooled,
        cap_note(MAX_SERIES, total)
    );
    plot.lines = lines.into_iter().take(MAX_SERIES).collect();
    for b in &v.baselines {
        plot.lines.push(Line {
            label: format!("baseline: {}", b.label),
            points: b
                .points
                .iter()
                .map(|(li, y)| (level_position(axis, *li), *y))
                .collect(),
            baseline: true,
            ..Line::default()
        });
    }
    level_axis(&mut plot, axis);
    plot.y_range = unit_range(metric);
    plot
}
