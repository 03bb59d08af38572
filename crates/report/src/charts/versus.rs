//! The final metric against a numeric axis (accuracy against task length), one line per
//! combination of the other axes, with 95% intervals over seeds as error bars and the task's
//! no-learning baselines dashed: where a line meets its baseline, the model learned nothing.

use std::collections::BTreeMap;

use super::{auto_scale, cap_note, unit_range, Line, Plot, MAX_SERIES};
use crate::metric::{column, label};
use crate::report::Ctx;

pub fn plot(ctx: &Ctx, x_axis: usize, metric: &str) -> Plot {
    let r = ctx.results;
    let axis = &r.axes[x_axis];
    let position = |i: usize, level: &str| -> f64 {
        if axis.numeric {
            level.parse().unwrap_or(f64::NAN)
        } else {
            i as f64
        }
    };
    let mut series: Vec<(Vec<String>, String, Line)> = Vec::new();
    for (cell, c) in r.cells.iter().enumerate() {
        let key: Vec<String> = c
            .levels
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != x_axis)
            .map(|(_, l)| l.clone())
            .collect();
        let level = &c.levels[x_axis];
        let li = axis.levels.iter().position(|l| l == level).unwrap_or(0);
        let x = position(li, level);
        let d = ctx.describe(cell, metric);
        if d.n == 0 {
            continue;
        }
        let idx = match series.iter().position(|s| s.0 == key) {
            Some(i) => i,
            None => {
                let label = r.series_label(cell, &[x_axis]);
                series.push((
                    key,
                    label.clone(),
                    Line {
                        label,
                        markers: true,
                        ..Line::default()
                    },
                ));
                series.len() - 1
            }
        };
        let line = &mut series[idx].2;
        line.points.push((x, d.mean));
        if d.half_width.is_finite() {
            line.whiskers.push((x, d.ci_low(), d.ci_high()));
        }
    }
    let total = series.len();
    let mut plot = Plot::new(
        format!("{} against {}", label(metric), axis.name),
        axis.name.clone(),
        label(metric),
    );
    plot.note = format!(
        "mean over seeds, bars: 95% CI{}",
        cap_note(MAX_SERIES, total)
    );
    plot.lines = series.into_iter().take(MAX_SERIES).map(|s| s.2).collect();

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
                .map(|(li, (sum, n))| (position(*li, &axis.levels[*li]), sum / *n as f64))
                .collect(),
            baseline: true,
            ..Line::default()
        });
    }
    let xs: Vec<f64> = axis
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| position(i, l))
        .collect();
    if axis.numeric {
        plot.x_scale = auto_scale(&xs);
    }
    plot.x_ticks = Some(xs.into_iter().zip(axis.levels.iter().cloned()).collect());
    plot.y_range = unit_range(metric);
    plot
}
