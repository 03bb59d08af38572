//! "Steps to solve" with unsolved runs: the Kaplan-Meier curve and median, and the log-rank
//! test of two groups with an exact permutation p-value.
//!
//! Why: a run that never solved the task within its budget did not take "budget" steps, it
//! took more than that. Dropping it biases the median towards fast cells, and counting it at
//! the budget biases every mean. Treating it as right-censored at its last trained step is the
//! standard answer: the Kaplan-Meier product-limit estimate (Kaplan & Meier 1958, JASA
//! 53:457) and the log-rank test (Mantel 1966; Peto & Peto 1972).
//!
//! The log-rank statistic is SciPy's (`scipy.stats.logrank`, SciPy 1.17.1): z = (O - E) /
//! sqrt(V), with O the solved runs of group a, E their expected number and V the
//! hypergeometric variance, summed over the distinct solve times. Its normal (chi-square with
//! one degree of freedom) p-value is reported for comparison only: with 3 to 8 runs per group
//! it is unreliable, so the verdict p comes from the exact permutation distribution of z over
//! all C(n_a + n_b, n_a) relabellings (seeded Monte-Carlo beyond the exact limit), with the
//! p-value conventions of `permutation.rs`. Relabelling assumes both groups share the
//! censoring distribution (Heimann & Neuhaus 1998, Biometrics 54:168), which holds when the
//! runs of a sweep share a step budget; with different budgets use the asymptotic p.

use super::normal::normal_sf;
use super::permutation::min_p_two_sample;
use super::resample::{
    for_each_split, tie_tolerance, Alternative, PermutationTest, Resampling, Tally,
};

/// One run: the step it solved at (`event`), or its last trained step if it never solved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub time: f64,
    /// True when the run solved at `time`; false when it is censored there.
    pub event: bool,
}

impl Observation {
    pub fn solved(time: f64) -> Observation {
        Observation { time, event: true }
    }

    pub fn censored(time: f64) -> Observation {
        Observation { time, event: false }
    }
}

/// One distinct time of the curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmStep {
    pub time: f64,
    /// Runs still unsolved just before `time` (censored at `time` count as at risk).
    pub at_risk: usize,
    pub events: usize,
    pub censored: usize,
    /// S(time): the estimated share of runs still unsolved after `time`.
    pub survival: f64,
}

/// The Kaplan-Meier estimate: S(t) = Π over solve times t_i <= t of (1 - d_i / n_i).
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    /// One step per distinct time (solved or censored), ascending.
    pub steps: Vec<KmStep>,
}

impl KaplanMeier {
    /// S(t), right-continuous: 1 before the first solve.
    pub fn survival_at(&self, t: f64) -> f64 {
        self.steps
            .iter()
            .take_while(|s| s.time <= t)
            .last()
            .map_or(1.0, |s| s.survival)
    }

    /// The median steps to solve: the smallest t with S(t) <= 0.5 (Brookmeyer & Crowley
    /// 1982; lifelines' `median_survival_time_`). None, "not reached", when the curve stays
    /// above one half, i.e. too few runs solved before the censoring. Where S is exactly 0.5
    /// over an interval this is its left end (R's `survfit` reports the midpoint instead).
    pub fn median(&self) -> Option<f64> {
        self.steps
            .iter()
            .find(|s| s.events > 0 && s.survival <= 0.5)
            .map(|s| s.time)
    }
}

fn usable(runs: &[Observation]) -> bool {
    !runs.is_empty() && runs.iter().all(|r| r.time.is_finite())
}

/// Distinct times, ascending, with (events, censored) counts at each.
fn distinct_times(runs: &[Observation]) -> Vec<(f64, usize, usize)> {
    let mut sorted = runs.to_vec();
    sorted.sort_by(|x, y| x.time.total_cmp(&y.time));
    let mut out: Vec<(f64, usize, usize)> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if last.0 == r.time => {}
            _ => out.push((r.time, 0, 0)),
        }
        let last = out.last_mut().expect("pushed above");
        if r.event {
            last.1 += 1;
        } else {
            last.2 += 1;
        }
    }
    out
}

/// The Kaplan-Meier curve of `runs`; None when empty or a time is not finite.
pub fn kaplan_meier(runs: &[Observation]) -> Option<KaplanMeier> {
    if !usable(runs) {
        return None;
    }
    let mut at_risk = runs.len();
    let mut survival = 1.0;
    let mut steps = Vec::new();
    for (time, events, censored) in distinct_times(runs) {
        survival *= 1.0 - events as f64 / at_risk as f64;
        steps.push(KmStep {
            time,
            at_risk,
            events,
            censored,
            survival,
        });
        at_risk -= events + censored;
    }
    Some(KaplanMeier { steps })
}

/// The log-rank comparison of groups a and b.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogRank {
    /// (O - E) / sqrt(V) for group a: positive when a solves sooner than expected under
    /// equal curves (SciPy's sign). 0 when V = 0 (no solve time with runs of both groups).
    pub z: f64,
    /// z², the usual log-rank chi-square statistic.
    pub chi2: f64,
    /// The normal approximation, as `scipy.stats.logrank` (1 when V = 0).
    pub p_asymptotic: f64,
    /// The exact (or seeded Monte-Carlo) permutation test of z; use this p.
    pub permutation: PermutationTest,
}

/// The pooled runs sorted by time, as groups of equal time with their members' positions.
struct Pooled {
    /// (start, end) in sorted order of each distinct time, and its number of events.
    groups: Vec<(usize, usize, usize)>,
    events: Vec<bool>,
}

impl Pooled {
    /// z for the labelling `in_a` (indexed in sorted order); None when V = 0.
    fn z(&self, in_a: &[bool]) -> Option<f64> {
        let mut n = in_a.len() as f64;
        let mut n_a = in_a.iter().filter(|&&x| x).count() as f64;
        let (mut observed, mut expected, mut variance) = (0.0, 0.0, 0.0);
        for &(start, end, d) in &self.groups {
            let members = start..end;
            if d > 0 {
                let d = d as f64;
                expected += n_a * d / n;
                if n > 1.0 {
                    variance += n_a * (n - n_a) * d * (n - d) / (n * n * (n - 1.0));
                }
                observed += members
                    .clone()
                    .filter(|&i| in_a[i] && self.events[i])
                    .count() as f64;
            }
            n_a -= members.clone().filter(|&i| in_a[i]).count() as f64;
            n -= (end - start) as f64;
        }
        (variance > 0.0).then(|| (observed - expected) / variance.sqrt())
    }
}

/// The log-rank test of a against b. Alternatives as SciPy's: Greater, a's solving rate is
/// higher (a solves sooner); Less, lower; TwoSided, the curves differ. None when a group is
/// empty or holds a non-finite time.
pub fn logrank(
    a: &[Observation],
    b: &[Observation],
    alternative: Alternative,
    plan: &Resampling,
) -> Option<LogRank> {
    if !usable(a) || !usable(b) {
        return None;
    }
    let runs: Vec<Observation> = a.iter().chain(b).copied().collect();
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&i, &j| runs[i].time.total_cmp(&runs[j].time));
    let mut rank = vec![0; runs.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut groups = Vec::new();
    let mut start = 0;
    for end in 1..=order.len() {
        if end == order.len() || runs[order[end]].time != runs[order[start]].time {
            let d = order[start..end].iter().filter(|&&i| runs[i].event).count();
            groups.push((start, end, d));
            start = end;
        }
    }
    let pooled = Pooled {
        groups,
        events: order.iter().map(|&i| runs[i].event).collect(),
    };
    let mut in_a = vec![false; runs.len()];
    let mut z_of = |split: &[usize]| {
        in_a.fill(false);
        split.iter().for_each(|&i| in_a[rank[i]] = true);
        pooled.z(&in_a)
    };
    let observed: Vec<usize> = (0..a.len()).collect();
    let informative = z_of(&observed);
    let z = informative.unwrap_or(0.0);
    let tol = tie_tolerance(z, &[1.0]);
    let mut tally = Tally::new(true);
    tally.exact = for_each_split(runs.len(), a.len(), plan, |split| {
        tally.add(z_of(split).unwrap_or(0.0), z, tol);
    });
    let min_p = min_p_two_sample(a.len(), b.len(), alternative);
    let p_asymptotic = match (informative, alternative) {
        (None, _) => 1.0,
        (Some(_), Alternative::Greater) => normal_sf(z),
        (Some(_), Alternative::Less) => normal_sf(-z),
        (Some(_), Alternative::TwoSided) => (2.0 * normal_sf(z.abs())).min(1.0),
    };
    Some(LogRank {
        z,
        chi2: z * z,
        p_asymptotic,
        permutation: tally.finish(z, alternative, min_p),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Alternative::{Greater, Less, TwoSided};

    fn runs(solved: &[f64], censored: &[f64]) -> Vec<Observation> {
        let solved = solved.iter().map(|&t| Observation::solved(t));
        solved
            .chain(censored.iter().map(|&t| Observation::censored(t)))
            .collect()
    }

    fn a() -> Vec<Observation> {
        runs(&[120.0, 340.0, 500.0, 510.0], &[800.0, 800.0])
    }

    fn b() -> Vec<Observation> {
        runs(&[450.0, 700.0], &[800.0; 4])
    }

    /// Reference: reference.py (SciPy 1.17.1), scipy.stats.ecdf(CensoredData(...)).sf.evaluate
    /// (KM_A_AT_*). The medians are by hand: S(500) = 3/6 is the first value <= 1/2; group b
    /// never goes below 4/6.
    #[test]
    fn kaplan_meier_matches_scipy_ecdf() {
        let km = kaplan_meier(&a()).unwrap();
        let want = [
            (100.0, 1.0),
            (120.0, 0.8333333333333334),
            (340.0, 0.6666666666666667),
            (505.0, 0.5),
            (510.0, 0.3333333333333333),
            (900.0, 0.3333333333333333),
        ];
        for (t, s) in want {
            assert!(
                (km.survival_at(t) - s).abs() < 1e-15,
                "S({t}) = {}",
                km.survival_at(t)
            );
        }
        assert_eq!(km.median(), Some(500.0));
        assert_eq!(kaplan_meier(&b()).unwrap().median(), None);
        let last = km.steps.last().unwrap();
        assert_eq!(
            (last.time, last.at_risk, last.events, last.censored),
            (800.0, 2, 0, 2)
        );
        assert!(kaplan_meier(&[]).is_none());
        assert!(kaplan_meier(&[Observation::solved(f64::NAN)]).is_none());
    }

    /// A run censored at a solve time is still at risk there (events come first).
    #[test]
    fn censoring_at_a_solve_time_counts_as_at_risk() {
        let km = kaplan_meier(&runs(&[10.0, 20.0], &[10.0, 30.0])).unwrap();
        assert_eq!((km.steps[0].at_risk, km.steps[0].events), (4, 1));
        assert_eq!(km.survival_at(10.0), 0.75);
        assert_eq!(km.steps[1].at_risk, 2);
        assert_eq!(km.survival_at(20.0), 0.375);
        assert_eq!(km.median(), Some(20.0));
    }

    /// Reference: reference.py, scipy.stats.logrank (LOGRANK_*), and the exact permutation
    /// distribution of SciPy's statistic over all 924 relabellings (LOGRANK_PERMUTATION_*).
    #[test]
    fn logrank_matches_scipy() {
        let asymptotic = [0.09833687034085131, 0.9016631296591486, 0.19667374068170262];
        let exact = [0.08874458874458875, 0.9274891774891775, 0.1774891774891775];
        for (i, alt) in [Greater, Less, TwoSided].into_iter().enumerate() {
            let r = logrank(&a(), &b(), alt, &Resampling::default()).unwrap();
            assert!((r.z - 1.2910863386326883).abs() < 1e-12, "{}", r.z);
            assert!((r.p_asymptotic - asymptotic[i]).abs() < 1e-12 * asymptotic[i]);
            let p = r.permutation;
            assert!((p.p - exact[i]).abs() < 1e-12, "{alt:?}: {p:?}");
            assert!(p.exact && p.resamples == 924 && p.statistic == r.z);
        }
        let c = runs(&[100.0, 100.0, 300.0, 300.0, 500.0], &[600.0]);
        let d = runs(&[300.0, 500.0, 500.0], &[600.0, 600.0]);
        let r = logrank(&c, &d, TwoSided, &Resampling::default()).unwrap();
        assert!((r.z - 1.3308855648558895).abs() < 1e-12, "{}", r.z);
        assert!((r.p_asymptotic - 0.18322666769333706).abs() < 1e-12);
        assert!((r.chi2 - r.z * r.z).abs() < 1e-15);
    }

    /// Hand-checkable: three runs solving at steps 1-3 against three never solving in 10
    /// steps. Only one of the 20 labellings puts all three solves in a: p = 1/20, the floor,
    /// while the normal approximation claims p = 0.0123 from six runs (reference.py,
    /// scipy.stats.logrank: LOGRANK_SEPARATED_GREATER).
    #[test]
    fn separated_groups_reach_the_floor_not_below() {
        let fast = runs(&[1.0, 2.0, 3.0], &[]);
        let never = runs(&[], &[10.0; 3]);
        let r = logrank(&fast, &never, Greater, &Resampling::default()).unwrap();
        assert_eq!(r.permutation.p, 0.05);
        assert_eq!(r.permutation.min_p, 0.05);
        assert!(
            (r.p_asymptotic - 0.012301174976820884).abs() < 1e-13,
            "{r:?}"
        );
        assert!(r.z > 0.0);
        assert_eq!(
            logrank(&never, &fast, Less, &Resampling::default())
                .unwrap()
                .permutation
                .p,
            0.05
        );
    }

    #[test]
    fn no_solves_carry_no_evidence() {
        let none = runs(&[], &[100.0; 3]);
        for alt in [Greater, Less, TwoSided] {
            let r = logrank(&none, &none, alt, &Resampling::default()).unwrap();
            assert_eq!((r.z, r.p_asymptotic, r.permutation.p), (0.0, 1.0, 1.0));
        }
        assert!(logrank(&[], &none, TwoSided, &Resampling::default()).is_none());
    }

    /// The seeded Monte-Carlo path agrees with the exact answer within its standard error.
    #[test]
    fn monte_carlo_agrees_with_exact() {
        let plan = Resampling {
            exact_limit: 100,
            ..Resampling::default()
        };
        let r = logrank(&a(), &b(), Greater, &plan).unwrap().permutation;
        assert!(!r.exact && r.resamples == 100_000);
        assert!((r.p - 0.08874458874458875).abs() < 4.0 * r.mc_se, "{r:?}");
    }
}
