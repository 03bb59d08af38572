//! Hyperparameter importance from random-search trials: the fraction of a metric's variance
//! each searched parameter explains, by functional ANOVA over a random forest (Hutter, Hoos &
//! Leyton-Brown 2014, "An Efficient Approach for Assessing Hyperparameter Importance", ICML;
//! the measure Greff et al. 2017, "LSTM: A Search Space Odyssey", report).
//!
//! Why a forest and not the grid ANOVA of `stats::anova`: random-search trials share no cells,
//! so the marginals must come from a model of the response surface. A regression tree is
//! constant on boxes, so its ANOVA is an exact finite sum (`fanova.rs`); each tree of a seeded,
//! bootstrapped forest (`forest.rs`) gives one decomposition, and the spread over trees is the
//! uncertainty the report shows. docs/importance.md has the method, defaults and checks.
//!
//! Trials without a finite metric (diverged) are not dropped, which would hide the parameters
//! that make runs diverge: as in the claim tests (`verdict.rs`), a diverged trial counts as the
//! worst value, and since no number stands for "worse than every value", the metric is then
//! replaced by its mid-ranks with the diverged trials tied at the worst end.

mod fanova;
mod forest;
#[cfg(test)]
mod measure;
mod space;
#[cfg(test)]
mod tests;
mod tree;

use rnnlab_spec::Direction;

pub use space::{Domain, ParamSpace, Value, MAX_LABELS};

use super::rng::SplitMix64;
use forest::Growth;
use space::{encode, Axis};

/// What went wrong; each names the parameter or trial and says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportanceError {
    #[error(
        "search space: parameter `{param}`: {message}; fix its range or choices in `search.space`"
    )]
    Domain { param: String, message: String },

    #[error("trial {trial}, parameter `{param}`: {message}; the trial does not belong to `search.space`: fix the space or leave the trial out")]
    Value {
        trial: usize,
        param: String,
        message: String,
    },

    #[error("trial {trial} has {got} values for {expected} searched parameters; give one value per parameter, in the space's order")]
    Arity {
        trial: usize,
        got: usize,
        expected: usize,
    },

    #[error("{trials} trials: importance needs at least {need} (two leaves of min_leaf = {min_leaf}), and tens per parameter to be meaningful; run more trials")]
    TooFew {
        trials: usize,
        need: usize,
        min_leaf: usize,
    },

    #[error("no searched parameters: there is nothing to attribute the variance to")]
    NoParams,

    #[error("the metric does not vary over the {trials} trials (or no tree found a split): there is no variance to explain")]
    Constant { trials: usize },
}

/// Which response the forest is fitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// The metric's values when every trial has one; its mid-ranks (diverged tied worst)
    /// otherwise.
    Auto,
    /// Always the mid-ranks (ordered as the metric, diverged tied worst): robust to outliers
    /// such as a loss of 1e6 at the edge of the learning-rate range.
    Ranks,
}

/// The forest and how the metric enters it. `Options::new(seed, direction)` gives the
/// defaults of docs/importance.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Trees in the forest; the spread over them is the reported uncertainty. 64, as
    /// Optuna's fANOVA evaluator.
    pub trees: usize,
    /// Fewest bootstrap trials per leaf: 5, the regression default of Breiman's forests
    /// (Liaw & Wiener 2002, R News 2(3)), so that one lucky seed cannot own a leaf; 200 trials
    /// (Greff et al.'s budget) still leave up to 40 leaves. Measured against 1-3 in
    /// docs/importance.md: no less accurate on smooth functions, better with noise.
    pub min_leaf: usize,
    /// Share of the parameters drawn as candidates at each split (rounded up, at least 1).
    /// Default 1.0, every parameter (bagged trees, as DeepCAVE's fANOVA forest): random
    /// subsets (0.5, 0.7) decorrelate the trees but, measured in docs/importance.md, make
    /// trees split on irrelevant parameters when the relevant one is not drawn, which leaks
    /// variance to them and to spurious interactions.
    pub feature_ratio: f64,
    /// Deepest leaf (64, as the fANOVA reference implementation; rarely reached).
    pub max_depth: usize,
    /// The forest's seed: the same trials and seed give the same report.
    pub seed: u64,
    /// Which way the metric is better; decides the end diverged trials are tied at.
    pub direction: Direction,
    pub response: Response,
}

impl Options {
    pub fn new(seed: u64, direction: Direction) -> Options {
        Options {
            trees: 64,
            min_leaf: 5,
            feature_ratio: 1.0,
            max_depth: 64,
            seed,
            direction,
            response: Response::Auto,
        }
    }
}

/// One parameter's main effect: the mean over trees of the fraction of the variance it
/// explains alone, the standard deviation over trees, and the 2.5 % and 97.5 % quantiles over
/// trees (linear interpolation).
#[derive(Debug, Clone, PartialEq)]
pub struct Importance {
    pub name: String,
    pub fraction: f64,
    pub sd: f64,
    pub low: f64,
    pub high: f64,
}

/// A pair's interaction: the fraction of the variance explained by the two together beyond
/// their main effects, summarised over trees as [`Importance`].
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub names: (String, String),
    pub fraction: f64,
    pub sd: f64,
    pub low: f64,
    pub high: f64,
}

/// The decomposition of a metric's variance over the searched parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    /// One per parameter, in the order of the space.
    pub main: Vec<Importance>,
    /// One per pair (i < j), in the order (0,1), (0,2), ..., (1,2), ...
    pub interactions: Vec<Interaction>,
    /// The mean over trees of what neither the main effects nor the pairs explain (the
    /// interactions of three parameters or more).
    pub higher_order: f64,
    /// Trees whose prediction varies (the others are left out of every mean).
    pub trees: usize,
    /// Trials used, and how many of them had no finite metric (counted as worst).
    pub trials: usize,
    pub diverged: usize,
    /// Whether the forest was fitted to ranks rather than values.
    pub ranks: bool,
}

impl Decomposition {
    /// The main effects, largest first (ties in the space's order).
    pub fn ranked(&self) -> Vec<&Importance> {
        let mut out: Vec<&Importance> = self.main.iter().collect();
        out.sort_by(|a, b| b.fraction.total_cmp(&a.fraction));
        out
    }
}

/// The importance of each parameter of `params` for the metric of `trials` (each: one value
/// per parameter, in `params`' order, and the metric, NaN when the trial diverged).
pub fn importance(
    params: &[ParamSpace],
    trials: &[(Vec<Value>, f64)],
    options: &Options,
) -> Result<Decomposition, ImportanceError> {
    if params.is_empty() {
        return Err(ImportanceError::NoParams);
    }
    let axes = params.iter().map(Axis::of).collect::<Result<Vec<_>, _>>()?;
    let mut x = Vec::with_capacity(trials.len());
    for (t, (values, _)) in trials.iter().enumerate() {
        if values.len() != params.len() {
            return Err(ImportanceError::Arity {
                trial: t,
                got: values.len(),
                expected: params.len(),
            });
        }
        let row = params
            .iter()
            .zip(values)
            .map(|(p, v)| encode(p, t, v))
            .collect::<Result<Vec<_>, _>>()?;
        x.push(row);
    }
    let min_leaf = options.min_leaf.max(1);
    if trials.len() < 2 * min_leaf {
        return Err(ImportanceError::TooFew {
            trials: trials.len(),
            need: 2 * min_leaf,
            min_leaf,
        });
    }
    let metric: Vec<f64> = trials.iter().map(|t| t.1).collect();
    let diverged = metric.iter().filter(|v| !v.is_finite()).count();
    let ranks = options.response == Response::Ranks || diverged > 0;
    let y = if ranks {
        mid_ranks(&metric, options.direction)
    } else {
        metric
    };
    let p = params.len();
    let growth = Growth {
        min_leaf,
        features: ((options.feature_ratio * p as f64).ceil() as usize).clamp(1, p),
        max_depth: options.max_depth,
    };
    let mut seeds = SplitMix64::new(options.seed);
    let mut main: Vec<Vec<f64>> = vec![Vec::new(); p];
    let mut pairs: Vec<Vec<f64>> = vec![Vec::new(); p * (p - 1) / 2];
    let mut rest = Vec::new();
    // A tree whose variance is below rounding of the response's scale predicts a constant.
    let scale: f64 = y.iter().map(|v| v * v).sum::<f64>() / y.len() as f64;
    for _ in 0..options.trees {
        let mut rng = SplitMix64::new(seeds.next_u64());
        let tree = forest::grow(&axes, &x, &y, growth, &mut rng);
        let parts = fanova::decompose(&tree, &axes);
        if parts.total <= 1e-12 * scale {
            continue;
        }
        for (acc, v) in main.iter_mut().zip(&parts.main) {
            acc.push(v / parts.total);
        }
        for (acc, v) in pairs.iter_mut().zip(&parts.pairs) {
            acc.push(v / parts.total);
        }
        let explained: f64 = parts.main.iter().chain(&parts.pairs).sum();
        rest.push((1.0 - explained / parts.total).max(0.0));
    }
    if rest.is_empty() {
        return Err(ImportanceError::Constant {
            trials: trials.len(),
        });
    }
    let main = params
        .iter()
        .zip(&main)
        .map(|(param, fractions)| {
            let (fraction, sd, low, high) = spread(fractions);
            Importance {
                name: param.name.clone(),
                fraction,
                sd,
                low,
                high,
            }
        })
        .collect();
    let mut interactions = Vec::with_capacity(pairs.len());
    let mut at = 0;
    for i in 0..p {
        for j in i + 1..p {
            let (fraction, sd, low, high) = spread(&pairs[at]);
            interactions.push(Interaction {
                names: (params[i].name.clone(), params[j].name.clone()),
                fraction,
                sd,
                low,
                high,
            });
            at += 1;
        }
    }
    Ok(Decomposition {
        main,
        interactions,
        higher_order: rest.iter().sum::<f64>() / rest.len() as f64,
        trees: rest.len(),
        trials: trials.len(),
        diverged,
        ranks,
    })
}

/// Mid-ranks (1-based; ties share the mean of their ranks) ordered as the metric, so that a
/// larger value keeps a larger rank; non-finite values tie at the worst end.
fn mid_ranks(values: &[f64], direction: Direction) -> Vec<f64> {
    let worst = if direction.higher_is_better() {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    };
    let keys: Vec<f64> = values
        .iter()
        .map(|&v| if v.is_finite() { v } else { worst })
        .collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    let mut ranks = vec![0.0; keys.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && keys[order[end]] == keys[order[start]] {
            end += 1;
        }
        let mid = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = mid;
        }
        start = end;
    }
    ranks
}

/// Mean, sample standard deviation and the 2.5 % and 97.5 % quantiles of `v` (non-empty).
fn spread(v: &[f64]) -> (f64, f64, f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = if v.len() > 1 {
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let mut sorted = v.to_vec();
    sorted.sort_by(f64::total_cmp);
    (mean, sd, quantile(&sorted, 0.025), quantile(&sorted, 0.975))
}

/// The q quantile of sorted values, interpolating linearly between order statistics.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}
