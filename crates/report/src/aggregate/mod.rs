//! The aggregated view of a results folder, computed once and read by the tables, the chart
//! series and the report's sections: the main metric, every group's statistics over its seeds,
//! and the per-evaluation files (learning curves, breakdown buckets, gradient flow).

pub mod counting;

use crate::frames::{self, Bucket, CurvePoint, GradPoint, GroupStats};
use crate::load::Results;
use crate::metric::{column, final_metrics, main_metric};
use crate::stats::Describe;
use crate::ReportError;
use counting::{Counted, Solving};

/// The run statuses the tables count, in column order; any other counts as `other`.
pub const STATUSES: [&str; 5] = ["completed", "solved", "diverged", "failed", "interrupted"];

/// What the report is built from.
pub struct Aggregates<'a> {
    pub results: &'a Results,
    /// The metric the report leads with (a `final.*` reference).
    pub main: String,
    /// The metrics aggregated in `stats`, main first.
    pub metrics: Vec<String>,
    /// Per group (index = group).
    pub stats: Vec<GroupStats>,
    /// Learning curves of the main metric's column, per group.
    pub curves: Vec<CurvePoint>,
    pub buckets: Vec<Bucket>,
    pub grads: Vec<GradPoint>,
}

impl<'a> Aggregates<'a> {
    /// Every aggregate: the summaries, then the runs' per-evaluation files.
    pub fn new(results: &'a Results) -> Result<Aggregates<'a>, ReportError> {
        let mut agg = Aggregates::of_summaries(results)?;
        agg.curves = frames::curves(results, column(&agg.main))?;
        agg.buckets = frames::breakdown(results)?;
        agg.grads = frames::gradflow(results)?;
        Ok(agg)
    }

    /// The summaries' aggregates only (no per-evaluation file is read).
    pub fn of_summaries(results: &'a Results) -> Result<Aggregates<'a>, ReportError> {
        let main = main_metric(results);
        let mut metrics = final_metrics(results, &main);
        for extra in ["params", "wall_s", "steps_per_s"] {
            metrics.push(extra.into());
        }
        let stats = frames::group_stats(results, &metrics)?;
        Ok(Aggregates {
            results,
            main,
            metrics,
            stats,
            curves: Vec::new(),
            buckets: Vec::new(),
            grads: Vec::new(),
        })
    }

    /// `metric` over the seeds of `group`.
    pub fn describe(&self, group: usize, metric: &str) -> Describe {
        match self.metrics.iter().position(|m| m == metric) {
            Some(k) => self.stats[group].metrics[k],
            None => Describe::of(&self.results.group_values(group, metric)),
        }
    }

    /// The summaries of the runs of `group`.
    fn summaries(&self, group: usize) -> Vec<&crate::load::Summary> {
        self.results.groups[group]
            .runs
            .iter()
            .map(|&r| &self.results.runs[r].summary)
            .collect()
    }

    /// `metric` over every run of `group`, counted by the sweep's `report.diverged` rule.
    pub fn counted(&self, group: usize, metric: &str) -> Counted {
        Counted::of(&self.summaries(group), metric, self.results.hints.diverged)
    }

    /// Steps to solve over the runs of `group` (Kaplan-Meier).
    pub fn solving(&self, group: usize) -> Solving {
        Solving::of(&self.summaries(group))
    }

    /// Whether any run solved (stopped early on `stop.solved`), or the sweep asks for it.
    pub fn solves(&self) -> bool {
        self.results
            .base_value("stop.solved")
            .is_some_and(|v| !v.is_null())
            || self
                .results
                .runs
                .iter()
                .any(|r| r.summary.steps_to_solve.is_some())
    }

    /// Runs per status of `runs` ([`STATUSES`] order, then `other`).
    pub fn status_counts(&self, runs: &[usize]) -> Vec<usize> {
        let mut counts = vec![0; STATUSES.len() + 1];
        for &r in runs {
            let s = self.results.runs[r].summary.status.name();
            match STATUSES.iter().position(|k| *k == s) {
                Some(i) => counts[i] += 1,
                None => counts[STATUSES.len()] += 1,
            }
        }
        counts
    }

    /// The `by` values of the breakdown buckets, sorted, each once.
    pub fn breakdown_bys(&self) -> Vec<String> {
        let mut bys: Vec<String> = self.buckets.iter().map(|b| b.by.clone()).collect();
        bys.sort();
        bys.dedup();
        bys
    }
}
