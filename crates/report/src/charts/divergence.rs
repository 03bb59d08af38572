//! The fraction of runs that diverged against a threshold (gradient clipping's `max`): the
//! question of Pascanu, Mikolov & Bengio 2013 is at which thresholds training stays finite.
//! One line per combination of the other axes.

use super::{auto_scale, cap_note, Line, Plot, MAX_SERIES};
use crate::report::Ctx;

pub fn plot(ctx: &Ctx, x_axis: usize) -> Plot {
    let r = ctx.results;
    let axis = &r.axes[x_axis];
    let position = |i: usize, level: &str| -> f64 {
        if axis.numeric {
            level.parse().unwrap_or(f64::NAN)
        } else {
            i as f64
        }
    };
    let mut series: Vec<(Vec<String>, Line)> = Vec::new();
    for (cell, c) in r.cells.iter().enumerate() {
        let key: Vec<String> = c
            .levels
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != x_axis)
            .map(|(_, l)| l.clone())
            .collect();
        let li = axis
            .levels
            .iter()
            .position(|l| *l == c.levels[x_axis])
            .unwrap_or(0);
        let x = position(li, &c.levels[x_axis]);
        let idx = match series.iter().position(|s| s.0 == key) {
            Some(i) => i,
            None => {
                series.push((
                    key,
                    Line {
                        label: r.series_label(cell, &[x_axis]),
                        markers: true,
                        ..Line::default()
                    },
                ));
                series.len() - 1
            }
        };
        series[idx]
            .1
            .points
            .push((x, ctx.stats[cell].diverged_rate));
    }
    let total = series.len();
    let mut plot = Plot::new(
        format!("Divergence against {}", axis.name),
        axis.name.clone(),
        "diverged runs (fraction)",
    );
    plot.note = format!(
        "fraction of seeds with a NaN or infinite loss or gradient{}",
        cap_note(MAX_SERIES, total)
    );
    plot.lines = series.into_iter().take(MAX_SERIES).map(|s| s.1).collect();
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
    plot.y_range = Some((0.0, 1.0));
    plot
}
