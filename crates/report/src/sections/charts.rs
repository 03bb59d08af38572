//! "Charts": the charts the sweep asks for (`report: charts:`) or, by default, the ones its axes
//! and files call for, each with its caption. Also writes (without showing) the tables the
//! charts are drawn from: curves, breakdown, gradflow.

use std::path::Path;

use rnnlab_spec::ChartHint;

use crate::aggregate::Aggregates;
use crate::charts::{self, stem, Figure, Plot};
use crate::load::Results;
use crate::metric::column;
use crate::series;
use crate::sinks::Sink;
use crate::tables;
use crate::ReportError;

/// Writes the charts' data tables and, unless `draw` is false, draws the charts into
/// `figures` and shows them; returns the figures drawn.
pub fn write(
    out: &mut dyn Sink,
    agg: &Aggregates,
    figures: &Path,
    draw: bool,
) -> Result<Vec<Figure>, ReportError> {
    if !agg.curves.is_empty() {
        out.table("curves", &tables::curves(agg), false)?;
    }
    if !agg.buckets.is_empty() {
        out.table("breakdown", &tables::breakdown(agg), false)?;
    }
    if !agg.grads.is_empty() {
        out.table("gradflow", &tables::gradflow(agg), false)?;
    }
    if !draw {
        return Ok(Vec::new());
    }
    let hints = match &agg.results.hints.charts {
        Some(c) => c.clone(),
        None => default_charts(agg.results, &agg.breakdown_bys(), !agg.grads.is_empty()),
    };
    let mut drawn = Vec::new();
    for hint in &hints {
        if let Some(chart) = chart(agg, hint)? {
            if chart.plot.is_empty() {
                continue;
            }
            let fig = charts::render(&chart.plot, figures, &chart.stem)?;
            drawn.push((fig, chart.caption));
        }
    }
    if !drawn.is_empty() {
        out.section("Charts");
        for (fig, caption) in &drawn {
            out.figure(fig, caption);
        }
    }
    Ok(drawn.into_iter().map(|(f, _)| f).collect())
}

/// The default charts for a sweep, from its axes and the optional files its runs wrote:
/// learning curves always; for a numeric task axis (`task.length`), the final metric against
/// it; for a clipping threshold axis, the divergence rate against it; for the other axes
/// (cells, depth, skips: categorical for the reader even when numbers), bars with intervals;
/// the breakdown buckets and gradient flow when the runs wrote them.
fn default_charts(
    results: &Results,
    breakdown_by: &[String],
    has_gradflow: bool,
) -> Vec<ChartHint> {
    let mut charts = vec![ChartHint::Curves { metric: None }];
    let mut categorical: Vec<&str> = Vec::new();
    for axis in &results.axes {
        if axis.numeric && axis.name.ends_with("clip.max") {
            charts.push(ChartHint::Divergence {
                x: axis.name.clone(),
            });
            charts.push(ChartHint::Versus {
                x: axis.name.clone(),
                metric: None,
            });
        } else if axis.numeric && axis.name.starts_with("task.") && axis.levels.len() > 1 {
            charts.push(ChartHint::Versus {
                x: axis.name.clone(),
                metric: None,
            });
        } else if axis.levels.len() > 1 {
            categorical.push(&axis.name);
        }
    }
    let has_versus = charts.iter().any(|c| matches!(c, ChartHint::Versus { .. }));
    if !categorical.is_empty() && !has_versus {
        charts.push(ChartHint::Bars {
            x: categorical[0].to_string(),
            series: categorical.get(1).map(|s| s.to_string()),
            metric: None,
        });
    }
    for by in breakdown_by {
        charts.push(ChartHint::Breakdown { by: by.clone() });
    }
    if has_gradflow {
        charts.push(ChartHint::Gradflow {});
    }
    charts
}

/// A chart ready to draw: the plot, its file stem and its caption.
struct Chart {
    plot: Plot,
    stem: String,
    caption: String,
}

/// Builds one chart hint into a chart; None when the results have nothing to draw for it.
fn chart(agg: &Aggregates, hint: &ChartHint) -> Result<Option<Chart>, ReportError> {
    let r = agg.results;
    let axis = |name: &str| {
        r.axis_index(name).ok_or_else(|| ReportError::Sweep {
            path: r.dir.join("sweep.yaml"),
            message: format!(
                "report.charts: `{name}` is not an axis of the sweep ({})",
                r.axes
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    };
    let metric_or_main = |m: &Option<String>| m.clone().unwrap_or_else(|| agg.main.clone());
    let chart = |plot: Plot, stem: String, caption: String| Chart {
        plot,
        stem,
        caption,
    };
    Ok(match hint {
        ChartHint::Curves { metric } => {
            let m = metric_or_main(metric);
            let c = series::curves(agg, &m)?;
            charts::curves::plot(&c, &m).map(|p| {
                let per = if c.pooled.is_empty() {
                    "variant".to_string()
                } else {
                    let kept: Vec<String> =
                        c.kept.iter().map(|&i| format!("`{}`", r.axes[i].name)).collect();
                    format!("level of {}", kept.join(" × "))
                };
                let caption = format!(
                    "Learning curves of `{}` on the {} split, one line per {per}: mean over {}, shaded 95% confidence band.{}",
                    column(&m),
                    charts::curves::split(&c.points).unwrap_or("valid"),
                    if c.pooled.is_empty() { "seeds" } else { "runs" },
                    if c.early { " Runs that stopped early (solved or diverged) have no later points: past a run's last evaluation, a line is the mean of the runs still training." } else { "" },
                );
                chart(p, stem(&["curves", column(&m)]), caption)
            })
        }
        ChartHint::Versus { x, metric } => {
            let m = metric_or_main(metric);
            let v = series::versus(agg, axis(x)?, &m);
            Some(chart(
                charts::versus::plot(&v, &m),
                stem(&[m.as_str(), "vs", x]),
                format!("`{m}` against `{x}`, one line per combination of the other axes: mean over seeds with 95% intervals; dashed: the task's no-learning baselines for this metric."),
            ))
        }
        ChartHint::Bars { x, series, metric } => {
            let m = metric_or_main(metric);
            let a = axis(x)?;
            let s = series.as_deref().map(axis).transpose()?;
            let b = series::bars(agg, a, s, &m);
            let file = match series {
                Some(sn) => stem(&[m.as_str(), "by", x, "and", sn]),
                None => stem(&[m.as_str(), "by", x]),
            };
            let and = series.as_deref().map(|s| format!(" and `{s}`")).unwrap_or_default();
            Some(chart(
                charts::bars::plot(&b, &m),
                file,
                format!("`{m}` by `{x}`{and}: mean over seeds, whiskers the 95% interval."),
            ))
        }
        ChartHint::Divergence { x } => {
            let d = series::divergence(agg, axis(x)?);
            Some(chart(
                charts::divergence::plot(&d),
                stem(&["divergence", "vs", x]),
                format!("Fraction of runs that diverged against `{x}`."),
            ))
        }
        ChartHint::Breakdown { by } => series::breakdown(agg, by).map(|b| {
            chart(
                charts::breakdown::plot(&b),
                stem(&["breakdown", by]),
                format!("Final test accuracy by {by} (breakdown.csv), one line per variant with 95% intervals; dashed: baselines scored on the same buckets."),
            )
        }),
        ChartHint::Gradflow {} => charts::gradflow::plot(&series::gradflow(agg)).map(|p| {
            chart(
                p,
                "gradflow".to_string(),
                "‖∂L/∂h_t‖ against the distance from the loss (gradflow.csv; first layer, last probed step), log scale, one line per variant.".to_string(),
            )
        }),
    })
}
