//! What validation warns about a claim that parses: sample sizes that cannot reach α, and a
//! comparison of the value runs stop on.
use super::{compares, Claim, Relation};
use crate::{MetricRef, Run};

/// A warning when the claim's sample sizes cannot give a p small enough to pass Holm's
/// procedure over the sweep's `claims` claims at α (see [`crate::power`]); None when they can,
/// or when the claim does not parse (its errors say so).
pub(crate) fn power_warning(claim: &Claim, runs: &[Run], claims: usize) -> Option<String> {
    use crate::power::{min_p, runs_needed, Outcome, ALPHA};
    use crate::Scalar;
    let c = claim.comparison().ok()?;
    let outcome = match MetricRef::parse(&claim.metric).ok()? {
        MetricRef::Scalar(Scalar::Solved | Scalar::Diverged) => Outcome::Binary,
        _ => Outcome::Continuous,
    };
    let filter = claim.filter_levels();
    let count = |level: &str| {
        let mine = |run: &&Run| compares(run, &filter, &claim.by, Some(level));
        runs.iter().filter(mine).count()
    };
    let (n1, n2) = (count(&c.left), count(&c.right));
    let two_sided = c.relation == Relation::Differs;
    let floor = min_p(outcome, n1, n2, two_sided);
    let bound = ALPHA / claims.max(1) as f64;
    if floor < bound {
        return None;
    }
    let sided = if two_sided { "two-sided" } else { "one-sided" };
    Some(format!(
        "with {n1} against {n2} runs the smallest {sided} p the exact test can give is {floor:.3}, \
         so this claim cannot pass at α = {ALPHA} with Holm's correction over {claims} claim(s) \
         (the smallest p must be below {bound:.4}); use at least {} seeds per side",
        runs_needed(outcome, claims, two_sided)
    ))
}

/// A warning when the claim compares `final.NAME` or `best.NAME` of runs that stop early on
/// the same NAME (`stop.solved`): a run that meets the criterion stops at the first evaluation
/// that does, so its value is that evaluation's, just past the threshold, and two cells that
/// both solve differ only by where they happened to stop. None when no compared run stops on
/// that metric.
pub(crate) fn stop_warning(claim: &Claim, runs: &[Run]) -> Option<String> {
    let name = match MetricRef::parse(&claim.metric).ok()? {
        MetricRef::Final(n) | MetricRef::Best(n) => n,
        MetricRef::Scalar(_) | MetricRef::Gradient(_) | MetricRef::Eval(_) => return None,
    };
    let filter = claim.filter_levels();
    let compared = runs
        .iter()
        .filter(|run| compares(run, &filter, &claim.by, None));
    let stops = compared
        .filter_map(|run| run.config.stop.solved.as_ref())
        .any(|c| c.metric == name);
    stops.then(|| {
        format!(
            "the runs stop when `{name}` meets `stop.solved`, so a solved run's `{}` is the \
             value where it stopped, just past the threshold: between cells that both solve, \
             the difference says where they stopped, not how well they learned; compare \
             `solved` or `steps_to_solve` instead (or turn the stop off)",
            claim.metric
        )
    })
}
