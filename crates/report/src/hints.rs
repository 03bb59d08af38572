//! The sweep's `report:` section: which metric leads the report and which charts to draw.
//!
//! The spec crate keeps `report:` as free YAML for now; this module reads it leniently so that
//! the report works before and after the spec types it. Accepted form:
//!
//! ```yaml
//! report:
//!   metric: final.recall_accuracy       # the main metric; default: stop.solved's, else the task's
//!   charts:                             # replaces the default choice, drawn in this order
//!     - curves                          # learning curves per variant, mean ± 95% CI over seeds
//!     - { kind: versus, x: task.length }            # final metric against a numeric axis
//!     - { kind: bars, x: model.layers, series: model.skip }
//!     - { kind: divergence, x: train.clip.max }     # divergence rate against a threshold
//!     - { kind: breakdown, by: attractors }         # breakdown.csv buckets, with baselines
//!     - gradflow                                    # ‖∂L/∂h_t‖ against distance, log scale
//! ```
//!
//! Every chart also takes `metric:` (default: the main metric).

use serde_yaml::Value;

use crate::load::{scalar, Results};

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

impl Hints {
    /// Parses the `report:` value (absent or null: no hints).
    pub fn parse(value: Option<&Value>) -> Result<Hints, String> {
        let map = match value {
            None | Some(Value::Null) => return Ok(Hints::default()),
            Some(Value::Mapping(m)) => m,
            Some(_) => return Err("expected a mapping with `metric` and/or `charts`".into()),
        };
        let mut hints = Hints::default();
        for (k, v) in map {
            match scalar(k).as_str() {
                "metric" => hints.metric = Some(scalar(v)),
                "charts" => {
                    let list = v.as_sequence().ok_or("`charts` must be a list of charts")?;
                    hints.charts = Some(list.iter().map(chart).collect::<Result<_, _>>()?);
                }
                other => {
                    return Err(format!(
                        "unknown key `{other}` (expected `metric` or `charts`)"
                    ))
                }
            }
        }
        Ok(hints)
    }
}

fn chart(v: &Value) -> Result<ChartSpec, String> {
    let field = |name: &str| v.get(name).map(scalar);
    let kind = match v {
        Value::String(s) => s.clone(),
        Value::Mapping(_) => field("kind").ok_or("a chart needs a `kind`")?,
        _ => return Err("a chart is a kind name or a mapping with `kind`".into()),
    };
    let need = |name: &str| field(name).ok_or_else(|| format!("a `{kind}` chart needs `{name}`"));
    Ok(match kind.as_str() {
        "curves" => ChartSpec::Curves {
            metric: field("metric"),
        },
        "versus" | "line" => ChartSpec::Versus {
            x: need("x")?,
            metric: field("metric"),
        },
        "bars" => ChartSpec::Bars {
            x: need("x")?,
            series: field("series"),
            metric: field("metric"),
        },
        "divergence" => ChartSpec::Divergence { x: need("x")? },
        "breakdown" => ChartSpec::Breakdown { by: need("by")? },
        "gradflow" => ChartSpec::Gradflow,
        other => {
            return Err(format!(
            "unknown chart kind `{other}` (curves, versus, bars, divergence, breakdown, gradflow)"
        ))
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_mappings() {
        let v: Value = serde_yaml::from_str(
            "metric: final.accuracy\ncharts: [curves, {kind: bars, x: model.layers, series: model.skip}, gradflow]",
        )
        .unwrap();
        let h = Hints::parse(Some(&v)).unwrap();
        assert_eq!(h.metric.as_deref(), Some("final.accuracy"));
        let charts = h.charts.unwrap();
        assert_eq!(charts.len(), 3);
        assert_eq!(
            charts[1],
            ChartSpec::Bars {
                x: "model.layers".into(),
                series: Some("model.skip".into()),
                metric: None
            }
        );
    }

    #[test]
    fn rejects_unknown_kinds_with_the_list() {
        let v: Value = serde_yaml::from_str("charts: [pie]").unwrap();
        let err = Hints::parse(Some(&v)).unwrap_err();
        assert!(err.contains("pie") && err.contains("bars"), "{err}");
    }
}
