//! The verdict on one row (variant × metric) of a comparison.
//!
//! - **Identical**: the same seeds with bit-identical values on both sides. No test is run:
//!   there is nothing to test.
//! - **The test**: runs are paired by seed when both sides have the same seeds *and* the
//!   paired sign-flip test can reach p < α at that n (two-sided 2/2^n: 6 seeds or more at
//!   α = 0.05); the paired test then removes the seed-to-seed spread. Otherwise the exact
//!   two-sample permutation test of the means (5 against 5 reaches 2/252; with shared seeds
//!   the pairs are positively correlated, which only makes it conservative). Against an old
//!   moment-only baseline, Welch's test on n, mean and sd, said so in the output. All
//!   two-sided.
//! - **Power**: the minimum detectable change at 80% power,
//!   (t_{1-α/2,df} + t_{0.8,df}) · SE, relative to |baseline mean| (Cohen; the normal
//!   formula of /work/shared/reference/statistics.md with t quantiles because n is small).
//!   Paired: SE = sd(d)/√n, df = n - 1; otherwise SE = √(s1²/n1 + s2²/n2) with Welch's df.
//!   The formula, not the inverted interval's half-width: the half-width is the change
//!   detected half of the time (50% power), and is unbounded whenever the floor is above α.
//!   A row is **underpowered** when that change is larger than the tolerance (`noise`), or
//!   when its exact test cannot give p below α at all (3 against 3: 0.10). An underpowered
//!   row with p >= α is never "no change".
//! - **Regression**: p < α and the change beyond the tolerance in the worse direction
//!   (`rnnlab_spec::higher_is_better`). And, not a test: an underpowered row whose mean is
//!   worse by a factor of at least `large` (default 2) fails as a large change, loudly, since
//!   a gate that cannot see its own tolerance must not wave through an 8x regression.

use super::baseline::SummaryRow;
use super::{CompareOptions, CompareRow, Test, Verdict};
use crate::metric::higher_is_better;
use crate::stats::dist::t_quantile;
use crate::stats::{
    min_p_paired, paired_permutation_test, permutation_test, shift_interval, shift_interval_paired,
    welch, Alternative, Describe, Resampling,
};

/// Power at which the minimum detectable change is stated.
pub const POWER: f64 = 0.8;

/// The minimum detectable difference (absolute) at level α (two-sided) and [`POWER`].
pub fn detectable(se: f64, df: f64, alpha: f64) -> f64 {
    if df.is_nan() || df <= 0.0 || !se.is_finite() {
        return f64::INFINITY;
    }
    (t_quantile(1.0 - alpha / 2.0, df) + t_quantile(POWER, df)) * se
}

/// SE and Welch–Satterthwaite df of a difference of two means; None below 2 runs a side.
pub fn welch_se(a: &Describe, b: &Describe) -> Option<(f64, f64)> {
    if a.n < 2 || b.n < 2 || !a.sd.is_finite() || !b.sd.is_finite() {
        return None;
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let (va, vb) = (a.sd * a.sd / na, b.sd * b.sd / nb);
    let df = if va + vb > 0.0 {
        (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0))
    } else {
        na + nb - 2.0
    };
    Some(((va + vb).sqrt(), df))
}

/// How many times worse the current mean is than the baseline's (> 1: worse); NaN when the
/// signs make a ratio meaningless.
fn worse_factor(lower_is_better: bool, base: f64, cur: f64) -> f64 {
    let (worse, better) = if lower_is_better {
        (cur, base)
    } else {
        (base, cur)
    };
    if better > 0.0 && worse >= 0.0 {
        worse / better
    } else if better == 0.0 && worse > 0.0 {
        f64::INFINITY
    } else {
        f64::NAN
    }
}

/// Pairs by seed: the differences current - baseline in seed order, when both sides have
/// the same distinct, non-empty seeds.
fn paired(base: &SummaryRow, cur: &SummaryRow) -> Option<Vec<(f64, f64)>> {
    let (b, c) = (base.runs.as_ref()?, cur.runs.as_ref()?);
    let distinct = |r: &[super::baseline::RunValue]| {
        let mut s: Vec<&str> = r.iter().map(|r| r.seed.as_str()).collect();
        s.sort_unstable();
        s.dedup();
        s.len() == r.len() && !s.contains(&"")
    };
    if b.len() != c.len() || b.is_empty() || !distinct(b) || !distinct(c) {
        return None;
    }
    b.iter()
        .map(|rb| {
            let rc = c.iter().find(|rc| rc.seed == rb.seed)?;
            Some((rb.value, rc.value))
        })
        .collect()
}

pub fn judge(
    variant: String,
    metric: String,
    base: Option<&SummaryRow>,
    cur: Option<&SummaryRow>,
    options: &CompareOptions,
) -> CompareRow {
    let mut row = CompareRow {
        variant,
        metric,
        baseline: base.map(|r| r.stats),
        current: cur.map(|r| r.stats),
        test: Test::None,
        change: f64::NAN,
        change_ci: (f64::NAN, f64::NAN),
        p: f64::NAN,
        min_p: f64::NAN,
        detectable: f64::NAN,
        underpowered: false,
        worse_factor: f64::NAN,
        verdict: Verdict::Untestable,
    };
    let (base, cur) = match (base, cur) {
        (Some(b), Some(c)) => (b, c),
        (Some(_), None) => {
            row.verdict = Verdict::Missing;
            return row;
        }
        _ => {
            row.verdict = Verdict::New;
            return row;
        }
    };
    let (b, c) = (base.stats, cur.stats);
    if b.n == 0 || c.n == 0 {
        return row;
    }
    // Relative to the baseline's magnitude; absolute when the baseline is exactly zero.
    let scale = if b.mean.abs() > 0.0 {
        b.mean.abs()
    } else {
        1.0
    };
    row.change = (c.mean - b.mean) / scale;
    let lower_is_better = !higher_is_better(&row.metric);
    row.worse_factor = worse_factor(lower_is_better, b.mean, c.mean);
    let plan = Resampling::default();
    let alpha = options.alpha;
    let two = Alternative::TwoSided;
    let pairs = paired(base, cur);
    if let Some(pairs) = &pairs {
        if pairs.iter().all(|(x, y)| x.to_bits() == y.to_bits()) {
            row.change = 0.0;
            row.verdict = Verdict::Identical;
            return row;
        }
    }
    let n = pairs.as_ref().map_or(0, Vec::len);
    let (test, interval, detect) = match (&pairs, base.values(), cur.values()) {
        (Some(pairs), _, _) if min_p_paired(n, two) < alpha => {
            let d: Vec<f64> = pairs.iter().map(|(x, y)| y - x).collect();
            let dd = Describe::of(&d);
            row.test = Test::Paired { n };
            let se = dd.sd / (n as f64).sqrt();
            (
                paired_permutation_test(&d, two, &plan),
                shift_interval_paired(&d, alpha, &plan),
                detectable(se, n as f64 - 1.0, alpha),
            )
        }
        (_, Some(bv), Some(cv)) => {
            row.test = Test::TwoSample {
                n1: cv.len(),
                n2: bv.len(),
                seeds_shared: pairs.is_some(),
            };
            let detect =
                welch_se(&c, &b).map_or(f64::INFINITY, |(se, df)| detectable(se, df, alpha));
            (
                permutation_test(&cv, &bv, two, &plan),
                shift_interval(&cv, &bv, alpha, &plan),
                detect,
            )
        }
        _ => {
            // An old moment-only side: Welch on n, mean and sd.
            row.test = Test::Welch;
            let Some(w) = welch(&c, &b).filter(|w| w.p_two_sided.is_finite()) else {
                return row;
            };
            row.p = w.p_two_sided;
            row.min_p = 0.0;
            let (se, df) = welch_se(&c, &b).unwrap_or((f64::NAN, w.df));
            let half = t_quantile(1.0 - alpha / 2.0, df) * se;
            row.change_ci = ((w.difference - half) / scale, (w.difference + half) / scale);
            row.detectable = detectable(se, df, alpha) / scale;
            return finish(row, options, lower_is_better);
        }
    };
    let Some(test) = test else {
        return row;
    };
    row.p = test.p;
    row.min_p = test.min_p;
    if let Some(i) = interval {
        row.change_ci = (i.low / scale, i.high / scale);
    }
    // A test whose p cannot go below α detects nothing, whatever the spread.
    row.detectable = if test.min_p >= alpha {
        f64::INFINITY
    } else {
        detect / scale
    };
    finish(row, options, lower_is_better)
}

fn finish(mut row: CompareRow, options: &CompareOptions, lower_is_better: bool) -> CompareRow {
    let alpha = options.alpha;
    row.underpowered =
        row.min_p >= alpha || row.detectable.is_nan() || row.detectable > options.noise;
    let worse = if lower_is_better {
        row.change > 0.0
    } else {
        row.change < 0.0
    };
    let beyond = row.change.abs() > options.noise;
    row.verdict = if row.p < alpha {
        match (beyond, worse) {
            (true, true) => Verdict::Regressed,
            (true, false) => Verdict::Improved,
            _ => Verdict::WithinNoise,
        }
    } else if row.underpowered {
        if options.large > 1.0 && worse && row.worse_factor >= options.large {
            Verdict::LargeChange
        } else {
            Verdict::Underpowered
        }
    } else {
        Verdict::NoChange
    };
    row
}
