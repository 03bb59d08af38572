//! Fisher's exact test of two proportions: k1 of n1 runs against k2 of n2 (solved, diverged).
//!
//! Why: a binary outcome over a handful of seeds is a 2x2 table with tiny counts, where the
//! chi-square approximation is meaningless. Fisher's test (Fisher 1935, The Design of
//! Experiments, section 2) conditions on both margins, so under the null hypothesis of equal
//! proportions the number of successes in group 1 is hypergeometric and the p-value is a sum
//! of exact table probabilities. Boschloo's test (`boschloo.rs`) is uniformly more powerful
//! and builds on the tail probabilities computed here.
//!
//! Conventions match `scipy.stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative)`
//! (SciPy 1.17.1): Greater is "the proportion in group 1 is larger" (P(X >= k1)), Less the
//! opposite (P(X <= k1)), and two-sided sums the probabilities of every table no more likely
//! than the observed one. "No more likely" allows a relative tolerance of 1e-7, as R's
//! `fisher.test` does (SciPy 1.17.1 uses 1e-14): distinct tables of the same margins have
//! probabilities in the ratio of distinct integers, far further apart than 1e-7 at the sizes
//! used here, while rounding must never split tables that tie exactly. A table with an empty
//! row or column (no runs on a side, no successes or no failures at all) carries no evidence:
//! p = 1, as in SciPy.

use super::resample::{binomial, Alternative};

/// The largest n1 + n2 handled: C(n, k) stays finite in f64 up to n of about 1030.
pub const MAX_RUNS: usize = 1000;

/// Relative tolerance of "no more likely than the observed table" (two-sided).
const TWO_SIDED_TOLERANCE: f64 = 1e-7;

/// The hypergeometric distribution of the successes X in group 1 given s successes in all:
/// (smallest x of the support, P(X = x) for each x of the support). C(n, k) is exact below
/// 2^53, so the probabilities of symmetric tables tie exactly for up to ~56 runs.
pub(crate) fn hypergeometric(n1: usize, n2: usize, s: usize) -> (usize, Vec<f64>) {
    let lo = s.saturating_sub(n2);
    let hi = s.min(n1);
    let total = binomial(n1 + n2, s);
    let pmf = (lo..=hi)
        .map(|x| binomial(n1, x) * binomial(n2, s - x) / total)
        .collect();
    (lo, pmf)
}

/// One-sided p-values of Fisher's test for every point of a hypergeometric support:
/// (P(X <= x) for each x, P(X >= x) for each x).
pub(crate) fn tails(pmf: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut acc = 0.0;
    let below = pmf
        .iter()
        .map(|p| {
            acc += p;
            acc.min(1.0)
        })
        .collect();
    let mut above = vec![0.0; pmf.len()];
    acc = 0.0;
    for (i, p) in pmf.iter().enumerate().rev() {
        acc += p;
        above[i] = acc.min(1.0);
    }
    (below, above)
}

/// Fisher's exact test of k1/n1 against k2/n2; None when k1 > n1, k2 > n2 or
/// n1 + n2 > `MAX_RUNS`. Never 0: the observed table itself has positive probability.
pub fn fisher_exact(
    k1: usize,
    n1: usize,
    k2: usize,
    n2: usize,
    alternative: Alternative,
) -> Option<f64> {
    if k1 > n1 || k2 > n2 || n1 + n2 > MAX_RUNS {
        return None;
    }
    let s = k1 + k2;
    if n1 == 0 || n2 == 0 || s == 0 || s == n1 + n2 {
        return Some(1.0);
    }
    let (lo, pmf) = hypergeometric(n1, n2, s);
    let i = k1 - lo;
    let p = match alternative {
        Alternative::Less => pmf[..=i].iter().sum(),
        Alternative::Greater => pmf[i..].iter().sum(),
        Alternative::TwoSided => {
            let limit = pmf[i] * (1.0 + TWO_SIDED_TOLERANCE);
            pmf.iter().filter(|&&p| p <= limit).sum::<f64>()
        }
    };
    Some(p.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Alternative::{Greater, Less, TwoSided};

    /// (k1, n1, k2, n2, [greater, less, two-sided]). Reference: reference.py (SciPy 1.17.1),
    /// scipy.stats.fisher_exact([[k1, n1-k1], [k2, n2-k2]], alternative) (FISHER_*).
    pub(crate) const CASES: [(usize, usize, usize, usize, [f64; 3]); 8] = [
        (3, 3, 0, 3, [0.05000000000000001, 1.0, 0.10000000000000002]),
        (
            5,
            5,
            0,
            5,
            [0.003968253968253969, 1.0, 0.007936507936507938],
        ),
        (
            7,
            10,
            2,
            9,
            [
                0.051256792742860845,
                0.9955075883868454,
                0.06977851869492735,
            ],
        ),
        (
            1,
            5,
            4,
            6,
            [0.987012987012987, 0.1753246753246753, 0.24242424242424238],
        ),
        (
            2,
            8,
            5,
            7,
            [0.9911421911421912, 0.10023310023310021, 0.13193473193473193],
        ),
        (
            4,
            4,
            1,
            6,
            [0.023809523809523808, 1.0, 0.047619047619047616],
        ),
        (0, 3, 0, 3, [1.0, 1.0, 1.0]),
        (6, 12, 6, 12, [0.657863673545461, 0.657863673545461, 1.0]),
    ];

    #[test]
    fn matches_scipy_fisher_exact() {
        for (k1, n1, k2, n2, want) in CASES {
            for (alt, want) in [Greater, Less, TwoSided].into_iter().zip(want) {
                let p = fisher_exact(k1, n1, k2, n2, alt).unwrap();
                assert!(
                    (p - want).abs() <= 1e-12 * want,
                    "{k1}/{n1} vs {k2}/{n2} {alt:?}: {p} vs {want}"
                );
            }
        }
    }

    /// Hand-checkable (statistics.md): n/n against 0/n one-sided is 1/C(2n, n).
    #[test]
    fn all_against_none_is_one_over_the_splits() {
        for n in 1..=8 {
            let p = fisher_exact(n, n, 0, n, Greater).unwrap();
            assert!((p - 1.0 / binomial(2 * n, n)).abs() < 1e-15, "{n}: {p}");
            let p = fisher_exact(0, n, n, n, Less).unwrap();
            assert!((p - 1.0 / binomial(2 * n, n)).abs() < 1e-15, "{n}: {p}");
        }
        assert!((fisher_exact(3, 3, 0, 3, Greater).unwrap() - 0.05).abs() < 1e-15);
    }

    #[test]
    fn degenerate_tables_carry_no_evidence_and_bad_input_is_refused() {
        for alt in [Greater, Less, TwoSided] {
            assert_eq!(fisher_exact(0, 0, 2, 4, alt), Some(1.0));
            assert_eq!(fisher_exact(4, 4, 5, 5, alt), Some(1.0));
        }
        assert_eq!(fisher_exact(4, 3, 0, 3, Greater), None);
        assert_eq!(fisher_exact(1, 600, 1, 600, Greater), None);
    }

    #[test]
    fn tails_sum_to_one_and_never_reach_zero() {
        let (below, above) = tails(&[0.25, 0.5, 0.25]);
        assert_eq!(
            (below, above),
            (vec![0.25, 0.75, 1.0], vec![1.0, 0.75, 0.25])
        );
        for (n1, n2) in [(3, 3), (5, 8), (20, 20)] {
            for s in 0..=n1 + n2 {
                let (_, pmf) = hypergeometric(n1, n2, s);
                assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-12);
                assert!(pmf.iter().all(|&p| p > 0.0));
            }
        }
    }
}
