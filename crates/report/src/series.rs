//! Chart series prepared from the [`Aggregates`]: which runs or groups each line of a chart
//! pools, its legend, and its points. The chart modules only lay these out; they never look at
//! a results folder.

use std::collections::BTreeMap;

use crate::aggregate::Aggregates;
use crate::load::{value, Axis, Results, Status};
use crate::metric::column;
use crate::stats::Describe;

mod curves;
pub use curves::{curves, CurveSeries};

/// Most lines or bar series one chart shows; the tables keep every variant.
pub const MAX_SERIES: usize = 10;

/// One line of a chart: its legend and its points (x, value).
#[derive(Debug, Clone, PartialEq)]
pub struct Series<X, Y> {
    pub label: String,
    pub points: Vec<(X, Y)>,
}

/// Lines against the levels of an axis: points are (level index, value).
#[derive(Debug, Clone, PartialEq)]
pub struct LevelLines<Y> {
    pub axis: Axis,
    pub lines: Vec<Series<usize, Y>>,
    /// "; pooled over ..." when lines pool axes that did not fit.
    pub pooled: String,
}

/// A metric against an axis, and the task's no-learning baselines for it (mean per level).
#[derive(Debug, Clone, PartialEq)]
pub struct Versus {
    pub lines: LevelLines<Describe>,
    pub baselines: Vec<Series<usize, f64>>,
}

/// Grouped bars: the levels of `x`, one series per level of a second axis.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    pub x: String,
    /// The series axis' name.
    pub series: Option<String>,
    pub groups: Vec<String>,
    /// Legends of the shown series (empty without a series axis).
    pub labels: Vec<String>,
    /// Series before the cap at [`MAX_SERIES`].
    pub total: usize,
    /// `values[group][series]` over the pooled runs.
    pub values: Vec<Vec<Describe>>,
    /// Axes with several levels the bars pool over.
    pub pooled: Vec<String>,
}

/// Accuracy per bucket, one line per group, and the baselines scored on the same buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownSeries {
    pub by: String,
    pub lines: Vec<Series<String, Describe>>,
    pub baselines: Vec<Series<String, f64>>,
}

/// The axes that split a chart's lines (besides `x`), and those pooled: the other axes,
/// `variant` first (the variants are what a sweep compares) then in sweep order, as many as fit
/// in [`MAX_SERIES`] lines; an axis that does not fit is pooled (its runs counted together),
/// and the chart's note says so. A 1,000-variant sweep then still shows one line per level of
/// its grid axes rather than ten arbitrary variants.
pub fn series_axes(results: &Results, x: usize) -> (Vec<usize>, Vec<usize>) {
    let mut kept = Vec::new();
    let mut pooled = Vec::new();
    let mut lines = 1usize;
    let mut order: Vec<usize> = (0..results.axes.len()).filter(|&i| i != x).collect();
    order.sort_by_key(|&i| results.axes[i].name != "variant");
    for i in order {
        let a = &results.axes[i];
        let n = a.levels.len().max(1);
        if lines * n <= MAX_SERIES {
            lines *= n;
            kept.push(i);
        } else {
            pooled.push(i);
        }
    }
    (kept, pooled)
}

/// "; pooled over model.hidden, train.lr" for a chart's note.
fn pooled_note(results: &Results, pooled: &[usize]) -> String {
    if pooled.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = pooled
        .iter()
        .map(|&i| results.axes[i].name.as_str())
        .collect();
    format!("; pooled over {}", names.join(", "))
}

/// A line's runs at each level of the x axis: (level index, runs).
type RunLine = Series<usize, Vec<usize>>;

/// Lines of a chart against axis `x`: for each combination of the kept axes (in level order)
/// and each level of `x`, the runs of every matching group.
fn series_runs(results: &Results, x: usize, kept: &[usize]) -> Vec<RunLine> {
    let mut series: Vec<(Vec<String>, RunLine)> = Vec::new();
    for g in &results.groups {
        let key: Vec<String> = kept.iter().map(|&i| g.levels[i].clone()).collect();
        let li = results.axes[x]
            .levels
            .iter()
            .position(|l| *l == g.levels[x])
            .unwrap_or(0);
        let idx = match series.iter().position(|s| s.0 == key) {
            Some(i) => i,
            None => {
                let label = if kept.is_empty() {
                    "all runs".to_string()
                } else {
                    kept.iter()
                        .zip(&key)
                        .map(|(&i, l)| format!("{}={l}", results.axes[i].short()))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let line = Series {
                    label,
                    points: Vec::new(),
                };
                series.push((key, line));
                series.len() - 1
            }
        };
        let points = &mut series[idx].1.points;
        match points.iter_mut().find(|(l, _)| *l == li) {
            Some((_, runs)) => runs.extend(&g.runs),
            None => points.push((li, g.runs.clone())),
        }
    }
    for s in &mut series {
        s.1.points.sort_by_key(|(l, _)| *l);
    }
    series.into_iter().map(|(_, line)| line).collect()
}

/// Lines against axis `x` with `f` of each level's runs as the value; None leaves the point out.
fn level_lines<Y>(results: &Results, x: usize, f: impl Fn(&[usize]) -> Option<Y>) -> LevelLines<Y> {
    let (kept, pooled) = series_axes(results, x);
    let lines = series_runs(results, x, &kept)
        .into_iter()
        .map(|s| Series {
            label: s.label,
            points: s
                .points
                .iter()
                .filter_map(|(li, runs)| f(runs).map(|y| (*li, y)))
                .collect(),
        })
        .collect();
    LevelLines {
        axis: results.axes[x].clone(),
        lines,
        pooled: pooled_note(results, &pooled),
    }
}

/// `metric` against axis `x`: per line and level, over the runs.
pub fn versus(agg: &Aggregates, x: usize, metric: &str) -> Versus {
    let r = agg.results;
    let lines = level_lines(r, x, |runs| {
        let values: Vec<f64> = runs
            .iter()
            .filter_map(|&run| value(&r.runs[run].summary, metric))
            .collect();
        let d = Describe::of(&values);
        (d.n > 0).then_some(d)
    });
    // Baselines reported for this metric, averaged per level (they may depend on the level:
    // the copy task's memoryless loss falls with T).
    let axis = &r.axes[x];
    let mut baselines: BTreeMap<String, BTreeMap<usize, (f64, usize)>> = BTreeMap::new();
    for run in &r.runs {
        let level = &r.groups[run.group].levels[x];
        let li = axis.levels.iter().position(|l| l == level).unwrap_or(0);
        for b in &run.summary.baselines {
            if b.metric == column(metric) && b.value.is_finite() {
                let slot = baselines
                    .entry(b.name.clone())
                    .or_default()
                    .entry(li)
                    .or_default();
                slot.0 += b.value;
                slot.1 += 1;
            }
        }
    }
    let baselines = baselines
        .into_iter()
        .take(3)
        .map(|(name, per_level)| Series {
            label: name,
            points: per_level
                .iter()
                .map(|(li, (sum, n))| (*li, sum / *n as f64))
                .collect(),
        })
        .collect();
    Versus { lines, baselines }
}

/// The fraction of runs that diverged, against axis `x`.
pub fn divergence(agg: &Aggregates, x: usize) -> LevelLines<f64> {
    let r = agg.results;
    level_lines(r, x, |runs| {
        let diverged = runs
            .iter()
            .filter(|&&run| r.runs[run].summary.status == Status::Diverged)
            .count();
        Some(diverged as f64 / runs.len().max(1) as f64)
    })
}

/// `metric` by the levels of axis `x` and, optionally, of a series axis; runs of groups that
/// differ only on the other axes pooled.
pub fn bars(agg: &Aggregates, x: usize, series_axis: Option<usize>, metric: &str) -> BarSeries {
    let r = agg.results;
    let groups = r.axes[x].levels.clone();
    let series: Vec<String> = match series_axis {
        Some(s) => r.axes[s].levels.clone(),
        None => vec![String::new()],
    };
    let shown = series.len().min(MAX_SERIES);
    let mut values = vec![vec![Describe::of(&[]); shown]; groups.len()];
    for (gi, level_x) in groups.iter().enumerate() {
        for (s, level) in series.iter().enumerate().take(shown) {
            let mut pooled = Vec::new();
            for (group, g) in r.groups.iter().enumerate() {
                let in_series = series_axis.is_none_or(|sa| g.levels[sa] == *level);
                if g.levels[x] == *level_x && in_series {
                    pooled.extend(r.group_values(group, metric));
                }
            }
            values[gi][s] = Describe::of(&pooled);
        }
    }
    let pooled: Vec<String> = r
        .axes
        .iter()
        .enumerate()
        .filter(|(i, a)| *i != x && Some(*i) != series_axis && a.levels.len() > 1)
        .map(|(_, a)| a.name.clone())
        .collect();
    let labels = match series_axis {
        Some(s) => series
            .iter()
            .take(shown)
            .map(|l| format!("{}={l}", r.axes[s].short()))
            .collect(),
        None => Vec::new(),
    };
    BarSeries {
        x: r.axes[x].name.clone(),
        series: series_axis.map(|s| r.axes[s].name.clone()),
        groups,
        labels,
        total: series.len(),
        values,
        pooled,
    }
}

/// The breakdown buckets split by `by`; None when the runs wrote none.
pub fn breakdown(agg: &Aggregates, by: &str) -> Option<BreakdownSeries> {
    let rows: Vec<_> = agg.buckets.iter().filter(|b| b.by == by).collect();
    if rows.is_empty() {
        return None;
    }
    let mut lines: Vec<Series<String, Describe>> = Vec::new();
    let mut last = usize::MAX;
    let mut baselines: BTreeMap<&str, BTreeMap<&str, (f64, usize)>> = BTreeMap::new();
    for b in &rows {
        if b.group != last {
            last = b.group;
            lines.push(Series {
                label: agg.results.series_label(b.group, &[]),
                points: Vec::new(),
            });
        }
        if let Some(line) = lines.last_mut() {
            line.points.push((b.bucket.clone(), b.accuracy));
        }
        for (name, v) in &b.baselines {
            if v.is_finite() {
                let slot = baselines
                    .entry(name)
                    .or_default()
                    .entry(&b.bucket)
                    .or_default();
                slot.0 += v;
                slot.1 += 1;
            }
        }
    }
    let baselines = baselines
        .into_iter()
        .map(|(name, per_bucket)| Series {
            label: name.to_string(),
            points: per_bucket
                .iter()
                .map(|(bucket, (sum, n))| (bucket.to_string(), sum / *n as f64))
                .collect(),
        })
        .collect();
    Some(BreakdownSeries {
        by: by.to_string(),
        lines,
        baselines,
    })
}

/// ‖∂L/∂h_t‖ against the distance from the loss, one line per group and direction (the
/// direction named only when some model is bidirectional).
pub fn gradflow(agg: &Aggregates) -> Vec<Series<f64, Describe>> {
    let points = &agg.grads;
    let bidirectional = points.iter().any(|p| p.direction > 0);
    let mut lines: Vec<Series<f64, Describe>> = Vec::new();
    let mut last = None;
    for p in points {
        if last != Some((p.group, p.direction)) {
            last = Some((p.group, p.direction));
            let mut label = agg.results.series_label(p.group, &[]);
            if bidirectional {
                label.push_str(if p.direction == 0 {
                    " forward"
                } else {
                    " backward"
                });
            }
            lines.push(Series {
                label,
                points: Vec::new(),
            });
        }
        if let Some(line) = lines.last_mut() {
            line.points.push((p.distance, p.norm));
        }
    }
    lines
}
