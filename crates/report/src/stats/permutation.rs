//! Permutation tests of a difference of means: two independent samples (relabelling the
//! pooled runs) and paired samples (flipping the signs of the paired differences).
//!
//! Why: with three to eight seeds per side a t-test's p-value rests on a normality assumption
//! the data cannot check, and it happily reports p far below what the design can show. A
//! permutation test is exact under the null hypothesis of exchangeable labels (Fisher 1935;
//! Pitman 1937) and its p can never fall below 1/C(n1+n2, n1) (paired: 1/2^n), which the
//! result states beside the p so a reader sees what the sample sizes could show at all.
//!
//! Conventions, chosen to match `scipy.stats.permutation_test` (SciPy 1.17.1):
//! - exact (every split enumerated, the observed one included): p = k/N, so p >= 1/N > 0;
//! - Monte-Carlo (random splits): p = (k+1)/(R+1) (Phipson & Smyth 2010), never 0;
//! - two-sided: p = min(1, 2·min(p_less, p_greater)). For equal group sizes (and always for
//!   the paired test) the null distribution is symmetric and this equals the share of splits
//!   with |diff| >= |observed|; for unequal sizes it is SciPy's rule, and it keeps the smallest
//!   two-sided p at exactly twice the one-sided one;
//! - ties: a split counts as at least as extreme when it is within 100·ε of the observed
//!   statistic, relative to the larger of |observed| and the largest |value| (SciPy uses
//!   |observed| alone; the data's scale also catches ties at an observed difference of 0,
//!   where rounding noise is of the data's size, not of the difference's).

use super::resample::{
    binomial, doubled, for_each_sign_pattern, for_each_split, tie_tolerance, Alternative,
    PermutationTest, Resampling, Tally,
};

/// Smallest p of an exact two-sample permutation test: 1/C(n1+n2, n1), doubled (capped at 1)
/// for two-sided. Reached only when the observed split is the most extreme one.
pub fn min_p_two_sample(n1: usize, n2: usize, alternative: Alternative) -> f64 {
    doubled(1.0 / binomial(n1 + n2, n1), alternative)
}

/// Smallest p of an exact paired sign-flip test on n differences: 1/2^n, doubled for
/// two-sided.
pub fn min_p_paired(n: usize, alternative: Alternative) -> f64 {
    doubled(0.5_f64.powi(n as i32), alternative)
}

fn usable(values: &[f64]) -> bool {
    !values.is_empty() && values.iter().all(|v| v.is_finite())
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n as f64
}

/// Permutation test of mean(a) - mean(b) for two independent samples, over all
/// C(n1+n2, n1) splits of the pooled values (Monte-Carlo beyond `plan.exact_limit`).
/// `scipy.stats.permutation_test(..., permutation_type='independent')`. None when a side is
/// empty or holds a non-finite value (filter those first, as `Describe::of` does). When every
/// value is equal, every split ties with the observed one and p = 1.
pub fn permutation_test(
    a: &[f64],
    b: &[f64],
    alternative: Alternative,
    plan: &Resampling,
) -> Option<PermutationTest> {
    if !usable(a) || !usable(b) {
        return None;
    }
    let pooled: Vec<f64> = a.iter().chain(b).copied().collect();
    let (n, k) = (pooled.len(), a.len());
    // With n and k fixed, mean(a) - mean(b) = sum(a) (1/k + 1/(n-k)) - total/(n-k) grows with
    // sum(a), so the splits are ranked by sum(a): the same p-values, O(k) per split instead of
    // O(n). Ties are judged on the sums, with a tolerance for their rounding (k terms).
    let observed = mean(a.iter().copied()) - mean(b.iter().copied());
    let observed_sum: f64 = a.iter().sum();
    let tol = tie_tolerance(0.0, &pooled) * k as f64;
    let mut tally = Tally::new(true);
    tally.exact = for_each_split(n, k, plan, |split| {
        let sum: f64 = split.iter().map(|&i| pooled[i]).sum();
        tally.add(sum, observed_sum, tol);
    });
    let min_p = min_p_two_sample(a.len(), b.len(), alternative);
    Some(tally.finish(observed, alternative, min_p))
}

/// Paired permutation test of the mean of the differences `d` (a_i - b_i of runs sharing a
/// seed) by flipping their signs: all 2^n patterns, Monte-Carlo beyond `plan.exact_limit`.
/// Same as `scipy.stats.permutation_test((a, b), lambda x, y: mean(x - y),
/// permutation_type='samples')`. Zero differences flip to themselves, so all-zero data give
/// p = 1. None when `d` is empty or holds a non-finite value.
pub fn paired_permutation_test(
    d: &[f64],
    alternative: Alternative,
    plan: &Resampling,
) -> Option<PermutationTest> {
    if !usable(d) {
        return None;
    }
    let flipped_mean =
        |flips: &[bool]| mean(d.iter().zip(flips).map(|(&v, &f)| if f { -v } else { v }));
    let observed = mean(d.iter().copied());
    let tol = tie_tolerance(observed, d);
    let mut tally = Tally::new(true);
    tally.exact = for_each_sign_pattern(d.len(), plan, |flips| {
        tally.add(flipped_mean(flips), observed, tol);
    });
    Some(tally.finish(observed, alternative, min_p_paired(d.len(), alternative)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Alternative::{Greater, Less, TwoSided};

    const ALTS: [Alternative; 3] = [Greater, Less, TwoSided];
    const OVERLAP: ([f64; 5], [f64; 4]) =
        ([0.42, 0.61, 0.55, 0.73, 0.38], [0.35, 0.52, 0.29, 0.47]);
    const UNEQUAL: ([f64; 3], [f64; 6]) = ([1.0, 5.0, 2.5], [2.0, 2.2, 3.1, 0.4, 1.7, 2.9]);
    const TIES: ([f64; 4], [f64; 4]) = ([1.0, 1.0, 2.0, 3.0], [1.0, 2.0, 2.0, 2.0]);

    fn p(a: &[f64], b: &[f64], alt: Alternative) -> PermutationTest {
        permutation_test(a, b, alt, &Resampling::default()).unwrap()
    }

    /// Reference: crates/report/src/stats/reference.py (SciPy 1.17.1), permutation_test with
    /// permutation_type='independent', n_resamples=np.inf, statistic mean(x) - mean(y);
    /// values in the order greater, less, two-sided.
    #[test]
    fn matches_scipy_exact_two_sample() {
        let cases: [(&[f64], &[f64], [f64; 3]); 3] = [
            (
                &OVERLAP.0,
                &OVERLAP.1,
                [0.09523809523809523, 0.9206349206349206, 0.19047619047619047],
            ),
            (
                &UNEQUAL.0,
                &UNEQUAL.1,
                [0.23809523809523808, 0.7976190476190477, 0.47619047619047616],
            ),
            // Ties: both one-sided p include the tied splits, and two-sided caps at 1.
            (
                &TIES.0,
                &TIES.1,
                [0.6714285714285714, 0.6714285714285714, 1.0],
            ),
        ];
        for (a, b, want) in cases {
            for (alt, want) in ALTS.into_iter().zip(want) {
                let r = p(a, b, alt);
                assert!((r.p - want).abs() < 1e-12, "{alt:?}: {} vs {want}", r.p);
                assert!(r.exact && r.mc_se == 0.0);
                assert_eq!(r.resamples as f64, binomial(a.len() + b.len(), a.len()));
            }
        }
    }

    /// Hand-checkable: separated 5 against 5 can only be the single most extreme of 252
    /// splits; 3 against 3 two-sided cannot go below 2/20. reference.py agrees
    /// (0.003968253968253968 and 0.1).
    #[test]
    fn separated_samples_reach_the_floor() {
        let r = p(
            &[6.0, 7.0, 8.0, 9.0, 10.0],
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            Greater,
        );
        assert_eq!(r.p, 1.0 / 252.0);
        assert_eq!(r.p, r.min_p);
        assert_eq!(r.statistic, 5.0);
        let r = p(&[4.0, 5.0, 6.0], &[1.0, 2.0, 3.0], TwoSided);
        assert_eq!((r.p, r.min_p), (0.1, 0.1));
        assert_eq!(p(&[4.0, 5.0, 6.0], &[1.0, 2.0, 3.0], Less).p, 1.0);
    }

    /// The table of /work/shared/reference/statistics.md ("What a sample size can show").
    #[test]
    fn floors_match_the_closed_forms() {
        let table = [
            (3, 0.05, 0.10),
            (4, 0.0143, 0.0286),
            (5, 0.00397, 0.00794),
            (6, 0.00108, 0.00216),
            (8, 7.8e-5, 1.6e-4),
        ];
        for (n, one, two) in table {
            // The table rounds to two or three digits (1.554e-4 shows as 1.6e-4).
            assert!(
                (min_p_two_sample(n, n, Greater) / one - 1.0).abs() < 0.03,
                "{n}"
            );
            assert!(
                (min_p_two_sample(n, n, TwoSided) / two - 1.0).abs() < 0.03,
                "{n}"
            );
        }
        assert_eq!(min_p_two_sample(6, 6, Less), 1.0 / 924.0);
        assert_eq!(min_p_two_sample(8, 8, Greater), 1.0 / 12870.0);
        assert_eq!(min_p_two_sample(1, 1, TwoSided), 1.0);
        assert_eq!(min_p_paired(5, Greater), 1.0 / 32.0);
        assert_eq!(min_p_paired(8, TwoSided), 2.0 / 256.0);
        assert_eq!(min_p_paired(1, TwoSided), 1.0);
    }

    #[test]
    fn equal_values_give_p_one_and_p_is_never_zero() {
        for alt in ALTS {
            // 0.1 × 3 / 3 is not 0.1 in floating point: the tolerance must absorb it.
            assert_eq!(p(&[0.1; 3], &[0.1; 4], alt).p, 1.0);
            assert_eq!(p(&[0.5; 3], &[0.5; 4], alt).p, 1.0);
            let paired = paired_permutation_test(&[0.0; 5], alt, &Resampling::default());
            assert_eq!(paired.unwrap().p, 1.0);
        }
        for (a, b) in [(&OVERLAP.0[..], &OVERLAP.1[..]), (&UNEQUAL.0, &UNEQUAL.1)] {
            for alt in ALTS {
                let r = p(a, b, alt);
                assert!(r.p >= r.min_p && r.p > 0.0 && r.p <= 1.0);
            }
        }
    }

    /// 10 against 10 has 184,756 splits: beyond the exact limit, so 100,000 random splits.
    /// Reference: reference.py, exact (SciPy enumerates all 184,756): LARGE_*.
    #[test]
    fn monte_carlo_agrees_with_exact_scipy() {
        let a = [5.1, 4.8, 6.3, 5.9, 4.4, 5.5, 6.8, 5.0, 5.7, 6.1];
        let b = [4.9, 4.2, 5.3, 4.6, 5.8, 4.0, 4.7, 5.2, 4.5, 5.6];
        let want = [0.01996146268592089, 0.9831128623698283, 0.03992292537184178];
        for (alt, want) in ALTS.into_iter().zip(want) {
            let r = p(&a, &b, alt);
            assert!(!r.exact && r.resamples == 100_000 && r.mc_se > 0.0);
            assert!(
                (r.p - want).abs() < 4.0 * r.mc_se,
                "{alt:?}: {} ± {}",
                r.p,
                r.mc_se
            );
            assert_eq!(r, p(&a, &b, alt), "the seeded stream is reproducible");
        }
        // Forcing the Monte-Carlo path on a small case: close to the exact answer, never 0.
        let plan = Resampling {
            exact_limit: 10,
            draws: 0,
            ..Resampling::default()
        };
        let r = permutation_test(&OVERLAP.0, &OVERLAP.1, Greater, &plan).unwrap();
        assert_eq!(r.resamples, 10_000, "at least MIN_DRAWS draws");
        assert!((r.p - 0.09523809523809523).abs() < 4.0 * r.mc_se, "{r:?}");
        let r = permutation_test(&[6.0, 7.0, 8.0], &[1.0, 2.0, 3.0], Greater, &plan).unwrap();
        assert!(r.p >= 1.0 / 10_001.0);
    }

    /// Reference: reference.py, permutation_test with permutation_type='samples',
    /// n_resamples=np.inf, statistic mean(x - y): PAIRED_* (exact, 64 patterns) and
    /// PAIRED_LARGE_* (2^20 patterns; the Rust side draws 100,000).
    #[test]
    fn paired_matches_scipy() {
        let x = [0.80, 0.75, 0.90, 0.60, 0.85, 0.70];
        let y = [0.70, 0.76, 0.80, 0.50, 0.80, 0.72];
        let d: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a - b).collect();
        let want = [0.0625, 0.953125, 0.125];
        for (alt, want) in ALTS.into_iter().zip(want) {
            let r = paired_permutation_test(&d, alt, &Resampling::default()).unwrap();
            assert!((r.p - want).abs() < 1e-12, "{alt:?}: {}", r.p);
            assert!(r.exact && r.resamples == 64 && r.min_p == min_p_paired(6, alt));
        }
        let large = [
            0.3, 1.2, -0.4, 0.8, 0.5, 1.1, -0.2, 0.9, 0.4, 0.7, 0.1, 1.5, -0.6, 0.6, 0.2, 1.0, 0.3,
            -0.1, 0.8, 0.5,
        ];
        let want = [
            0.0007009506225585938,
            0.9994840621948242,
            0.0014019012451171875,
        ];
        for (alt, want) in ALTS.into_iter().zip(want) {
            let r = paired_permutation_test(&large, alt, &Resampling::default()).unwrap();
            assert!(!r.exact && r.resamples == 100_000);
            assert!(
                (r.p - want).abs() < 4.0 * r.mc_se,
                "{alt:?}: {} ± {}",
                r.p,
                r.mc_se
            );
        }
    }

    #[test]
    fn refuses_empty_or_non_finite_samples() {
        let plan = Resampling::default();
        assert!(permutation_test(&[], &[1.0], Greater, &plan).is_none());
        assert!(permutation_test(&[1.0, f64::NAN], &[1.0], Greater, &plan).is_none());
        assert!(paired_permutation_test(&[], TwoSided, &plan).is_none());
        assert!(paired_permutation_test(&[f64::INFINITY], TwoSided, &plan).is_none());
    }
}
