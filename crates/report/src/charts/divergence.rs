//! The fraction of runs that diverged against a threshold (gradient clipping's `max`): the
//! question of Pascanu, Mikolov & Bengio 2013 is at which thresholds training stays finite.
//! One line per combination of the other axes.

use super::{cap_note, level_axis, level_position, Line, Plot};
use crate::series::{LevelLines, MAX_SERIES};

pub fn plot(d: &LevelLines<f64>) -> Plot {
    let axis = &d.axis;
    let lines: Vec<Line> = d
        .lines
        .iter()
        .map(|s| Line {
            label: s.label.clone(),
            markers: true,
            points: s
                .points
                .iter()
                .map(|(li, y)| (level_position(axis, *li), *y))
                .collect(),
            ..Line::default()
        })
        .collect();
    let total = lines.len();
    let mut plot = Plot::new(
        format!("Divergence against {}", axis.name),
        axis.name.clone(),
        "diverged runs (fraction)",
    );
    plot.note = format!(
        "fraction of runs with a NaN or infinite loss or gradient{}{}",
        d.pooled,
        cap_note(MAX_SERIES, total)
    );
    plot.lines = lines.into_iter().take(MAX_SERIES).collect();
    level_axis(&mut plot, axis);
    plot.y_range = Some((0.0, 1.0));
    plot
}
