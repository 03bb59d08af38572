//! Gradient flow: ‖∂L/∂h_t‖ against the distance between h_t and the loss, on a log scale,
//! one line per variant. A vanishing gradient is a straight downward line on this scale
//! (Bengio, Simard & Frasconi 1994; Pascanu et al. 2013); gated cells and skips flatten it.

use super::{cap_note, Line, Plot, Scale, MAX_SERIES};
use crate::frames::GradPoint;
use crate::report::Ctx;

pub fn plot(ctx: &Ctx, points: &[GradPoint]) -> Option<Plot> {
    if points.is_empty() {
        return None;
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut last = usize::MAX;
    for p in points {
        if p.cell != last {
            last = p.cell;
            lines.push(Line {
                label: ctx.results.series_label(p.cell, &[]),
                ..Line::default()
            });
        }
        let line = lines.last_mut()?;
        line.points.push((p.distance, p.norm.mean));
        if p.norm.half_width.is_finite() && p.norm.ci_low() > 0.0 {
            line.band
                .push((p.distance, p.norm.ci_low(), p.norm.ci_high()));
        }
    }
    let total = lines.len();
    let mut plot = Plot::new(
        "Gradient flow through time",
        "distance from the loss (steps)",
        "‖∂L/∂h_t‖ (log scale)",
    );
    plot.note = format!(
        "first layer, last probed step; mean over seeds, shaded: 95% CI{}",
        cap_note(MAX_SERIES, total)
    );
    plot.lines = lines.into_iter().take(MAX_SERIES).collect();
    plot.y_scale = Scale::Log10;
    Some(plot)
}
