//! The `search:` block: an equal-budget random search per variant × grid point, with optional
//! successive halving, selection on the validation split and confirmation on fresh seeds.
//!
//! Why equal budgets: comparing architectures tuned unequally measures how easy they are to
//! tune, not what they can do (Collins, Sohl-Dickstein & Sussillo 2017; Melis, Dyer & Blunsom
//! 2018); Greff et al. 2017 ("LSTM: A Search Space Odyssey") gave every LSTM variant the same
//! random search. So every variant × grid point gets the same `trials`, and trial k of every
//! group is the *same* sampled point (common random numbers: paired comparisons, no variant
//! luckier in its draws). Points are drawn at expansion from `search.seed` alone, so they do not
//! depend on the runs' seeds, `--jobs` or sharding.
//!
//! This module holds the schema ([`Search`], [`Space`]) and the sampler; `search/check.rs`
//! validates the block and turns each grid point into trial runs, `search/plan.rs` describes
//! them for the runner ([`SearchPlan`]).
use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

mod check;
mod plan;
mod sampler;
mod trial;

pub(crate) use check::{check_runs, check_search, parse_search};
pub use plan::{Confirmation, SearchGroup, SearchPlan, Selection, SelectionScope, Trial};
pub use sampler::SplitMix64;
pub(crate) use trial::{plan_of, trials};

/// The `search:` block as written (`docs/sweeps.md`, "search").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// How points are drawn. Default `random`.
    #[serde(default)]
    pub method: Method,
    /// Trials per variant × grid point (each run once per tuning seed, the sweep's `seeds`).
    pub trials: usize,
    /// The sampler's own seed, independent of the runs' seeds. Default 0.
    #[serde(default)]
    pub seed: u64,
    /// Dotted config path → distribution (`{ loguniform: [1.0e-4, 1.0e-1] }`), in the order
    /// written: that order is the order of the draws and of the trial's params.
    pub space: Mapping,
    /// Successive halving; default none (every trial trains `train.steps`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halving: Option<Halving>,
    /// What picks the winner. Default `valid.<the task's main metric>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Select>,
    /// The seeds each winner is re-run on; required, disjoint from the tuning seeds.
    pub confirm: Confirm,
}

/// The sampling method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Independent draws from SplitMix64 ([`SplitMix64`]); see [`Space::sample`].
    #[default]
    Random,
}

/// `halving: { min_steps, eta }`: rungs at min_steps, eta·min_steps, eta²·min_steps, ... below
/// `train.steps`, then `train.steps`; after each rung the best 1/eta of the trials go on
/// (Jamieson & Talwalkar 2016; Li et al. 2018, Hyperband).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Halving {
    /// Steps every trial trains before the first cut; below `train.steps`.
    pub min_steps: usize,
    /// The cut: 1/eta of the trials go on; at least 2. Default 3, the value Li et al. 2018
    /// recommend.
    #[serde(default = "default_eta")]
    pub eta: usize,
    /// What a rung does when no trial has left the task's no-learning plateau (no score 10%
    /// better than the baseline of the selection metric): `cut` (default) ranks them anyway,
    /// `wait` keeps every trial, so that the first cut falls where some trial has learned.
    /// Left out of the plan's YAML while it is the default.
    #[serde(default, skip_serializing_if = "Plateau::is_cut")]
    pub plateau: Plateau,
}

/// `halving.plateau`: a rung on the plateau cuts anyway, or waits.
///
/// Tasks like adding and temporal order start with a long plateau at the no-learning baseline
/// (Hochreiter & Schmidhuber 1997); an early rung there ranks noise and can cut the trial
/// that would have learned first (measured on search-example and the odyssey, results/README.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plateau {
    /// Rank the trials and cut, as at any rung.
    #[default]
    Cut,
    /// Keep every trial still in the search; the next rung keeps the best 1/eta of them.
    Wait,
}

impl Plateau {
    pub fn is_cut(&self) -> bool {
        *self == Plateau::Cut
    }
}

fn default_eta() -> usize {
    3
}

impl Halving {
    /// The rungs for runs of `steps` updates: `min_steps · etaⁱ` while below `steps`, then
    /// `steps` itself. `min_steps < steps` and `eta >= 2` are validated.
    pub fn rungs(&self, steps: usize) -> Vec<usize> {
        let mut rungs = Vec::new();
        let mut at = self.min_steps.max(1);
        while at < steps {
            rungs.push(at);
            at = at.saturating_mul(self.eta.max(2));
        }
        rungs.push(steps);
        rungs
    }

    /// How many of `n` trials go on past a rung: the best ⌊n / eta⌋, at least one.
    pub fn kept(&self, n: usize) -> usize {
        (n / self.eta.max(2)).max(1)
    }
}

/// `select: { metric }`: `valid.NAME` (the validation value at the rung, i.e. at its last
/// evaluation) or `best.NAME` (the best validation value up to the rung).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Select {
    pub metric: String,
}

/// `confirm: { seeds }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirm {
    pub seeds: Vec<u64>,
}

/// One entry of `space` as written: exactly one of the keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpaceSpec {
    #[serde(default)]
    uniform: Option<[f64; 2]>,
    #[serde(default)]
    loguniform: Option<[f64; 2]>,
    #[serde(default)]
    int: Option<[i64; 2]>,
    #[serde(default)]
    choice: Option<Vec<Value>>,
}

/// The example every space message ends with.
pub(crate) const SPACE_FORMS: &str =
    "`{ uniform: [0.0, 3.0] }`, `{ loguniform: [1.0e-4, 1.0e-1] }`, \
     `{ int: [1, 3] }` or `{ choice: [32, 64, 128] }`";

/// A searched dimension's distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum Space {
    /// U(low, high).
    Uniform { low: f64, high: f64 },
    /// exp(U(ln low, ln high)); 0 < low.
    LogUniform { low: f64, high: f64 },
    /// Uniform over the integers low..=high.
    Int { low: i64, high: i64 },
    /// Uniform over the listed values (each may be a mapping, replacing the one at the path).
    Choice(Vec<Value>),
}

/// Continuous draws are rounded to this many significant digits: `f64::ln` and `f64::exp`
/// come from the platform's libm, which may differ in the last bit between machines, and a run
/// id hashes the value; rounding makes a differing id a one-in-10¹² coincidence, and keeps
/// labels readable (`train.lr=0.002371`). The grid is 10⁻³ relative, far below any effect.
pub const SIGNIFICANT_DIGITS: usize = 4;

impl SpaceSpec {
    /// The distribution, or what is wrong with the entry.
    pub(crate) fn to_space(&self) -> Result<Space, String> {
        let set = [
            self.uniform.is_some(),
            self.loguniform.is_some(),
            self.int.is_some(),
            self.choice.is_some(),
        ];
        if set.iter().filter(|s| **s).count() != 1 {
            return Err(format!(
                "a searched path takes exactly one distribution: {SPACE_FORMS}"
            ));
        }
        let finite = |[low, high]: [f64; 2], what: &str| {
            if !(high - low).is_finite() || low >= high {
                return Err(format!(
                    "`{what}: [{low}, {high}]` needs finite bounds with low < high"
                ));
            }
            Ok((low, high))
        };
        if let Some(b) = self.uniform {
            let (low, high) = finite(b, "uniform")?;
            return Ok(Space::Uniform { low, high });
        }
        if let Some(b) = self.loguniform {
            let (low, high) = finite(b, "loguniform")?;
            if low <= 0.0 {
                return Err(format!(
                    "`loguniform: [{low}, {high}]` needs low > 0 (it draws ln x uniformly); \
                     use `uniform` for a range that includes 0"
                ));
            }
            return Ok(Space::LogUniform { low, high });
        }
        if let Some([low, high]) = self.int {
            if low >= high {
                return Err(format!(
                    "`int: [{low}, {high}]` needs low < high (both included); for one value \
                     set it in `base`"
                ));
            }
            return Ok(Space::Int { low, high });
        }
        let values = self.choice.clone().unwrap_or_default();
        if values.is_empty() {
            return Err(
                "`choice` needs at least one value, e.g. `{ choice: [32, 64, 128] }`".into(),
            );
        }
        Ok(Space::Choice(values))
    }
}

impl Space {
    /// One draw, exactly:
    /// * `uniform`: low + u·(high − low), u = the top 53 bits of a draw / 2⁵³ ∈ [0, 1);
    /// * `loguniform`: exp(ln low + u·(ln high − ln low)), so ln x is uniform;
    /// * `int`: low + (r mod n), n = high − low + 1, r a draw rejected while it falls in the
    ///   incomplete last block of n values (r ≥ ⌊2⁶⁴/n⌋·n), so every integer has the same
    ///   chance, without modulo bias;
    /// * `choice`: the value at an index drawn as for `int` over 0..len.
    ///
    /// Continuous values are then rounded to [`SIGNIFICANT_DIGITS`] significant digits and
    /// kept within [low, high].
    pub fn sample(&self, rng: &mut SplitMix64) -> Value {
        match self {
            Space::Uniform { low, high } => {
                let x = low + rng.unit() * (high - low);
                Value::from(round(x).clamp(*low, *high))
            }
            Space::LogUniform { low, high } => {
                let (a, b) = (low.ln(), high.ln());
                let x = (a + rng.unit() * (b - a)).exp();
                Value::from(round(x).clamp(*low, *high))
            }
            Space::Int { low, high } => {
                let n = high.abs_diff(*low).wrapping_add(1);
                Value::from(low.wrapping_add(rng.below(n) as i64))
            }
            Space::Choice(values) => values[rng.below(values.len() as u64) as usize].clone(),
        }
    }
}

/// `x` rounded to [`SIGNIFICANT_DIGITS`]: Rust's `{:e}` formatting is exact (it does not use
/// the platform's printf), so this is the same everywhere.
fn round(x: f64) -> f64 {
    format!("{x:.prec$e}", prec = SIGNIFICANT_DIGITS - 1)
        .parse()
        .unwrap_or(x)
}

/// A searched config path and its distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub path: String,
    pub space: Space,
}

/// The sampled points: `trials` points, each one value per dimension in `space` order. One
/// [`SplitMix64`] started at `seed` draws trial 0's values (dimension by dimension), then
/// trial 1's, and so on; so raising `trials` keeps the earlier trials' points, and every
/// variant × grid point gets the same points.
pub fn points(seed: u64, trials: usize, space: &[Dimension]) -> Vec<Vec<Value>> {
    let mut rng = SplitMix64::new(seed);
    (0..trials)
        .map(|_| space.iter().map(|d| d.space.sample(&mut rng)).collect())
        .collect()
}

#[cfg(test)]
mod sampling_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod validation_tests;
