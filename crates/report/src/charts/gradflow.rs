//! Gradient flow: ‖∂L/∂h_t‖ against the distance between h_t and the loss, on a log scale,
//! one line per variant (and direction, for bidirectional models). A vanishing gradient is a
//! straight downward line on this scale (Bengio, Simard & Frasconi 1994; Pascanu et al. 2013);
//! gated cells and skips flatten it.

use super::{cap_note, Line, Plot, Scale};
use crate::series::{Series, MAX_SERIES};
use crate::stats::Describe;

/// None when no run probed its gradients.
pub fn plot(series: &[Series<f64, Describe>]) -> Option<Plot> {
    if series.is_empty() {
        return None;
    }
    let lines: Vec<Line> = series
        .iter()
        .map(|s| {
            let mut line = Line {
                label: s.label.clone(),
                ..Line::default()
            };
            for (distance, norm) in &s.points {
                line.points.push((*distance, norm.mean));
                if norm.half_width.is_finite() && norm.ci_low() > 0.0 {
                    line.band.push((*distance, norm.ci_low(), norm.ci_high()));
                }
            }
            line
        })
        .collect();
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
