//! Holm's step-down correction for several claims (Holm 1979).
//!
//! Why: a sweep usually makes several claims, and judging each at 5% makes a false "✓"
//! likely somewhere. Holm controls the family-wise error rate like Bonferroni but rejects more,
//! and needs no assumption about how the claims depend on each other.

/// Holm-adjusted p-values, in the order given: sort ascending, multiply the i-th smallest
/// (from 0) by m - i, carry the running maximum up, cap at 1. NaN p-values (claims that could
/// not be tested) stay NaN and do not count towards m.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let m = order.len();
    let mut adjusted = vec![f64::NAN; p.len()];
    let mut running = 0.0_f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: statsmodels' multipletests(p, method='holm') definition, evaluated by hand
    /// in Python for p = [0.01, 0.04, 0.03, 0.005, 0.2]:
    /// sorted 0.005·5 = 0.025, 0.01·4 = 0.04, 0.03·3 = 0.09, 0.04·2 = 0.08 → 0.09 (monotone),
    /// 0.2·1 = 0.2.
    #[test]
    fn step_down_with_monotonicity() {
        let got = holm(&[0.01, 0.04, 0.03, 0.005, 0.2]);
        let want = [0.04, 0.09, 0.09, 0.025, 0.2];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{got:?}");
        }
    }

    #[test]
    fn untestable_claims_stay_nan_and_do_not_count() {
        let got = holm(&[0.02, f64::NAN, 0.5]);
        assert!((got[0] - 0.04).abs() < 1e-15);
        assert!(got[1].is_nan());
        assert!((got[2] - 0.5).abs() < 1e-15);
    }
}
