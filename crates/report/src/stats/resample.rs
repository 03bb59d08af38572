//! The machinery shared by the permutation tests (two-sample, paired, equivalence, log-rank):
//! enumerating every labelling or drawing random ones, and turning counts into p-values.
//!
//! Why one place: the exact/Monte-Carlo switch, the tie tolerance and the p-value conventions
//! must be the same in every test, or two verdicts on the same data could disagree. The
//! conventions follow `scipy.stats.permutation_test` (SciPy 1.17.1); see `permutation.rs`.

use super::rng::SplitMix64;

/// The alternative hypothesis, group a against group b: for the permutation tests about
/// mean(a) - mean(b) (paired: the mean difference); for `fisher_exact` and `boschloo_exact`
/// about the proportions k1/n1 against k2/n2; for `logrank` about the rate of solving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternative {
    /// mean(a) > mean(b) (proportion of a larger; a solves sooner).
    Greater,
    /// mean(a) < mean(b) (proportion of a smaller; a solves later).
    Less,
    /// mean(a) != mean(b) (proportions or curves differ); SciPy's rule: twice the smaller
    /// one-sided p, capped at 1.
    TwoSided,
}

/// The outcome of a permutation test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PermutationTest {
    /// The observed statistic: mean(a) - mean(b), or the mean paired difference.
    pub statistic: f64,
    /// The p-value; always in (0, 1].
    pub p: f64,
    /// True when every labelling was enumerated.
    pub exact: bool,
    /// Labellings enumerated (exact) or drawn at random (Monte-Carlo).
    pub resamples: u64,
    /// Monte-Carlo standard error of p, sqrt(p(1-p)/R) (doubled for two-sided); 0 when exact.
    pub mc_se: f64,
    /// The smallest p an exact test can give with these sample sizes (`min_p_two_sample` or
    /// `min_p_paired`); a Monte-Carlo p cannot go below 1/(R+1) (two-sided 2/(R+1)) either.
    pub min_p: f64,
}

/// How to get a null distribution: every labelling when there are at most `exact_limit`,
/// otherwise `draws` random ones from a SplitMix64 stream started at `seed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resampling {
    pub exact_limit: u64,
    /// Random labellings for the Monte-Carlo fallback; at least `MIN_DRAWS` are used.
    pub draws: u64,
    pub seed: u64,
}

/// The fewest random draws a Monte-Carlo p-value is based on.
pub const MIN_DRAWS: u64 = 10_000;

impl Default for Resampling {
    fn default() -> Resampling {
        Resampling {
            exact_limit: 100_000,
            draws: 100_000,
            seed: 0x0005_eed0_9e70,
        }
    }
}

/// C(n, k) as a float (exact below 2^53, overflows to infinity for huge n).
pub(crate) fn binomial(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    let k = k.min(n - k);
    // Each partial product C(n-k+i, i) is an integer, so the division is exact while < 2^53.
    (1..=k).fold(1.0, |c, i| c * (n - k + i) as f64 / i as f64)
}

pub(crate) fn doubled(p: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::TwoSided => (2.0 * p).min(1.0),
        _ => p.min(1.0),
    }
}

/// Counts of labellings at least as extreme as the observed one, in each direction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tally {
    pub greater_eq: u64,
    pub less_eq: u64,
    pub resamples: u64,
    pub exact: bool,
}

impl Tally {
    pub(crate) fn new(exact: bool) -> Tally {
        Tally {
            greater_eq: 0,
            less_eq: 0,
            resamples: 0,
            exact,
        }
    }

    /// Counts one labelling's statistic against the observed one, with tolerance `tol`.
    pub(crate) fn add(&mut self, value: f64, observed: f64, tol: f64) {
        self.resamples += 1;
        self.greater_eq += u64::from(value >= observed - tol);
        self.less_eq += u64::from(value <= observed + tol);
    }

    /// The p-value in SciPy's convention (see the module comment of `permutation.rs`).
    pub(crate) fn finish(&self, statistic: f64, alt: Alternative, min_p: f64) -> PermutationTest {
        let adjust = if self.exact { 0 } else { 1 };
        let den = (self.resamples + adjust) as f64;
        let p_greater = (self.greater_eq + adjust) as f64 / den;
        let p_less = (self.less_eq + adjust) as f64 / den;
        let one_sided = match alt {
            Alternative::Greater => p_greater,
            Alternative::Less => p_less,
            Alternative::TwoSided => p_greater.min(p_less),
        };
        let mc_se = if self.exact {
            0.0
        } else {
            let se = (one_sided * (1.0 - one_sided) / self.resamples as f64).sqrt();
            if alt == Alternative::TwoSided {
                2.0 * se
            } else {
                se
            }
        };
        PermutationTest {
            statistic,
            p: doubled(one_sided, alt),
            exact: self.exact,
            resamples: self.resamples,
            mc_se,
            min_p,
        }
    }
}

/// The tie tolerance described in the module comment of `permutation.rs`.
pub(crate) fn tie_tolerance(observed: f64, values: &[f64]) -> f64 {
    let scale = values.iter().fold(observed.abs(), |m, v| m.max(v.abs()));
    100.0 * f64::EPSILON * scale
}

/// Calls `f` with the positions (in 0..n) of group a for every k-subset of 0..n in
/// lexicographic order when there are at most `plan.exact_limit` of them (the first call is
/// the observed labelling 0..k), otherwise for max(plan.draws, MIN_DRAWS) uniformly random
/// k-subsets. Returns whether the enumeration was exact.
pub(crate) fn for_each_split(
    n: usize,
    k: usize,
    plan: &Resampling,
    mut f: impl FnMut(&[usize]),
) -> bool {
    if binomial(n, k) <= plan.exact_limit as f64 {
        // Revolving through subsets: increment the rightmost index that can still move.
        let mut idx: Vec<usize> = (0..k).collect();
        loop {
            f(&idx);
            let Some(i) = (0..k).rev().find(|&i| idx[i] < n - k + i) else {
                return true;
            };
            idx[i] += 1;
            for j in i + 1..k {
                idx[j] = idx[j - 1] + 1;
            }
        }
    }
    let mut rng = SplitMix64::new(plan.seed);
    let mut items: Vec<usize> = (0..n).collect();
    for _ in 0..plan.draws.max(MIN_DRAWS) {
        rng.choose_front(&mut items, k);
        f(&items[..k]);
    }
    false
}

/// Calls `f` with a flip mask for every one of the 2^n sign patterns when 2^n <=
/// `plan.exact_limit` (the first is no flips), otherwise for max(plan.draws, MIN_DRAWS)
/// patterns of independent fair coin flips. Returns whether the enumeration was exact.
pub(crate) fn for_each_sign_pattern(
    n: usize,
    plan: &Resampling,
    mut f: impl FnMut(&[bool]),
) -> bool {
    let mut flips = vec![false; n];
    if n < 64 && (1u64 << n) <= plan.exact_limit {
        for pattern in 0..1u64 << n {
            for (i, flip) in flips.iter_mut().enumerate() {
                *flip = pattern >> i & 1 == 1;
            }
            f(&flips);
        }
        return true;
    }
    let mut rng = SplitMix64::new(plan.seed);
    for _ in 0..plan.draws.max(MIN_DRAWS) {
        for chunk in flips.chunks_mut(64) {
            let bits = rng.next_u64();
            for (i, flip) in chunk.iter_mut().enumerate() {
                *flip = bits >> i & 1 == 1;
            }
        }
        f(&flips);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn enumerates_every_split_once_starting_with_the_observed_one() {
        let plan = Resampling::default();
        let mut seen = BTreeSet::new();
        let mut first = None;
        assert!(for_each_split(7, 3, &plan, |s| {
            first.get_or_insert(s.to_vec());
            assert!(s.windows(2).all(|w| w[0] < w[1]) && s[2] < 7);
            seen.insert(s.to_vec());
        }));
        assert_eq!(seen.len(), 35);
        assert_eq!(first, Some(vec![0, 1, 2]));
        let mut count = 0;
        assert!(for_each_split(4, 0, &plan, |s| {
            assert!(s.is_empty());
            count += 1;
        }));
        assert_eq!(count, 1);
        let mut patterns = BTreeSet::new();
        assert!(for_each_sign_pattern(5, &plan, |f| {
            patterns.insert(f.to_vec());
        }));
        assert_eq!(patterns.len(), 32);
        assert_eq!(binomial(20, 10), 184_756.0);
        assert_eq!(binomial(3, 5), 0.0);
    }

    #[test]
    fn monte_carlo_draws_distinct_valid_subsets() {
        let plan = Resampling {
            exact_limit: 0,
            draws: 20_000,
            seed: 1,
        };
        let mut count = 0u64;
        let mut hits = [0u64; 6];
        assert!(!for_each_split(6, 2, &plan, |s| {
            count += 1;
            assert!(s.len() == 2 && s[0] != s[1]);
            for &i in s {
                hits[i] += 1;
            }
        }));
        assert_eq!(count, 20_000);
        // Each index is in group a with probability 1/3: 6,667 ± 67 (sd).
        assert!(
            hits.iter()
                .all(|&h| (h as f64 - 20_000.0 / 3.0).abs() < 400.0),
            "{hits:?}"
        );
        let mut flips = 0u64;
        assert!(!for_each_sign_pattern(70, &plan, |f| {
            flips += f.iter().filter(|&&x| x).count() as u64;
        }));
        assert!((flips as f64 / (70.0 * 20_000.0) - 0.5).abs() < 0.005);
    }

    /// SciPy's rule (scipy/stats/_resampling.py, permutation_test): exact p = k/N, random
    /// p = (k+1)/(R+1), two-sided twice the smaller one-sided, capped at 1.
    #[test]
    fn turns_counts_into_scipy_p_values() {
        let exact = Tally {
            greater_eq: 3,
            less_eq: 18,
            resamples: 20,
            exact: true,
        };
        assert_eq!(exact.finish(0.0, Alternative::Greater, 0.05).p, 3.0 / 20.0);
        assert_eq!(exact.finish(0.0, Alternative::Less, 0.05).p, 18.0 / 20.0);
        assert_eq!(exact.finish(0.0, Alternative::TwoSided, 0.1).p, 6.0 / 20.0);
        let random = Tally {
            exact: false,
            resamples: 999,
            ..exact
        };
        let r = random.finish(0.0, Alternative::Greater, 0.05);
        assert_eq!(r.p, 4.0 / 1000.0);
        assert!((r.mc_se - (0.004 * 0.996 / 999.0_f64).sqrt()).abs() < 1e-15);
        let none = Tally {
            greater_eq: 0,
            ..random
        };
        assert_eq!(none.finish(0.0, Alternative::Greater, 0.05).p, 1.0 / 1000.0);
    }
}
