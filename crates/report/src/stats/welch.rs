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
    /// Two-sided p-value.
    pub p_two_sided: f64,
    /// One-sided p-value of the alternative mean(a) > mean(b).
    pub p_greater: f64,
}

impl Welch {
    /// One-sided p-value of the alternative mean(a) < mean(b).
    pub fn p_less(&self) -> f64 {
        if self.p_greater.is_nan() {
            return f64::NAN;
        }
        1.0 - self.p_greater
    }
}

/// Welch's t-test from the summaries of two samples; None when either has fewer than two
/// values (no variance to estimate).
///
/// Degenerate case: when both samples have zero variance the test is undefined; seeds that all
/// hit exactly the same value (accuracy 1.0) are common here, so the difference then counts as
/// certain (p = 0 one way, 1 the other) if the means differ and as no evidence (p = 1) if not.
pub fn welch(a: &Describe, b: &Describe) -> Option<Welch> {
    if a.n < 2 || b.n < 2 || !a.sd.is_finite() || !b.sd.is_finite() {
        return None;
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let (va, vb) = (a.sd * a.sd / na, b.sd * b.sd / nb);
    let se2 = va + vb;
    let difference = a.mean - b.mean;
    if se2 == 0.0 {
        let (p_two_sided, p_greater) = if difference > 0.0 {
            (0.0, 0.0)
        } else if difference < 0.0 {
            (0.0, 1.0)
        } else {
            (1.0, 1.0)
        };
        let t = if difference == 0.0 {
            0.0
        } else {
            difference.signum() * f64::INFINITY
        };
        return Some(Welch {
            difference,
            t,
            df: na + nb - 2.0,
            p_two_sided,
            p_greater,
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

    #[test]
    fn zero_spread_is_certain_when_means_differ() {
        let a = Describe::of(&[1.0, 1.0, 1.0]);
        let b = Describe::of(&[0.1, 0.1, 0.1]);
        let w = welch(&a, &b).unwrap();
        // Means of equal values carry rounding noise (0.1 × 3 / 3), so the spread is ~1e-17:
        // the p-value is then zero for every practical purpose.
        assert!(w.p_greater < 1e-12, "{}", w.p_greater);
        assert!(w.p_two_sided < 1e-12);
        let exact = welch(&Describe::of(&[1.0, 1.0]), &Describe::of(&[0.5, 0.5])).unwrap();
        assert_eq!((exact.p_greater, exact.p_two_sided), (0.0, 0.0));
        assert!(welch(&a, &Describe::of(&[0.5])).is_none());
    }
}
