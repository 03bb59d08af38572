//! Equivalence within a margin (TOST) and confidence intervals for a shift, both from the
//! permutation tests of `permutation.rs`.
//!
//! Why: "A and B perform the same" cannot be read off a large p-value (with three seeds
//! nothing is ever significant). Schuirmann's two one-sided tests (Schuirmann 1987, J.
//! Pharmacokinet. Biopharm. 15:657) turn it into a claim that can be rejected: the difference
//! is at most -δ is rejected, and so is at least +δ. Each one-sided test is a permutation test
//! on shifted data, so TOST inherits its exactness and its floor (p >= `min_p`).
//!
//! The interval is the set of shifts Δ that the two-sided permutation test of
//! mean(a) - mean(b) = Δ (a - Δ against b) does not reject at level α. Under the shift model
//! (a is distributed as b + Δ) the test at the true Δ is exact, so the interval covers Δ with
//! probability >= 1 - α for every sample size: it is exact in level, unlike a percentile
//! bootstrap with n = 3 (Tritchler 1984, "On inverting permutation tests", JASA 79:200;
//! Ernst 2004, Statistical Science 19:676, section 4). With the Monte-Carlo fallback the
//! p = (k+1)/(R+1) is still a valid p-value, so the coverage holds over the random draws too.
//!
//! How it is found: for a split that swaps j >= 1 values of a (set R) with j of b (set A), the
//! shifted statistic is at least the observed one exactly when Δ >= c = mean(R) - mean(A)
//! (paired: a sign pattern flipping the set F has c = mean of d over F). So p_greater(Δ) is a
//! step function rising at the sorted candidates c, p_less falls at them, and the bounds are
//! order statistics of the finite candidate set: no root finding, no grid, no tolerance.

use super::permutation::{paired_permutation_test, permutation_test};
use super::resample::{
    for_each_sign_pattern, for_each_split, Alternative, PermutationTest, Resampling,
};

/// TOST within ±`margin` (Schuirmann 1987).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Equivalence {
    pub margin: f64,
    /// max(lower.p, upper.p): equivalence is shown at level α when p <= α.
    pub p: f64,
    /// The test of difference <= -margin (a + margin against b, alternative Greater).
    pub lower: PermutationTest,
    /// The test of difference >= +margin (a - margin against b, alternative Less).
    pub upper: PermutationTest,
}

/// A confidence interval obtained by inverting a permutation test: every shift in
/// [low, high] has a two-sided p > α. `low` is -∞ (`high` +∞) when the sample sizes cannot
/// reject any shift at this level (α/2 below the smallest one-sided p).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShiftInterval {
    pub low: f64,
    pub high: f64,
    /// 1 - α.
    pub confidence: f64,
    pub exact: bool,
    pub resamples: u64,
}

fn valid_margin(margin: f64) -> bool {
    margin.is_finite() && margin > 0.0
}

fn shifted(values: &[f64], by: f64) -> Vec<f64> {
    values.iter().map(|v| v + by).collect()
}

/// TOST for two independent samples: `Some` with p = max of the two one-sided permutation
/// p-values; None when `margin` is not a positive number or a sample is unusable (see
/// `permutation_test`).
pub fn tost(a: &[f64], b: &[f64], margin: f64, plan: &Resampling) -> Option<Equivalence> {
    if !valid_margin(margin) {
        return None;
    }
    let lower = permutation_test(&shifted(a, margin), b, Alternative::Greater, plan)?;
    let upper = permutation_test(&shifted(a, -margin), b, Alternative::Less, plan)?;
    Some(Equivalence {
        margin,
        p: lower.p.max(upper.p),
        lower,
        upper,
    })
}

/// TOST for paired differences d = a - b, with the sign-flip test.
pub fn tost_paired(d: &[f64], margin: f64, plan: &Resampling) -> Option<Equivalence> {
    if !valid_margin(margin) {
        return None;
    }
    let lower = paired_permutation_test(&shifted(d, margin), Alternative::Greater, plan)?;
    let upper = paired_permutation_test(&shifted(d, -margin), Alternative::Less, plan)?;
    Some(Equivalence {
        margin,
        p: lower.p.max(upper.p),
        lower,
        upper,
    })
}

/// The candidate shifts of the non-identity labellings, and how many labellings count as
/// extreme at every shift (the identity, plus SciPy's +1 when random).
struct Candidates {
    shifts: Vec<f64>,
    always: u64,
    exact: bool,
    resamples: u64,
}

impl Candidates {
    /// The set of shifts whose two-sided p (2·min of the one-sided, SciPy's rule) exceeds α.
    fn interval(mut self, alpha: f64) -> ShiftInterval {
        self.shifts.sort_by(f64::total_cmp);
        let den = if self.exact {
            self.resamples
        } else {
            self.resamples + 1
        };
        let always = self.always + u64::from(!self.exact);
        // p_greater(Δ) = (always + #{c <= Δ}) / den > α/2 needs #{c <= Δ} >= needed.
        let mut bound = alpha / 2.0 * den as f64 - always as f64;
        if (bound - bound.round()).abs() < 1e-9 {
            bound = bound.round(); // α·den/2 is often an integer; do not let rounding decide.
        }
        let needed = if bound < 0.0 {
            0
        } else {
            bound.floor() as usize + 1
        };
        let len = self.shifts.len();
        let (low, high) = if needed == 0 {
            (f64::NEG_INFINITY, f64::INFINITY)
        } else {
            (self.shifts[needed - 1], self.shifts[len - needed])
        };
        ShiftInterval {
            low,
            high,
            confidence: 1.0 - alpha,
            exact: self.exact,
            resamples: self.resamples,
        }
    }
}

fn usable(values: &[f64]) -> bool {
    !values.is_empty() && values.iter().all(|v| v.is_finite())
}

fn valid_alpha(alpha: f64) -> bool {
    alpha > 0.0 && alpha < 1.0
}

/// The 1 - α interval for mean(a) - mean(b) from the two-sample permutation test (the same
/// splits, exact or seeded Monte-Carlo, as `permutation_test` with this plan). None when α is
/// not in (0, 1) or a sample is unusable.
pub fn shift_interval(
    a: &[f64],
    b: &[f64],
    alpha: f64,
    plan: &Resampling,
) -> Option<ShiftInterval> {
    if !usable(a) || !usable(b) || !valid_alpha(alpha) {
        return None;
    }
    let (n1, n) = (a.len(), a.len() + b.len());
    let sum_a = a.iter().sum::<f64>();
    let mut c = Candidates {
        shifts: Vec::new(),
        always: 0,
        exact: true,
        resamples: 0,
    };
    // Only the split's own members are read (O(n1) per split, no allocation): those from a
    // are kept, those from b are added.
    c.exact = for_each_split(n, n1, plan, |split| {
        c.resamples += 1;
        let (mut kept, mut added, mut j) = (0.0, 0.0, 0usize);
        for &i in split {
            if i < n1 {
                kept += a[i];
            } else {
                added += b[i - n1];
                j += 1;
            }
        }
        if j == 0 {
            c.always += 1;
        } else {
            let j = j as f64;
            c.shifts.push((sum_a - kept) / j - added / j);
        }
    });
    Some(c.interval(alpha))
}

/// The 1 - α interval for the mean paired difference from the sign-flip test.
pub fn shift_interval_paired(d: &[f64], alpha: f64, plan: &Resampling) -> Option<ShiftInterval> {
    if !usable(d) || !valid_alpha(alpha) {
        return None;
    }
    let mut c = Candidates {
        shifts: Vec::new(),
        always: 0,
        exact: true,
        resamples: 0,
    };
    c.exact = for_each_sign_pattern(d.len(), plan, |flips| {
        c.resamples += 1;
        let (sum, count) = d
            .iter()
            .zip(flips)
            .filter(|(_, &f)| f)
            .fold((0.0, 0usize), |(s, k), (v, _)| (s + v, k + 1));
        if count == 0 {
            c.always += 1;
        } else {
            c.shifts.push(sum / count as f64);
        }
    });
    Some(c.interval(alpha))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: [f64; 5] = [0.42, 0.61, 0.55, 0.73, 0.38];
    const B: [f64; 4] = [0.35, 0.52, 0.29, 0.47];
    const UNEQUAL: ([f64; 3], [f64; 6]) = ([1.0, 5.0, 2.5], [2.0, 2.2, 3.1, 0.4, 1.7, 2.9]);
    const D: [f64; 6] = [0.10, -0.01, 0.10, 0.10, 0.05, -0.02];
    /// 7 against 9: C(16, 7) = 11440 splits, and α/2 · 11440 = 2002 for α = 0.35, which
    /// floating point computes as 2001.9999999999998 (values chosen so that the candidate
    /// shifts next to the bounds are distinct).
    const SEVEN: [f64; 7] = [2.817, 3.847, 2.677, 3.487, 2.619, 2.846, 3.899];
    const NINE: [f64; 9] = [
        1.993, 2.599, 2.343, 2.334, 2.393, 1.969, 2.863, 1.825, 2.028,
    ];

    fn plan() -> Resampling {
        Resampling::default()
    }

    /// Reference: crates/report/src/stats/reference.py (SciPy 1.17.1): the two shifted
    /// one-sided permutation_test calls and their maximum (TOST_*).
    #[test]
    fn tost_matches_scipy() {
        let t = tost(&A, &B, 0.2, &plan()).unwrap();
        assert!((t.lower.p - 0.007936507936507936).abs() < 1e-12, "{t:?}");
        assert!((t.upper.p - 0.23015873015873015).abs() < 1e-12, "{t:?}");
        assert_eq!(t.p, t.upper.p);
        let close = tost(
            &[1.00, 1.02, 0.98, 1.01],
            &[0.99, 1.00, 1.03, 0.97],
            0.05,
            &plan(),
        );
        let close = close.unwrap();
        assert!((close.lower.p - 0.02857142857142857).abs() < 1e-12);
        assert!((close.p - 0.02857142857142857).abs() < 1e-12);
        // 4 against 4 cannot show anything below 1/70, however close the samples are.
        assert_eq!(close.lower.min_p, 1.0 / 70.0);
        assert!(tost(&A, &B, 0.0, &plan()).is_none());
        assert!(tost(&A, &B, f64::NAN, &plan()).is_none());
        assert!(tost_paired(&D, -1.0, &plan()).is_none());
    }

    /// Reference: reference.py (CI_OVERLAP_*), which tests SciPy's two-sided permutation_test
    /// just beside every candidate shift and keeps the extremes of those not rejected.
    #[test]
    fn interval_matches_scipy_inversion() {
        for (alpha, low, high) in [(0.05, -0.095, 0.35), (0.2, 0.003333333333, 0.26)] {
            let ci = shift_interval(&A, &B, alpha, &plan()).unwrap();
            assert!((ci.low - low).abs() < 1e-9, "{alpha}: {ci:?}");
            assert!((ci.high - high).abs() < 1e-9, "{alpha}: {ci:?}");
            assert!(ci.exact && ci.resamples == 126 && ci.confidence == 1.0 - alpha);
        }
    }

    /// The interval is exactly the set of shifts the test does not reject: just inside each
    /// end p > α, just outside p <= α (two-sample and paired, several levels).
    #[test]
    fn interval_is_the_inversion_of_the_test() {
        let two_sample = |a: &[f64], b: &[f64], shift: f64| {
            let a = shifted(a, -shift);
            permutation_test(&a, b, Alternative::TwoSided, &plan())
                .unwrap()
                .p
        };
        let paired = |d: &[f64], _: &[f64], shift: f64| {
            let d = shifted(d, -shift);
            paired_permutation_test(&d, Alternative::TwoSided, &plan())
                .unwrap()
                .p
        };
        type Test<'a> = &'a dyn Fn(&[f64], &[f64], f64) -> f64;
        let cases: [(&[f64], &[f64], Test); 4] = [
            (&A, &B, &two_sample),
            (&UNEQUAL.0, &UNEQUAL.1, &two_sample),
            (&SEVEN, &NINE, &two_sample),
            (&D, &[], &paired),
        ];
        for (a, b, test) in cases {
            for alpha in [0.05, 0.1, 0.2, 0.35, 0.5] {
                let ci = if b.is_empty() {
                    shift_interval_paired(a, alpha, &plan()).unwrap()
                } else {
                    shift_interval(a, b, alpha, &plan()).unwrap()
                };
                let step = 1e-7;
                assert!(ci.low <= ci.high, "{ci:?}");
                if ci.low.is_finite() {
                    assert!(test(a, b, ci.low + step) > alpha, "{alpha} {ci:?}");
                    assert!(test(a, b, ci.low - step) <= alpha, "{alpha} {ci:?}");
                    assert!(test(a, b, ci.high - step) > alpha, "{alpha} {ci:?}");
                    assert!(test(a, b, ci.high + step) <= alpha, "{alpha} {ci:?}");
                }
            }
        }
    }

    /// Schuirmann's duality: TOST at level α shows equivalence exactly when the 1 - 2α
    /// interval lies inside (-δ, +δ).
    #[test]
    fn tost_agrees_with_the_interval() {
        let alpha = 0.05;
        let ci = shift_interval(&A, &B, 2.0 * alpha, &plan()).unwrap();
        let paired_ci = shift_interval_paired(&D, 2.0 * alpha, &plan()).unwrap();
        for margin in [0.05, 0.1, 0.2, 0.3, 0.36, 0.5, 1.0] {
            let t = tost(&A, &B, margin, &plan()).unwrap();
            let inside = -margin < ci.low && ci.high < margin;
            assert_eq!(t.p <= alpha, inside, "δ = {margin}: {t:?} {ci:?}");
            let t = tost_paired(&D, margin, &plan()).unwrap();
            let inside = -margin < paired_ci.low && paired_ci.high < margin;
            assert_eq!(t.p <= alpha, inside, "δ = {margin}: {t:?} {paired_ci:?}");
        }
    }

    /// Two against two has 6 splits: no shift is ever rejected at 5% (smallest two-sided
    /// p = 1/3), so the interval is the whole line rather than a false precise one.
    #[test]
    fn tiny_samples_give_an_unbounded_interval() {
        let ci = shift_interval(&[1.0, 2.0], &[5.0, 6.0], 0.05, &plan()).unwrap();
        assert_eq!((ci.low, ci.high), (f64::NEG_INFINITY, f64::INFINITY));
        assert!(shift_interval(&A, &B, 0.0, &plan()).is_none());
        assert!(shift_interval(&[], &B, 0.05, &plan()).is_none());
        assert!(shift_interval_paired(&D, 1.0, &plan()).is_none());
    }

    /// Beyond the exact limit the interval is the inversion of the same Monte-Carlo test.
    #[test]
    fn monte_carlo_interval_is_consistent_with_its_test() {
        let a = [5.1, 4.8, 6.3, 5.9, 4.4, 5.5, 6.8, 5.0, 5.7, 6.1];
        let b = [4.9, 4.2, 5.3, 4.6, 5.8, 4.0, 4.7, 5.2, 4.5, 5.6];
        let ci = shift_interval(&a, &b, 0.05, &plan()).unwrap();
        assert!(!ci.exact && ci.resamples == 100_000);
        // The observed difference 0.6 lies inside; the exact test has p = 0.0399 at 0.
        assert!(ci.low < 0.6 && 0.6 < ci.high && 0.0 < ci.low, "{ci:?}");
        for (shift, inside) in [(ci.low + 1e-7, true), (ci.low - 1e-7, false)] {
            let shifted_a = shifted(&a, -shift);
            let p = permutation_test(&shifted_a, &b, Alternative::TwoSided, &plan()).unwrap();
            assert_eq!(p.p > 0.05, inside, "{shift}: {p:?}");
        }
    }
}
