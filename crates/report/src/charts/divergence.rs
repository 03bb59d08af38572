//! The fraction of runs that diverged against a threshold (gradient clipping's `max`): the
//! question of Pascanu, Mikolov & Bengio 2013 is at which thresholds training stays finite.
//! One line per combination of the other axes.

use super::{
    cap_note, level_axis, level_position, pooled_note, series_axes, series_runs, Line, Plot,
    MAX_SERIES,
};
use crate::report::Ctx;

pub fn plot(ctx: &Ctx, x_axis: usize) -> Plot {
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
            let diverged = runs
                .iter()
                .filter(|&&run| r.runs[run].summary.status == "diverged")
                .count();
            line.points.push((
                level_position(axis, li),
                diverged as f64 / runs.len().max(1) as f64,
            ));
        }
        lines.push(line);
    }
    let total = lines.len();
    let mut plot = Plot::new(
        format!("Divergence against {}", axis.name),
        axis.name.clone(),
        "diverged runs (fraction)",
    );
    plot.note = format!(
        "fraction of runs with a NaN or infinite loss or gradient{}{}",
        pooled_note(r, &pooled),
        cap_note(MAX_SERIES, total)
    );
    plot.lines = lines.into_iter().take(MAX_SERIES).collect();
    level_axis(&mut plot, axis);
    plot.y_range = Some((0.0, 1.0));
    plot
}
