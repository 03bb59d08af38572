//! Bars with 95% confidence intervals for categorical axes (depth × skip connections): groups
//! along one axis, one colour per level of a second. Runs of groups that differ only on axes
//! the chart does not show are pooled, and the note says which.

use super::{cap_note, unit_range, Bars, Plot};
use crate::metric::label;
use crate::series::{BarSeries, MAX_SERIES};

pub fn plot(b: &BarSeries, metric: &str) -> Plot {
    let values = b
        .values
        .iter()
        .map(|row| {
            row.iter()
                .map(|d| (d.n > 0).then(|| (d.mean, d.ci_low(), d.ci_high())))
                .collect()
        })
        .collect();
    let title = match &b.series {
        Some(s) => format!("{} by {} and {}", label(metric), b.x, s),
        None => format!("{} by {}", label(metric), b.x),
    };
    let mut plot = Plot::new(title, b.x.clone(), label(metric));
    plot.note = format!(
        "mean over seeds, whiskers: 95% CI{}{}",
        if b.pooled.is_empty() {
            String::new()
        } else {
            format!("; pooled over {}", b.pooled.join(", "))
        },
        cap_note(MAX_SERIES, b.total)
    );
    plot.bars = Some(Bars {
        groups: b.groups.clone(),
        series: b.labels.clone(),
        values,
    });
    plot.y_range = unit_range(metric);
    plot
}
