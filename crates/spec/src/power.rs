//! What a claim's sample sizes can show at all: the smallest p-value the exact test the report
//! uses can give, checked at validation so a sweep does not spend hours on a claim that cannot
//! pass (see shared/reference/statistics.md).
//!
//! Two independent samples of n1 and n2 runs have C(n1+n2, n1) splits, so an exact permutation
//! test (and the exact log-rank test, which permutes the same labels) cannot give a one-sided p
//! below 1/C(n1+n2, n1), nor a two-sided p below twice that. For a 0/1 outcome the report uses
//! Boschloo's test (Boschloo 1970; Lydersen, Fagerland & Laake 2009), whose p for the most
//! extreme table (n1 of n1 against 0 of n2) is sup_π π^n1 (1-π)^n2 =
//! (n1/N)^n1 (n2/N)^n2 with N = n1 + n2.

/// The family-wise error rate of a sweep's claims (Holm-corrected).
pub const ALPHA: f64 = 0.05;

/// The kind of test a claim's metric gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A continuous metric or steps to solve: permutation tests.
    Continuous,
    /// A 0/1 outcome (`solved`, `diverged`): Boschloo's exact test.
    Binary,
}

/// C(n, k) as a float.
fn binomial(n: usize, k: usize) -> f64 {
    let k = k.min(n.saturating_sub(k));
    (1..=k).fold(1.0, |c, i| c * (n - k + i) as f64 / i as f64)
}

/// The smallest p the report's exact test can give for n1 against n2 runs.
pub fn min_p(outcome: Outcome, n1: usize, n2: usize, two_sided: bool) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 1.0;
    }
    let one = match outcome {
        Outcome::Continuous => 1.0 / binomial(n1 + n2, n1),
        Outcome::Binary => {
            let n = (n1 + n2) as f64;
            (n1 as f64 / n).powi(n1 as i32) * (n2 as f64 / n).powi(n2 as i32)
        }
    };
    if two_sided {
        (2.0 * one).min(1.0)
    } else {
        one
    }
}

/// The fewest runs per side (equal sides) with which the smallest p passes the first step of
/// Holm's procedure over `claims` claims at [`ALPHA`]: min p < α / claims.
pub fn runs_needed(outcome: Outcome, claims: usize, two_sided: bool) -> usize {
    let bound = ALPHA / claims.max(1) as f64;
    (2..=64)
        .find(|&n| min_p(outcome, n, n, two_sided) < bound)
        .unwrap_or(64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_match_the_reference_table() {
        // shared/reference/statistics.md: 3 per side 0.05 / 0.10, 5 per side 0.00397.
        assert!((min_p(Outcome::Continuous, 3, 3, false) - 0.05).abs() < 1e-12);
        assert!((min_p(Outcome::Continuous, 3, 3, true) - 0.10).abs() < 1e-12);
        assert!((min_p(Outcome::Continuous, 5, 5, false) - 1.0 / 252.0).abs() < 1e-12);
        assert!((min_p(Outcome::Continuous, 8, 8, false) - 1.0 / 12870.0).abs() < 1e-15);
        // Boschloo, 3/3 against 0/3: sup π³(1-π)³ = 1/64 at π = 1/2.
        assert!((min_p(Outcome::Binary, 3, 3, false) - 1.0 / 64.0).abs() < 1e-12);
    }

    #[test]
    fn three_seeds_can_never_pass_holm_over_several_claims() {
        assert!(min_p(Outcome::Continuous, 3, 3, false) >= ALPHA / 3.0);
        assert_eq!(runs_needed(Outcome::Continuous, 1, false), 4);
        // statistics.md: with 3 claims, 4 per side pass only one-sided.
        assert_eq!(runs_needed(Outcome::Continuous, 3, false), 4);
        assert_eq!(runs_needed(Outcome::Continuous, 3, true), 5);
    }
}
