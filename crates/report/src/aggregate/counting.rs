//! Every run counts: what a table aggregates over the runs of a variant, and which runs it
//! leaves out and why, so that no number is silently a mean over fewer runs than it says.
//!
//! The rules are the claims' (`verdict.rs`):
//!
//! - a run with a finite value of the metric is used with it (a diverged run too, when it has
//!   one);
//! - a diverged run without a value counts as the worst value under `report.diverged: worst`
//!   (the default). The worst value cannot be averaged, so such a variant has no mean, sd or
//!   interval: the table shows its median with the diverged runs at the worst end, which is a
//!   value while fewer than half of the runs diverged and `diverged` once half or more did.
//!   Under `report.diverged: exclude` it is left out and counted;
//! - a failed or interrupted run is left out and counted, even with a value (it is partial:
//!   a wall time up to the error), and so is any other run without a value;
//! - steps to solve: the Kaplan-Meier median, unsolved runs right-censored at the step they
//!   stopped, failed and interrupted runs left out (as the log-rank claims do); `not reached`
//!   while the curve stays above one half.

use rnnlab_spec::DivergedRule;

use crate::load::{value, Status, Summary};
use crate::stats::{kaplan_meier, Describe, Observation};
use crate::table::num;

/// One metric over the runs of a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    /// Runs of the variant.
    pub total: usize,
    /// The finite values, in run order.
    pub values: Vec<f64>,
    /// Diverged runs without a value.
    pub diverged: usize,
    pub failed: usize,
    pub interrupted: usize,
    /// Other runs without a value (the metric not measured).
    pub missing: usize,
    pub rule: DivergedRule,
    pub higher_is_better: bool,
}

impl Counted {
    pub fn of(runs: &[&Summary], metric: &str, rule: DivergedRule) -> Counted {
        let mut c = Counted {
            total: runs.len(),
            values: Vec::new(),
            diverged: 0,
            failed: 0,
            interrupted: 0,
            missing: 0,
            rule,
            higher_is_better: crate::metric::higher_is_better(metric),
        };
        for s in runs {
            match (s.status, value(s, metric)) {
                // Whatever a failed or interrupted run measured is partial: left out.
                (Status::Failed, _) => c.failed += 1,
                (Status::Interrupted, _) => c.interrupted += 1,
                (_, Some(v)) => c.values.push(v),
                (Status::Diverged, None) => c.diverged += 1,
                (_, None) => c.missing += 1,
            }
        }
        c
    }

    /// Diverged runs counted as the worst value.
    pub fn worst(&self) -> usize {
        match self.rule {
            DivergedRule::Worst => self.diverged,
            DivergedRule::Exclude => 0,
        }
    }

    /// Runs the aggregate is over.
    pub fn used(&self) -> usize {
        self.values.len() + self.worst()
    }

    /// `used/total`.
    pub fn n(&self) -> String {
        format!("{}/{}", self.used(), self.total)
    }

    /// The runs left out and why, e.g. `1 diverged, 1 failed`; empty when none is.
    pub fn out(&self) -> String {
        let excluded = self.diverged - self.worst();
        [
            (excluded, "diverged"),
            (self.failed, "failed"),
            (self.interrupted, "interrupted"),
            (self.missing, "without a value"),
        ]
        .iter()
        .filter(|(k, _)| *k > 0)
        .map(|(k, why)| format!("{k} {why}"))
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// Mean, sd and interval over the used runs; None when some of them count as the worst
    /// value (it cannot be averaged).
    pub fn describe(&self) -> Option<Describe> {
        (self.worst() == 0).then(|| Describe::of(&self.values))
    }

    /// The median of the used runs, diverged ones at the worst end: ±infinity once half or
    /// more of them are; NaN when no run is used.
    pub fn median(&self) -> f64 {
        let worst = if self.higher_is_better {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        let mut v = self.values.clone();
        v.extend(std::iter::repeat_n(worst, self.worst()));
        // With the worst value in the middle the average is that infinity (never ∞ - ∞: both
        // middle values are then at the worst end).
        crate::stats::describe::middle(v)
    }

    /// [`Counted::median`] as a cell: `diverged` when it is the worst value.
    pub fn median_cell(&self, sig: usize) -> String {
        let m = self.median();
        if m.is_infinite() && self.worst() > 0 {
            "diverged".into()
        } else {
            num(m, sig)
        }
    }
}

/// Steps to solve over the runs of a variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Solving {
    /// Runs of the variant.
    pub total: usize,
    /// Runs that solved.
    pub solved: usize,
    /// Runs on the Kaplan-Meier curve (not failed, not interrupted).
    pub observed: usize,
    /// The Kaplan-Meier median; None when not reached or no run is observed.
    pub median: Option<f64>,
}

impl Solving {
    pub fn of(runs: &[&Summary]) -> Solving {
        let observations: Vec<Observation> = runs
            .iter()
            .filter(|s| s.status.is_final() && s.status != Status::Failed && s.error.is_none())
            .map(|s| match s.steps_to_solve {
                Some(t) => Observation::solved(t as f64),
                None => Observation::censored(s.steps as f64),
            })
            .collect();
        Solving {
            total: runs.len(),
            solved: runs.iter().filter(|s| s.steps_to_solve.is_some()).count(),
            observed: observations.len(),
            median: kaplan_meier(&observations).and_then(|km| km.median()),
        }
    }

    /// The median as a cell: `not reached` while fewer than half solved.
    pub fn median_cell(&self) -> String {
        match self.median {
            Some(m) => num(m, 6),
            None if self.observed > 0 => "not reached".into(),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::verdict::tests::run;

    fn group() -> Vec<Summary> {
        vec![
            run(Status::Completed, Some(0.3), 100, None),
            run(Status::Completed, Some(0.1), 100, None),
            run(Status::Diverged, None, 20, None),
            run(Status::Failed, None, 0, None),
        ]
    }

    #[test]
    fn a_diverged_run_is_the_worst_value_and_blocks_the_mean() {
        let runs = group();
        let refs: Vec<&Summary> = runs.iter().collect();
        let c = Counted::of(&refs, "final.mse", DivergedRule::Worst);
        assert_eq!(
            (c.n(), c.out()),
            ("3/4".to_string(), "1 failed".to_string())
        );
        assert!(c.describe().is_none(), "no mean over 2 shown as 3");
        assert_eq!(c.median(), 0.3);
        let c = Counted::of(&refs[..3], "final.mse", DivergedRule::Exclude);
        assert_eq!(
            (c.n(), c.out()),
            ("2/3".to_string(), "1 diverged".to_string())
        );
        assert_eq!(c.describe().unwrap().n, 2);
        assert!((c.median() - 0.2).abs() < 1e-12);
        // Half diverged: the median is the worst value.
        let c = Counted::of(&[refs[0], refs[2]], "final.mse", DivergedRule::Worst);
        assert_eq!(
            (c.median(), c.median_cell(4)),
            (f64::INFINITY, "diverged".into())
        );
    }

    #[test]
    fn steps_to_solve_is_the_kaplan_meier_median() {
        // One of three solved: the median of the solved runs would be 900; it is not reached.
        let runs = [
            run(Status::Solved, None, 900, Some(900)),
            run(Status::Completed, Some(0.2), 3000, None),
            run(Status::Completed, Some(0.2), 3000, None),
        ];
        let refs: Vec<&Summary> = runs.iter().collect();
        let s = Solving::of(&refs);
        assert_eq!((s.solved, s.total, s.median), (1, 3, None));
        assert_eq!(s.median_cell(), "not reached");
        // Two of three: S(1200) = 1/3.
        let runs = [
            runs[0].clone(),
            run(Status::Solved, None, 1200, Some(1200)),
            runs[1].clone(),
        ];
        let refs: Vec<&Summary> = runs.iter().collect();
        assert_eq!(Solving::of(&refs).median, Some(1200.0));
    }
}
