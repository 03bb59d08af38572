//! The test a claim gets, chosen from what its metric is (shared/reference/statistics.md):
//!
//! - a 0/1 outcome (`solved`, `diverged`): Boschloo's exact test on the two counts (uniformly
//!   more powerful than Fisher's; Lydersen, Fagerland & Laake 2009);
//! - `steps_to_solve`: unsolved runs are right-censored at the step they stopped, and the two
//!   groups are compared by the log-rank statistic's exact permutation distribution (the
//!   chi-square approximation does not hold for a handful of runs);
//! - any other metric: the exact permutation test of the difference of means
//!   (Monte-Carlo beyond 100,000 splits), with the interval obtained by inverting it, which is
//!   exact in level. A diverged run has no final metric; it counts as the worst value: then
//!   the test permutes the runs' ranks (worst tied last), which is Wilcoxon's rank-sum test.
//! - `test: welch` keeps Welch's t-test, whose p rests on normality.
//!
//! Runs without a value for another reason (failed, interrupted) are left out and counted.
use rnnlab_results::Summary;
use rnnlab_spec::{ClaimTest, MetricRef, Relation, Scalar};

use crate::load::value;
use crate::stats::{
    boschloo_exact, logrank, permutation_test, shift_interval, tost, welch, Alternative, Describe,
    Observation, Resampling,
};

/// What a test said about group a against group b.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The test, as the report names it.
    pub test: String,
    /// The p-value in the claimed direction; NaN when the test could not be run.
    pub p: f64,
    /// The smallest p this test can give with these sample sizes.
    pub min_p: f64,
    /// The values compared (diverged runs, counted as worst, are not among them).
    pub a: Describe,
    pub b: Describe,
    /// Runs that entered the test, per side.
    pub used: (usize, usize),
    /// 95% interval of mean(a) - mean(b), when the test gives one.
    pub interval: Option<(f64, f64)>,
    /// The sign of the observed effect agrees with the claim.
    pub sign_ok: bool,
}

/// One side of a claim: the summaries of its runs.
pub fn judge(
    metric: &MetricRef,
    reference: &str,
    relation: Relation,
    margin: Option<f64>,
    test: ClaimTest,
    a: &[&Summary],
    b: &[&Summary],
) -> Verdict {
    let alternative = match relation {
        Relation::Greater => Alternative::Greater,
        Relation::Less => Alternative::Less,
        Relation::Differs | Relation::Equivalent => Alternative::TwoSided,
    };
    let values = |runs: &[&Summary]| -> Vec<f64> {
        runs.iter().filter_map(|s| value(s, reference)).collect()
    };
    let (va, vb) = (values(a), values(b));
    let mut v = Verdict {
        test: String::new(),
        p: f64::NAN,
        min_p: f64::NAN,
        a: Describe::of(&va),
        b: Describe::of(&vb),
        used: (va.len(), vb.len()),
        interval: None,
        sign_ok: false,
    };
    let difference = v.a.mean - v.b.mean;
    v.sign_ok = match relation {
        Relation::Greater => difference > 0.0,
        Relation::Less => difference < 0.0,
        Relation::Differs => difference != 0.0,
        Relation::Equivalent => true,
    };
    let plan = Resampling::default();
    if test == ClaimTest::Welch {
        v.test = "Welch's t-test".into();
        if let Some(w) = welch(&v.a, &v.b).filter(|w| w.applicable()) {
            v.p = match alternative {
                Alternative::Greater => w.p_greater,
                Alternative::Less => w.p_less(),
                Alternative::TwoSided => w.p_two_sided,
            };
            v.min_p = 0.0;
        }
        return v;
    }
    match metric {
        MetricRef::Scalar(Scalar::Solved | Scalar::Diverged)
            if relation != Relation::Equivalent =>
        {
            v.test = "Boschloo's exact test".into();
            let ones = |x: &[f64]| x.iter().filter(|&&x| x == 1.0).count();
            let (n1, n2) = v.used;
            if let Some(t) = boschloo_exact(ones(&va), n1, ones(&vb), n2, alternative) {
                v.p = t.p;
                v.min_p =
                    boschloo_exact(n1, n1, 0, n2, Alternative::Greater).map_or(f64::NAN, |m| {
                        match alternative {
                            Alternative::TwoSided => (2.0 * m.p).min(1.0),
                            _ => m.p,
                        }
                    });
            }
        }
        MetricRef::Scalar(Scalar::StepsToSolve) if relation != Relation::Equivalent => {
            v.test = "log-rank, exact permutation (unsolved runs censored)".into();
            let observe = |runs: &[&Summary]| -> Vec<Observation> {
                runs.iter()
                    .filter(|s| s.status.is_final() && s.error.is_none())
                    .map(|s| match s.steps_to_solve {
                        Some(t) => Observation::solved(t as f64),
                        None => Observation::censored(s.steps as f64),
                    })
                    .collect()
            };
            let (oa, ob) = (observe(a), observe(b));
            v.used = (oa.len(), ob.len());
            // Fewer steps is better: `a < b` claims that a solves sooner, the log-rank
            // alternative `Greater` (a's rate of solving is higher).
            let sooner = match alternative {
                Alternative::Greater => Alternative::Less,
                Alternative::Less => Alternative::Greater,
                Alternative::TwoSided => Alternative::TwoSided,
            };
            if let Some(t) = logrank(&oa, &ob, sooner, &plan) {
                v.p = t.permutation.p;
                v.min_p = t.permutation.min_p;
                v.sign_ok = match relation {
                    Relation::Less => t.z > 0.0,
                    Relation::Greater => t.z < 0.0,
                    _ => t.z != 0.0,
                } || relation == Relation::Differs;
            }
        }
        _ => {
            let worse_is_up = !metric.higher_is_better();
            let diverged = |runs: &[&Summary]| {
                runs.iter()
                    .filter(|s| s.diverged() && value(s, reference).is_none())
                    .count()
            };
            let (da, db) = (diverged(a), diverged(b));
            v.used = (va.len() + da, vb.len() + db);
            if let (Relation::Equivalent, Some(margin)) = (relation, margin) {
                v.test = "two one-sided permutation tests (TOST)".into();
                if let Some(e) = tost(&va, &vb, margin, &plan) {
                    v.p = e.p;
                    v.min_p = e.lower.min_p.max(e.upper.min_p);
                }
                v.interval = shift_interval(&va, &vb, 0.10, &plan)
                    .filter(|i| i.low.is_finite() && i.high.is_finite())
                    .map(|i| (i.low, i.high));
            } else if da + db > 0 {
                v.test = format!(
                    "permutation of ranks, {} diverged run(s) counted worst",
                    da + db
                );
                let (ra, rb) = ranks(&va, da, &vb, db, worse_is_up);
                if let Some(t) = permutation_test(&ra, &rb, alternative, &plan) {
                    v.p = t.p;
                    v.min_p = t.min_p;
                    v.sign_ok = match relation {
                        Relation::Greater => t.statistic > 0.0,
                        Relation::Less => t.statistic < 0.0,
                        _ => t.statistic != 0.0,
                    };
                }
            } else {
                v.test = "permutation test of the means".into();
                if let Some(t) = permutation_test(&va, &vb, alternative, &plan) {
                    v.p = t.p;
                    v.min_p = t.min_p;
                    if !t.exact {
                        v.test
                            .push_str(&format!(" (Monte-Carlo, ±{:.1e})", t.mc_se));
                    }
                }
                v.interval = shift_interval(&va, &vb, 0.05, &plan)
                    .filter(|i| i.low.is_finite() && i.high.is_finite())
                    .map(|i| (i.low, i.high));
            }
        }
    }
    v
}

/// Mid-ranks of the pooled values, with `da` and `db` diverged runs tied at the worst end
/// (the top when larger is worse). Returned per side.
fn ranks(a: &[f64], da: usize, b: &[f64], db: usize, worse_is_up: bool) -> (Vec<f64>, Vec<f64>) {
    let worst = if worse_is_up {
        f64::INFINITY
    } else {
        f64::NEG_INFINITY
    };
    let side_a: Vec<f64> = a
        .iter()
        .copied()
        .chain(std::iter::repeat_n(worst, da))
        .collect();
    let side_b: Vec<f64> = b
        .iter()
        .copied()
        .chain(std::iter::repeat_n(worst, db))
        .collect();
    let pooled: Vec<f64> = side_a.iter().chain(&side_b).copied().collect();
    let rank = |x: f64| {
        let below = pooled.iter().filter(|&&y| y < x).count() as f64;
        let equal = pooled.iter().filter(|&&y| y == x).count() as f64;
        below + (equal + 1.0) / 2.0
    };
    (
        side_a.iter().map(|&x| rank(x)).collect(),
        side_b.iter().map(|&x| rank(x)).collect(),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rnnlab_results::Status;

    /// A summary with a final MSE, the steps trained and when it solved (tests here and in
    /// `aggregate::counting`).
    pub(crate) fn run(
        status: Status,
        mse: Option<f64>,
        steps: usize,
        solved_at: Option<usize>,
    ) -> Summary {
        let mut s = Summary::new("x", status);
        if let Some(m) = mse {
            s.final_.insert("mse".into(), m);
        }
        s.steps = steps;
        s.steps_to_solve = solved_at;
        s
    }

    fn judge_mse(a: &[Summary], b: &[Summary], relation: Relation) -> Verdict {
        let (a, b): (Vec<&Summary>, Vec<&Summary>) = (a.iter().collect(), b.iter().collect());
        let metric = MetricRef::parse("final.mse").unwrap();
        judge(
            &metric,
            "final.mse",
            relation,
            None,
            ClaimTest::Exact,
            &a,
            &b,
        )
    }

    #[test]
    fn five_separated_runs_per_side_reach_one_in_252() {
        let a: Vec<Summary> = (0..5)
            .map(|i| run(Status::Completed, Some(0.01 + i as f64 * 1e-3), 100, None))
            .collect();
        let b: Vec<Summary> = (0..5)
            .map(|i| run(Status::Completed, Some(0.2 + i as f64 * 1e-3), 100, None))
            .collect();
        let v = judge_mse(&a, &b, Relation::Less);
        assert!((v.p - 1.0 / 252.0).abs() < 1e-12, "{v:?}");
        assert_eq!(v.min_p, v.p);
        assert!(v.sign_ok && v.test.starts_with("permutation test"));
        let (lo, hi) = v.interval.unwrap();
        assert!(lo < -0.18 && hi < 0.0, "{lo} {hi}");
        // Three per side can never pass a test at 0.05.
        let v = judge_mse(&a[..3], &b[..3], Relation::Less);
        assert!((v.p - 0.05).abs() < 1e-12, "{v:?}");
    }

    #[test]
    fn a_diverged_run_counts_as_the_worst_not_as_missing() {
        // b's two finite runs are better than a's, but b's third run diverged: dropping it
        // would make b look uniformly good.
        let a: Vec<Summary> = [0.10, 0.11, 0.12]
            .iter()
            .map(|&m| run(Status::Completed, Some(m), 100, None))
            .collect();
        let mut b: Vec<Summary> = [0.01, 0.02]
            .iter()
            .map(|&m| run(Status::Completed, Some(m), 100, None))
            .collect();
        b.push(run(Status::Diverged, None, 20, None));
        let v = judge_mse(&b, &a, Relation::Less);
        assert_eq!(v.used, (3, 3));
        assert!(v.test.contains("1 diverged"), "{}", v.test);
        // Ranks b = {1, 2, 6}, a = {3, 4, 5}: as many splits beat it as not.
        assert!(v.p > 0.3, "{v:?}");
        // A failed run is left out and not counted as worst.
        b[2] = run(Status::Failed, None, 0, None);
        let v = judge_mse(&b, &a, Relation::Less);
        assert_eq!(v.used, (2, 3));
        assert!((v.p - 0.1).abs() < 1e-12, "1/C(5,2) = 0.1: {v:?}");
    }

    #[test]
    fn binary_outcomes_get_boschloo_and_steps_to_solve_is_censored() {
        let diverged: Vec<Summary> = (0..3)
            .map(|_| run(Status::Diverged, None, 15, None))
            .collect();
        let fine: Vec<Summary> = (0..3)
            .map(|_| run(Status::Completed, Some(0.1), 400, None))
            .collect();
        let (d, f): (Vec<&Summary>, Vec<&Summary>) =
            (diverged.iter().collect(), fine.iter().collect());
        let metric = MetricRef::parse("diverged").unwrap();
        let v = judge(
            &metric,
            "diverged",
            Relation::Greater,
            None,
            ClaimTest::Exact,
            &d,
            &f,
        );
        assert!(v.test.starts_with("Boschloo"));
        // sup over π of π³(1-π)³ = 1/64: below Fisher's 1/C(6,3) = 0.05.
        assert!((v.p - 1.0 / 64.0).abs() < 1e-9, "{v:?}");
        assert!((v.min_p - v.p).abs() < 1e-12);

        // Two of three solve early; the third never does: censored at its last step, not
        // dropped (its median is not the median of the solved runs).
        let fast: Vec<Summary> = vec![
            run(Status::Solved, None, 100, Some(100)),
            run(Status::Solved, None, 200, Some(200)),
            run(Status::Completed, Some(0.1), 1000, None),
        ];
        let slow: Vec<Summary> = (0..3)
            .map(|_| run(Status::Completed, Some(0.2), 1000, None))
            .collect();
        let (f, s): (Vec<&Summary>, Vec<&Summary>) = (fast.iter().collect(), slow.iter().collect());
        let metric = MetricRef::parse("steps_to_solve").unwrap();
        let v = judge(
            &metric,
            "steps_to_solve",
            Relation::Less,
            None,
            ClaimTest::Exact,
            &f,
            &s,
        );
        assert_eq!(v.used, (3, 3));
        assert!(v.test.starts_with("log-rank"));
        assert!(v.sign_ok && v.p < 0.5 && v.p >= v.min_p, "{v:?}");
    }
}
