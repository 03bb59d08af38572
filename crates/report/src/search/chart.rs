//! The selection score against each searched parameter: one chart per dimension, one point per
//! trial, one colour per group. The score is the first rung's, the only one every trial has and
//! all at the same budget (later rungs see only the trials kept, so they would show the
//! survivors' range, not the parameter's effect).

use rnnlab_spec::search::{Dimension, Space};
use rnnlab_spec::yaml_scalar;
use serde_yaml::Value;

use super::section::group_label;
use super::SearchResults;
use crate::charts::{auto_scale, cap_note, stem, unit_range, Line, Plot, Scale};
use crate::series::MAX_SERIES;

/// A chart ready to draw, with its file stem and caption.
pub(super) struct ScoreChart {
    pub plot: Plot,
    pub stem: String,
    pub caption: String,
}

/// Where a dimension's values sit on the x axis: numbers as themselves, other choices (cell
/// names, mappings) at their index, labelled.
struct XAxis {
    scale: Scale,
    /// Tick positions and labels for discrete dimensions; None: round numbers or decades.
    ticks: Option<Vec<(f64, String)>>,
    labels: Vec<String>,
}

impl XAxis {
    fn of(d: &Dimension) -> XAxis {
        let plain = |scale| XAxis {
            scale,
            ticks: None,
            labels: Vec::new(),
        };
        match &d.space {
            Space::LogUniform { .. } => plain(Scale::Log10),
            Space::Uniform { .. } => plain(Scale::Linear),
            Space::Int { low, high } if high - low <= 12 => XAxis {
                scale: Scale::Linear,
                ticks: Some((*low..=*high).map(|i| (i as f64, i.to_string())).collect()),
                labels: Vec::new(),
            },
            Space::Int { .. } => plain(Scale::Linear),
            Space::Choice(values) => {
                // A value listed twice is one tick.
                let mut distinct: Vec<&Value> = Vec::new();
                for v in values {
                    if !distinct.contains(&v) {
                        distinct.push(v);
                    }
                }
                let labels: Vec<String> = distinct.iter().map(|v| yaml_scalar(v)).collect();
                let numbers: Option<Vec<f64>> = distinct.iter().map(|v| v.as_f64()).collect();
                match numbers {
                    Some(xs) => XAxis {
                        scale: auto_scale(&xs),
                        ticks: Some(xs.into_iter().zip(labels).collect()),
                        labels: Vec::new(),
                    },
                    None => XAxis {
                        scale: Scale::Linear,
                        ticks: Some(
                            labels
                                .iter()
                                .cloned()
                                .enumerate()
                                .map(|(i, l)| (i as f64, l))
                                .collect(),
                        ),
                        labels,
                    },
                }
            }
        }
    }

    /// The x position of a trial's value; None for a value the dimension cannot take.
    fn position(&self, v: &Value) -> Option<f64> {
        if self.labels.is_empty() {
            v.as_f64()
        } else {
            let text = yaml_scalar(v);
            self.labels
                .iter()
                .position(|l| *l == text)
                .map(|i| i as f64)
        }
    }
}

/// One chart per searched dimension.
pub(super) fn charts(search: &SearchResults) -> Vec<ScoreChart> {
    let plan = &search.plan;
    let select = plan.select.to_string();
    let step = plan.groups.first().and_then(|g| g.rungs.first()).copied();
    let at = step.map_or_else(String::new, |s| format!(" at step {s}"));
    let mut out = Vec::new();
    for (di, d) in plan.space.iter().enumerate() {
        let x = XAxis::of(d);
        let (mut shown, mut total) = (0, 0);
        let mut lines = Vec::new();
        for (g, group) in plan.groups.iter().enumerate() {
            let mut line = Line {
                label: group_label(plan, g),
                scatter: true,
                ..Line::default()
            };
            for trial in group.trials.iter().filter(|t| t.repeats.is_none()) {
                total += 1;
                let score = search.first_score(g, trial.index);
                let Some(xv) = trial.values.get(di).and_then(|(_, v)| x.position(v)) else {
                    continue;
                };
                if score.is_finite() && x.scale.usable(xv) {
                    line.points.push((xv, score));
                    shown += 1;
                }
            }
            lines.push(line);
        }
        if shown == 0 {
            continue;
        }
        let groups = lines.len();
        let ys: Vec<f64> = lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1))
            .collect();
        let mut plot = Plot::new(
            format!("{select}{at} against {}", d.path),
            d.path.clone(),
            select.clone(),
        );
        plot.x_scale = x.scale;
        plot.x_ticks = x.ticks;
        plot.y_scale = auto_scale(&ys);
        plot.y_range = unit_range(&plan.select.metric);
        plot.note = format!(
            "one point per trial, mean over the {} tuning seeds; {shown} of {total} trials have a finite score{}",
            plan.tuning_seeds.len(),
            cap_note(MAX_SERIES, groups)
        );
        plot.lines = lines.into_iter().take(MAX_SERIES).collect();
        let log = |s: Scale, what: &str| match s {
            Scale::Log10 => format!(" {what} on a log scale."),
            Scale::Linear => String::new(),
        };
        let caption = format!(
            "`{select}` at the first rung{at}, where every trial is measured at the same budget, against `{}` ({}), one colour per group, one point per trial (its mean over the tuning seeds); {} of {total} trials have no finite score there (a run diverged or did not measure it) and are not shown.{}{}",
            d.path,
            describe(&d.space),
            total - shown,
            log(plot.x_scale, "x"),
            log(plot.y_scale, "y"),
        );
        out.push(ScoreChart {
            plot,
            stem: stem(&["search", d.path.as_str()]),
            caption,
        });
    }
    out
}

/// A distribution in words: `log-uniform on [0.0001, 0.1]`.
pub(super) fn describe(space: &Space) -> String {
    match space {
        Space::Uniform { low, high } => format!("uniform on [{low}, {high}]"),
        Space::LogUniform { low, high } => format!("log-uniform on [{low}, {high}]"),
        Space::Int { low, high } => format!("integers {low} to {high}"),
        Space::Choice(values) => {
            let v: Vec<String> = values.iter().map(yaml_scalar).collect();
            format!("one of {}", v.join(", "))
        }
    }
}
