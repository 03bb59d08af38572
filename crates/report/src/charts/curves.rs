//! Learning curves: the metric at each evaluation, one line per variant, mean over seeds with
//! a shaded 95% confidence band. Read on the validation split (the one early stopping
//! watches), else the test split, else the training rows.

use super::{cap_note, unit_range, Line, Plot, Scale};
use crate::frames::CurvePoint;
use crate::metric::column;
use crate::series::{CurveSeries, MAX_SERIES};

/// The split the curves are drawn from.
pub fn split(points: &[CurvePoint]) -> Option<&'static str> {
    ["valid", "test", "train"]
        .into_iter()
        .find(|s| points.iter().any(|p| p.split == *s))
}

/// One line per label of `c` (`CurvePoint::group` indexes them); the note says when lines
/// pool several groups and when runs stopped early. None when there is no curve to draw.
pub fn plot(c: &CurveSeries, metric: &str) -> Option<Plot> {
    let (points, labels, pooled) = (&c.points, &c.labels, &c.pooled_note);
    let split = split(points)?;
    let mut lines: Vec<Line> = Vec::new();
    let mut last_group = usize::MAX;
    for p in points.iter().filter(|p| p.split == split) {
        if p.group != last_group {
            last_group = p.group;
            lines.push(Line {
                label: labels.get(p.group).cloned().unwrap_or_default(),
                ..Line::default()
            });
        }
        let line = lines.last_mut()?;
        line.points.push((p.step, p.stats.mean));
        if p.stats.half_width.is_finite() {
            line.band
                .push((p.step, p.stats.ci_low(), p.stats.ci_high()));
        }
    }
    let total = lines.len();
    let name = column(metric).replace('_', " ");
    let mut plot = Plot::new(
        format!("Learning curves: {name}"),
        "training step",
        format!("{name} ({split})"),
    );
    plot.note = format!(
        "mean over {}, shaded: 95% CI{}{}",
        if pooled.is_empty() { "seeds" } else { "runs" },
        pooled,
        cap_note(MAX_SERIES, total)
    );
    plot.lines = lines.into_iter().take(MAX_SERIES).collect();
    plot.y_range = unit_range(metric);
    if plot.y_range.is_none() && spans_decades(&plot.lines) {
        // Losses and errors that fall by orders of magnitude (the adding problem from the 1/6
        // baseline to 1e-3) are flat lines on a linear axis; a log axis shows the learning.
        plot.y_scale = Scale::Log10;
        plot.y_label = format!("{name} ({split}, log scale)");
        for line in &mut plot.lines {
            line.band.retain(|(_, low, _)| *low > 0.0);
        }
    }
    if c.early {
        // Say so rather than let a dip read as forgetting.
        plot.note
            .push_str("; runs that stopped early leave the mean");
    }
    Some(plot)
}

/// True when every mean is positive and they span more than two orders of magnitude.
fn spans_decades(lines: &[Line]) -> bool {
    let values = lines.iter().flat_map(|l| l.points.iter().map(|(_, y)| *y));
    let (mut low, mut high) = (f64::INFINITY, 0.0f64);
    for y in values {
        if y.is_nan() || y <= 0.0 {
            return false;
        }
        low = low.min(y);
        high = high.max(y);
    }
    high > 0.0 && high / low > 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(ys: &[f64]) -> Line {
        Line {
            points: ys.iter().enumerate().map(|(i, y)| (i as f64, *y)).collect(),
            ..Line::default()
        }
    }

    #[test]
    fn a_log_axis_only_for_positive_values_spanning_decades() {
        assert!(spans_decades(&[line(&[0.17, 0.05]), line(&[0.16, 0.001])]));
        assert!(!spans_decades(&[line(&[0.17, 0.05])]));
        assert!(!spans_decades(&[line(&[0.5, 0.0, 0.001])]));
    }
}
