//! Bars with 95% confidence intervals for categorical axes (depth × skip connections): groups
//! along one axis, one colour per level of a second. Runs of cells that differ only on axes
//! the chart does not show are pooled, and the note says which.

use super::{cap_note, unit_range, Bars, Plot, MAX_SERIES};
use crate::metric::label;
use crate::report::Ctx;
use crate::stats::Describe;

pub fn plot(ctx: &Ctx, x_axis: usize, series_axis: Option<usize>, metric: &str) -> Plot {
    let r = ctx.results;
    let groups = r.axes[x_axis].levels.clone();
    let series: Vec<String> = match series_axis {
        Some(s) => r.axes[s].levels.clone(),
        None => vec![String::new()],
    };
    let shown = series.len().min(MAX_SERIES);
    let mut values = vec![vec![None; shown]; groups.len()];
    for (g, group) in groups.iter().enumerate() {
        for (s, level) in series.iter().enumerate().take(shown) {
            let mut pooled = Vec::new();
            for (cell, c) in r.cells.iter().enumerate() {
                let in_series = series_axis.is_none_or(|sa| c.levels[sa] == *level);
                if c.levels[x_axis] == *group && in_series {
                    pooled.extend(r.cell_values(cell, metric));
                }
            }
            let d = Describe::of(&pooled);
            if d.n > 0 {
                values[g][s] = Some((d.mean, d.ci_low(), d.ci_high()));
            }
        }
    }
    let pooled_axes: Vec<&str> = r
        .axes
        .iter()
        .enumerate()
        .filter(|(i, a)| *i != x_axis && Some(*i) != series_axis && a.levels.len() > 1)
        .map(|(_, a)| a.name.as_str())
        .collect();
    let title = match series_axis {
        Some(s) => format!(
            "{} by {} and {}",
            label(metric),
            r.axes[x_axis].name,
            r.axes[s].name
        ),
        None => format!("{} by {}", label(metric), r.axes[x_axis].name),
    };
    let mut plot = Plot::new(title, r.axes[x_axis].name.clone(), label(metric));
    plot.note = format!(
        "mean over seeds, whiskers: 95% CI{}{}",
        if pooled_axes.is_empty() {
            String::new()
        } else {
            format!("; pooled over {}", pooled_axes.join(", "))
        },
        cap_note(MAX_SERIES, series.len())
    );
    let series_labels = match series_axis {
        Some(s) => series
            .iter()
            .take(shown)
            .map(|l| format!("{}={l}", r.axes[s].short()))
            .collect(),
        None => Vec::new(),
    };
    plot.bars = Some(Bars {
        groups,
        series: series_labels,
        values,
    });
    plot.y_range = unit_range(metric);
    plot
}
