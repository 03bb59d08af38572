//! The sweep's `report:` section (parsed and checked by the spec crate as
//! [`rnnlab_spec::ReportHints`]; see docs/sweeps.md) and the default choice of charts.

use rnnlab_spec::{ChartHint, ReportHints};

use crate::load::Results;

/// What the sweep asks of the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    pub metric: Option<String>,
    /// None: choose from the sweep's axes.
    pub charts: Option<Vec<ChartSpec>>,
}

/// One chart of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartSpec {
    Curves {
        metric: Option<String>,
    },
    Versus {
        x: String,
        metric: Option<String>,
    },
    Bars {
        x: String,
        series: Option<String>,
        metric: Option<String>,
    },
    Divergence {
        x: String,
    },
    Breakdown {
        by: String,
    },
    Gradflow,
}

impl From<&ReportHints> for Hints {
    fn from(h: &ReportHints) -> Hints {
        Hints {
            metric: h.metric.clone(),
            charts: h
                .charts
                .as_ref()
                .map(|charts| charts.iter().map(ChartSpec::from).collect()),
        }
    }
}

impl From<&ChartHint> for ChartSpec {
    fn from(c: &ChartHint) -> ChartSpec {
        match c.clone() {
            ChartHint::Curves { metric } => ChartSpec::Curves { metric },
            ChartHint::Versus { x, metric } => ChartSpec::Versus { x, metric },
            ChartHint::Bars { x, series, metric } => ChartSpec::Bars { x, series, metric },
            ChartHint::Divergence { x } => ChartSpec::Divergence { x },
            ChartHint::Breakdown { by } => ChartSpec::Breakdown { by },
            ChartHint::Gradflow {} => ChartSpec::Gradflow,
        }
    }
}

/// The default charts for a sweep, from its axes and the optional files its runs wrote:
/// learning curves always; for a numeric task axis (`task.length`), the final metric against
/// it; for a clipping threshold axis, the divergence rate against it; for the other axes
/// (cells, depth, skips: categorical for the reader even when numbers), bars with intervals;
/// the breakdown buckets and gradient flow when the runs wrote them.
pub fn default_charts(
    results: &Results,
    breakdown_by: &[String],
    has_gradflow: bool,
) -> Vec<ChartSpec> {
    let mut charts = vec![ChartSpec::Curves { metric: None }];
    let mut categorical: Vec<&str> = Vec::new();
    for axis in &results.axes {
        if axis.numeric && axis.name.ends_with("clip.max") {
            charts.push(ChartSpec::Divergence {
                x: axis.name.clone(),
            });
            charts.push(ChartSpec::Versus {
                x: axis.name.clone(),
                metric: None,
            });
        } else if axis.numeric && axis.name.starts_with("task.") && axis.levels.len() > 1 {
            charts.push(ChartSpec::Versus {
                x: axis.name.clone(),
                metric: None,
            });
        } else if axis.levels.len() > 1 {
            categorical.push(&axis.name);
        }
    }
    let has_versus = charts.iter().any(|c| matches!(c, ChartSpec::Versus { .. }));
    if !categorical.is_empty() && !has_versus {
        charts.push(ChartSpec::Bars {
            x: categorical[0].to_string(),
            series: categorical.get(1).map(|s| s.to_string()),
            metric: None,
        });
    }
    for by in breakdown_by {
        charts.push(ChartSpec::Breakdown { by: by.clone() });
    }
    if has_gradflow {
        charts.push(ChartSpec::Gradflow);
    }
    charts
}
