//! Welch's unequal-variances t-test (Welch 1947) and Hedges' g effect size (Hedges 1981).
//!
//! Why Welch and not Student: seeds of different cells have visibly different spreads (a
//! vanilla RNN at the baseline barely varies, an LSTM that sometimes solves the task varies a
//! lot), and Welch's test does not assume equal variances. It works from summary statistics, so
//! the same code compares a results folder with a committed baseline that keeps only n, mean
//! and sd.

use super::describe::Describe;
use super::dist::t_sf;

/// The outcome of Welch's test of mean(a) - mean(b).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// mean(a) - mean(b).
    pub difference: f64,
    /// The t statistic; ±∞ when both samples have zero spread and different means.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value; NaN when the test does not apply (see `welch`).
    pub p_two_sided: f64,
    /// One-sided p-value of the alternative mean(a) > mean(b); NaN when the test does not
    /// apply.
    pub p_greater: f64,
    /// Every value of both samples is the same: no evidence in either direction.
    identical: bool,
}

impl Welch {
    /// One-sided p-value of the alternative mean(a) < mean(b).
    pub fn p_less(&self) -> f64 {
        if self.p_greater.is_nan() {
            return f64::NAN;
        }
        if self.identical {
            return 1.0;
        }
        1.0 - self.p_greater
    }

    /// False when both samples have no spread and their means differ: there is then no
    /// variance to scale the difference by, and the p-values are NaN.
    pub fn applicable(&self) -> bool {
        !self.p_two_sided.is_nan()
    }
}

/// Spread below this share of the means' magnitude is floating-point noise, not variation:
/// the mean of three copies of 0.1 is 0.10000000000000002, so their computed sd is ~1e-17.
const ROUNDING_SPREAD: f64 = 1e-12;

/// Welch's t-test from the summaries of two samples; None when either has fewer than two
/// values (no variance to estimate).
///
/// Degenerate case: when neither sample has any spread (seeds that all hit exactly the same
/// value, accuracy 1.0, are common here; spread at rounding level counts as none) the t
/// statistic is ±∞ and no t-distribution p-value means anything: SciPy's `ttest_ind` then
/// reports p = 0, or 1e-34 for three copies of 0.1 against three of 1.0, a certainty that
/// six runs cannot give (an exact permutation test of 3 against 3 cannot go below 0.05). So
/// when the means differ the p-values are NaN, "not applicable" (`Welch::applicable`), and
/// the caller should use a permutation test or report the claim as untestable by Welch; when
/// the means are equal too, every value is the same and there is no evidence: p = 1.
pub fn welch(a: &Describe, b: &Describe) -> Option<Welch> {
    if a.n < 2 || b.n < 2 || !a.sd.is_finite() || !b.sd.is_finite() {
        return None;
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let (va, vb) = (a.sd * a.sd / na, b.sd * b.sd / nb);
    let se2 = va + vb;
    let difference = a.mean - b.mean;
    let noise = ROUNDING_SPREAD * a.mean.abs().max(b.mean.abs());
    if a.sd <= noise && b.sd <= noise {
        let same = difference.abs() <= noise;
        let (t, p) = if same {
            (0.0, 1.0)
        } else {
            (difference.signum() * f64::INFINITY, f64::NAN)
        };
        return Some(Welch {
            difference,
            t,
            df: na + nb - 2.0,
            p_two_sided: p,
            p_greater: p,
            identical: same,
        });
    }
    let t = difference / se2.sqrt();
    let df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    let p_greater = t_sf(t, df);
    let p_two_sided = (2.0 * t_sf(t.abs(), df)).min(1.0);
    Some(Welch {
        difference,
        t,
        df,
        p_two_sided,
        p_greater,
        identical: false,
    })
}

/// Hedges' g: the difference of means in units of the pooled standard deviation, with the
/// small-sample correction J = 1 - 3 / (4(na + nb) - 9) (Hedges 1981) — with three to five
/// seeds Cohen's d overstates the effect noticeably. NaN when undefined (fewer than two values
/// per side, or no spread at all).
pub fn hedges_g(a: &Describe, b: &Describe) -> f64 {
    if a.n < 2 || b.n < 2 {
        return f64::NAN;
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let pooled = (((na - 1.0) * a.sd * a.sd + (nb - 1.0) * b.sd * b.sd) / (na + nb - 2.0)).sqrt();
    if pooled == 0.0 || !pooled.is_finite() {
        return f64::NAN;
    }
    let correction = 1.0 - 3.0 / (4.0 * (na + nb) - 9.0);
    correction * (a.mean - b.mean) / pooled
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: [f64; 5] = [0.91, 0.88, 0.95, 0.97, 0.90];
    const B: [f64; 4] = [0.52, 0.61, 0.49, 0.70];

    /// Reference: scipy.stats.ttest_ind(A, B, equal_var=False) (SciPy 1.17.1), with
    /// alternative='two-sided' and 'greater'; the df is the Welch–Satterthwaite formula
    /// evaluated in NumPy.
    #[test]
    fn matches_scipy_ttest_ind() {
        let w = welch(&Describe::of(&A), &Describe::of(&B)).unwrap();
        assert!((w.t - T).abs() < 1e-10, "t = {}", w.t);
        assert!((w.df - DF).abs() < 1e-9, "df = {}", w.df);
        assert!((w.p_two_sided - P2).abs() < 1e-12, "p = {}", w.p_two_sided);
        assert!((w.p_greater - P1).abs() < 1e-12, "p = {}", w.p_greater);
        let back = welch(&Describe::of(&B), &Describe::of(&A)).unwrap();
        assert!((back.p_less() - P1).abs() < 1e-12);
    }

    const T: f64 = 6.807402515026185;
    const DF: f64 = 3.733629339805153;
    const P2: f64 = 0.0031130000389457896;
    const P1: f64 = 0.0015565000194728948;

    /// Reference: Hedges' g by its definition in NumPy (pooled sd with ddof=1, correction
    /// 1 - 3/(4(na+nb)-9)).
    #[test]
    fn hedges_g_matches_reference() {
        let g = hedges_g(&Describe::of(&A), &Describe::of(&B));
        assert!((g - G).abs() < 1e-10, "g = {g}");
    }

    const G: f64 = 4.462873668311748;

    /// No spread on either side: no p-value instead of a hand-set certainty (SciPy's
    /// ttest_ind says p = 0 and p = 1.2e-34 for these; reference.py prints them).
    #[test]
    fn zero_spread_has_no_p_value_when_means_differ() {
        let a = Describe::of(&[1.0, 1.0, 1.0]);
        // 0.1 × 3 / 3 leaves rounding noise: the computed sd is ~1e-17, not 0.
        let b = Describe::of(&[0.1, 0.1, 0.1]);
        let exact = welch(&Describe::of(&[1.0, 1.0]), &Describe::of(&[0.5, 0.5])).unwrap();
        for w in [welch(&a, &b).unwrap(), welch(&b, &a).unwrap(), exact] {
            assert!(!w.applicable(), "{w:?}");
            assert!(w.p_two_sided.is_nan() && w.p_greater.is_nan() && w.p_less().is_nan());
            assert!(w.t.is_infinite() && w.t.signum() == w.difference.signum());
        }
        assert!(welch(&a, &Describe::of(&[0.5])).is_none());
    }

    /// All values equal on both sides: nothing differs, no evidence either way (p = 1, also
    /// for the alternative "less", which the old 1 - p_greater made 0), even when the means
    /// differ by rounding alone (0.1 × 3 / 3 against 0.1 × 2 / 2).
    #[test]
    fn identical_values_give_p_one() {
        let w = welch(&Describe::of(&[0.1; 3]), &Describe::of(&[0.1; 2])).unwrap();
        assert!(w.applicable());
        assert_eq!(
            (w.t, w.p_two_sided, w.p_greater, w.p_less()),
            (0.0, 1.0, 1.0, 1.0)
        );
        // One side without spread, the other with: an ordinary Welch test.
        let w = welch(&Describe::of(&[1.0; 3]), &Describe::of(&B)).unwrap();
        assert!(w.applicable() && w.p_two_sided > 0.0 && w.p_two_sided < 0.01);
    }
}
