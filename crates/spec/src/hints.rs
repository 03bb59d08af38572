//! `report:` hints: the report's main metric, which charts to draw and how the tables count
//! diverged runs.
//!
//! Hints are optional: without them the report chooses charts from the sweep's axes. They are
//! parsed and checked here (kinds and keys exist, axes are grid axes, metrics are well formed)
//! so that a typo fails at `rnnlab validate`, not after the runs.
use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::claim::Axis;
use crate::suggest::{did_you_mean, list};
use crate::MetricRef;

/// What a sweep asks of its report. YAML:
///
/// ```yaml
/// report:
///   metric: final.recall_accuracy
///   diverged: worst
///   charts: [curves, { kind: versus, x: task.length }, { kind: bars, x: model.layers, series: model.skip }]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawHints")]
pub struct ReportHints {
    /// The metric the report leads with (and charts use when they name none), as in claims.
    /// Default: `stop.solved`'s metric, else the catalogue's main metric of the runs' task
    /// kinds ([`metric::shared_main`](crate::metric::shared_main)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// The charts to draw, in order, replacing the report's own choice. Default: chosen from
    /// the sweep's axes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charts: Option<Vec<ChartHint>>,
    /// How the tables count a diverged run that has no value of a metric. Default: `worst`.
    #[serde(default, skip_serializing_if = "DivergedRule::is_default")]
    pub diverged: DivergedRule,
}

/// How a table aggregates a metric over runs when some diverged without a value of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivergedRule {
    /// A diverged run counts as the worst value (as claims count it): a variant with one shows
    /// the median of its runs, diverged counted, instead of a mean.
    #[default]
    Worst,
    /// A diverged run is left out: the mean is over the runs with a value, and the table
    /// says how many were left out.
    Exclude,
}

impl DivergedRule {
    pub fn is_default(&self) -> bool {
        *self == DivergedRule::Worst
    }

    pub fn name(self) -> &'static str {
        match self {
            DivergedRule::Worst => "worst",
            DivergedRule::Exclude => "exclude",
        }
    }
}

/// One chart. In YAML a mapping with `kind`, or just the kind's name when it needs no keys
/// (`curves`, `gradflow`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChartHint {
    /// Learning curves (validation metric against step), one line per variant or grid level,
    /// mean and 95% interval over seeds.
    Curves {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metric: Option<String>,
    },
    /// The final metric against a numeric grid axis `x` (e.g. `task.length`). Alias `line`.
    #[serde(alias = "line")]
    Versus {
        x: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metric: Option<String>,
    },
    /// Bars with intervals: one group per level of `x`, one bar per level of `series`.
    Bars {
        x: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        series: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metric: Option<String>,
    },
    /// The share of diverged runs against a grid axis `x` (e.g. `train.clip.max`).
    Divergence { x: String },
    /// Accuracy per `breakdown.csv` bucket column `by` (e.g. `attractors`, `distance`).
    Breakdown { by: String },
    /// Gradient norm ||dL/dh_t|| against distance, from `gradflow.csv`. (Braces so that, like
    /// the other kinds, it rejects keys it does not take.)
    Gradflow {},
}

/// Chart kinds and the keys each takes besides `kind`, for messages and checks before serde.
pub(crate) const CHART_KINDS: &[(&str, &[&str])] = &[
    ("curves", &["metric"]),
    ("versus", &["x", "metric"]),
    ("line", &["x", "metric"]),
    ("bars", &["x", "series", "metric"]),
    ("divergence", &["x"]),
    ("breakdown", &["by"]),
    ("gradflow", &[]),
];

/// Keys a chart kind cannot do without.
pub(crate) fn required_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "versus" | "line" | "bars" | "divergence" => &["x"],
        "breakdown" => &["by"],
        _ => &[],
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHints {
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    charts: Option<Vec<Value>>,
    #[serde(default)]
    diverged: DivergedRule,
}

impl TryFrom<RawHints> for ReportHints {
    type Error = String;

    fn try_from(raw: RawHints) -> Result<Self, String> {
        let charts = raw
            .charts
            .map(|list| list.into_iter().map(chart).collect::<Result<Vec<_>, _>>())
            .transpose()?;
        Ok(ReportHints {
            metric: raw.metric,
            charts,
            diverged: raw.diverged,
        })
    }
}

/// A chart from YAML: a bare kind name is a mapping with only `kind`.
fn chart(value: Value) -> Result<ChartHint, String> {
    let value = match value {
        Value::String(kind) => {
            let mut map = Mapping::new();
            map.insert(Value::from("kind"), Value::from(kind));
            Value::Mapping(map)
        }
        other => other,
    };
    serde_yaml::from_value(value).map_err(|e| e.to_string())
}

impl ChartHint {
    /// The grid axes the chart is drawn over, with the key that names each.
    fn axes(&self) -> Vec<(&'static str, &String)> {
        match self {
            ChartHint::Versus { x, .. } | ChartHint::Divergence { x } => vec![("x", x)],
            ChartHint::Bars { x, series, .. } => {
                let mut v = vec![("x", x)];
                v.extend(series.as_ref().map(|s| ("series", s)));
                v
            }
            _ => Vec::new(),
        }
    }

    /// The metric the chart names, if it names one.
    pub fn metric(&self) -> Option<&String> {
        match self {
            ChartHint::Curves { metric }
            | ChartHint::Versus { metric, .. }
            | ChartHint::Bars { metric, .. } => metric.as_ref(),
            _ => None,
        }
    }
}

/// Checks one chart against the sweep's axes and the task kinds of its runs (a metric it names
/// must exist for each); each problem names the chart key it concerns.
pub(crate) fn check_chart(
    chart: &ChartHint,
    axes: &[Axis],
    kinds: &[&str],
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let names: Vec<&str> = axes.iter().map(|(a, _)| a.as_str()).collect();
    for (key, axis) in chart.axes() {
        if !names.contains(&axis.as_str()) {
            problems.push((
                key,
                format!(
                    "`{axis}` is not a grid axis{}; use one of {}",
                    did_you_mean(axis, names.iter().copied()),
                    if names.is_empty() {
                        "(none: the sweep has no grid or variants)".to_string()
                    } else {
                        list(names.iter().copied())
                    }
                ),
            ));
        }
    }
    if let ChartHint::Bars {
        x, series: Some(s), ..
    } = chart
    {
        if x == s {
            problems.push((
                "series",
                "`x` and `series` must be different axes".to_string(),
            ));
        }
    }
    if let ChartHint::Breakdown { by } = chart {
        if by.is_empty() || !by.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            problems.push((
                "by",
                format!("`{by}` is not a breakdown.csv column such as `attractors` or `distance`"),
            ));
        }
    }
    if let Some(metric) = chart.metric() {
        if let Err(e) = MetricRef::parse(metric).and_then(|m| m.check_tasks(kinds)) {
            problems.push(("metric", e));
        }
    }
    problems
}

/// Checks a chart's YAML before serde sees it, for messages that point at the exact key:
/// the kind exists, every key belongs to that kind, required keys are there.
pub(crate) fn check_chart_yaml(value: &Value) -> Vec<(Option<String>, String)> {
    let kinds = CHART_KINDS.iter().map(|(k, _)| *k);
    let (kind, map) = match value {
        Value::String(kind) => (kind.clone(), None),
        Value::Mapping(map) => match map.get("kind") {
            Some(kind) => (crate::sweep::yaml_scalar(kind), Some(map)),
            None => {
                return vec![(
                    None,
                    format!("a chart needs a `kind`: one of {}", list(kinds)),
                )]
            }
        },
        _ => {
            return vec![(
                None,
                format!(
                    "a chart is a kind name or a mapping with `kind`: one of {}",
                    list(kinds)
                ),
            )]
        }
    };
    let Some((_, keys)) = CHART_KINDS.iter().find(|(k, _)| *k == kind) else {
        let at = map.map(|_| "kind".to_string());
        return vec![(
            at,
            format!(
                "unknown chart kind `{kind}`{}; expected one of {}",
                did_you_mean(&kind, kinds.clone()),
                list(kinds)
            ),
        )];
    };
    let mut problems = Vec::new();
    for key in map.into_iter().flat_map(|m| m.keys()) {
        let key = crate::sweep::yaml_scalar(key);
        if key != "kind" && !keys.contains(&key.as_str()) {
            let allowed: Vec<&str> = std::iter::once("kind")
                .chain(keys.iter().copied())
                .collect();
            problems.push((
                Some(key.clone()),
                crate::validate::unknown_field(&key, &format!("a `{kind}` chart"), &allowed),
            ));
        }
    }
    for key in required_keys(&kind) {
        if !map.is_some_and(|m| m.contains_key(*key)) {
            problems.push((
                None,
                format!("a `{kind}` chart needs `{key}`: the grid axis to plot against"),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axes() -> Vec<Axis> {
        vec![
            ("model.cell".into(), vec!["lstm".into()]),
            ("task.length".into(), vec!["50".into()]),
        ]
    }

    fn hints(yaml: &str) -> ReportHints {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn charts_are_kind_names_or_mappings() {
        let h =
            hints("metric: final.mse\ncharts: [curves, { kind: line, x: task.length }, gradflow]");
        assert_eq!(h.metric.as_deref(), Some("final.mse"));
        let charts = h.charts.unwrap();
        assert_eq!(charts[0], ChartHint::Curves { metric: None });
        assert_eq!(
            charts[1],
            ChartHint::Versus {
                x: "task.length".into(),
                metric: None
            }
        );
        assert_eq!(charts[2], ChartHint::Gradflow {});
    }

    #[test]
    fn diverged_is_worst_unless_excluded() {
        assert_eq!(hints("metric: final.mse").diverged, DivergedRule::Worst);
        assert_eq!(hints("diverged: exclude").diverged, DivergedRule::Exclude);
        let e = serde_yaml::from_str::<ReportHints>("diverged: drop").unwrap_err();
        assert!(e.to_string().contains("worst"), "{e}");
        // The default is not written back.
        let text = serde_yaml::to_string(&hints("diverged: worst")).unwrap();
        assert!(!text.contains("diverged"), "{text}");
    }

    #[test]
    fn the_kind_table_agrees_with_serde() {
        for (kind, keys) in CHART_KINDS {
            let mut map = Mapping::new();
            map.insert("kind".into(), (*kind).into());
            for key in *keys {
                map.insert((*key).into(), "a".into());
            }
            assert!(chart(Value::Mapping(map.clone())).is_ok(), "{kind}");
            map.insert("zz".into(), "a".into());
            assert!(
                chart(Value::Mapping(map)).is_err(),
                "{kind} rejects unknown keys"
            );
        }
    }

    #[test]
    fn chart_yaml_problems_point_at_keys() {
        let v: Value = serde_yaml::from_str("{ kind: bars, serie: model.cell }").unwrap();
        let p = check_chart_yaml(&v);
        assert_eq!(p[0].0.as_deref(), Some("serie"));
        assert!(p[0].1.contains("did you mean `series`"), "{p:?}");
        assert!(p[1].1.contains("needs `x`"), "{p:?}");
        let v: Value = serde_yaml::from_str("curvs").unwrap();
        assert!(check_chart_yaml(&v)[0].1.contains("did you mean `curves`"));
    }

    #[test]
    fn charts_are_checked_against_the_axes() {
        let h =
            hints("charts: [{ kind: bars, x: task.lenght, series: model.cell, metric: recall }]");
        let problems = check_chart(&h.charts.unwrap()[0], &axes(), &["copy"]);
        let text = format!("{problems:?}");
        assert!(text.contains("did you mean `task.length`"), "{text}");
        assert!(text.contains("final.recall"), "{text}");
        let h = hints("charts: [{ kind: versus, x: task.length, metric: best.recal_accuracy }]");
        let problems = check_chart(&h.charts.unwrap()[0], &axes(), &["copy"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .1
                .contains("did you mean `best.recall_accuracy`"),
            "{problems:?}"
        );
    }
}
