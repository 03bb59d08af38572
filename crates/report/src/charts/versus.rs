//! The final metric against a numeric axis (accuracy against task length), one line per
//! combination of the other axes (as many as fit; see [`super::series_axes`]), with 95% intervals over seeds as error bars and the task's
//! no-learning baselines dashed: where a line meets its baseline, the model learned nothing.

use std::collections::BTreeMap;

use super::{
    cap_note, level_axis, level_position, pooled_note, series_axes, series_runs, unit_range, Line,
    Plot, MAX_SERIES,
};
use crate::metric::{column, label};
use crate::report::Ctx;
use crate::stats::Describe;

pub fn plot(ctx: &Ctx, x_axis: usize, metric: &str) -> Plot {
    let r = ctx.results;
    let axis = &r.axes[x_axis];
    let (kept, pooled) = series_axes(r, x_axis);
    let mut lines: Vec<Line> = Vec::new();
    for (label, points) in series_runs(r, x_axis, &kept) {
        let mut line = Line {
            label,
            markers: true,
            ..Line::default()
        };
        for (li, runs) in points {
            let values: Vec<f64> = runs
                .iter()
                .filter_map(|&run| r.runs[run].summary.value(metric))
                .collect();
            let d = Describe::of(&values);
            if d.n == 0 {
                continue;
            }
            let x = level_position(axis, li);
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
        pooled_note(r, &pooled),
        cap_note(MAX_SERIES, total)
    );
    plot.lines = lines.into_iter().take(MAX_SERIES).collect();

    // Baselines reported for this metric, averaged per level (they may depend on the level:
    // the copy task's memoryless loss falls with T).
    let mut baselines: BTreeMap<String, BTreeMap<usize, (f64, usize)>> = BTreeMap::new();
    for run in &r.runs {
        let level = &r.cells[run.cell].levels[x_axis];
        let li = axis.levels.iter().position(|l| l == level).unwrap_or(0);
        for (name, b) in &run.summary.baselines {
            if b.metric == column(metric) {
                if let Some(v) = b.value.filter(|v| v.is_finite()) {
                    let slot = baselines
                        .entry(name.clone())
                        .or_default()
                        .entry(li)
                        .or_default();
                    slot.0 += v;
                    slot.1 += 1;
                }
            }
        }
    }
    for (name, per_level) in baselines.into_iter().take(3) {
        plot.lines.push(Line {
            label: format!("baseline: {name}"),
            points: per_level
                .iter()
                .map(|(li, (sum, n))| (level_position(axis, *li), sum / *n as f64))
                .collect(),
            baseline: true,
            ..Line::default()
        });
    }
    level_axis(&mut plot, axis);
    plot.y_range = unit_range(metric);
    plot
}
