//! Learning-curve series: one line per group when they fit, else per combination of the
//! leading axes with the others' runs pooled (see [`super::series_axes`]).

use super::{pooled_note, series_axes};
use crate::aggregate::Aggregates;
use crate::frames::{self, CurvePoint};
use crate::metric::column;
use crate::ReportError;

/// Learning curves: points whose `group` is a line index into `labels`.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveSeries {
    pub points: Vec<CurvePoint>,
    pub labels: Vec<String>,
    /// The axes that split the lines (all of them: `pooled` is empty) ...
    pub kept: Vec<usize>,
    /// ... and those whose runs are pooled into each line.
    pub pooled: Vec<usize>,
    /// The note's "; pooled over ..." part.
    pub pooled_note: String,
    /// Some runs stopped early (solved or diverged), so later points average fewer runs.
    pub early: bool,
}

/// Learning curves of `metric`: one line per group when they fit; else per combination of the
/// leading axes, with the runs of the others pooled.
pub fn curves(agg: &Aggregates, metric: &str) -> Result<CurveSeries, ReportError> {
    let r = agg.results;
    let (kept, pooled) = series_axes(r, usize::MAX);
    let (points, labels) = if pooled.is_empty() {
        let labels = (0..r.groups.len())
            .map(|g| r.series_label(g, &[]))
            .collect();
        if column(metric) == column(&agg.main) {
            (agg.curves.clone(), labels)
        } else {
            (frames::curves(r, column(metric))?, labels)
        }
    } else {
        let mut keys: Vec<Vec<String>> = Vec::new();
        let mut labels = Vec::new();
        let mut line_of = Vec::new();
        for (group, g) in r.groups.iter().enumerate() {
            let key: Vec<String> = kept.iter().map(|&i| g.levels[i].clone()).collect();
            let line = match keys.iter().position(|k| *k == key) {
                Some(line) => line,
                None => {
                    keys.push(key);
                    labels.push(r.series_label(group, &pooled));
                    keys.len() - 1
                }
            };
            line_of.push(line);
        }
        (frames::curves_by(r, column(metric), &line_of)?, labels)
    };
    // A run that stops early has no later evaluations, so a line's later points average only
    // the runs still training.
    let early = r
        .runs
        .iter()
        .any(|run| matches!(run.summary.status.name(), "solved" | "diverged"));
    Ok(CurveSeries {
        points,
        labels,
        pooled_note: pooled_note(r, &pooled),
        kept,
        pooled,
        early,
    })
}
