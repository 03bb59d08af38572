//! The statistics of the report, one method per module, each testable on its own and checked
//! against reference values computed independently (SciPy; see each module's tests).
pub mod anova;
pub mod bootstrap;
pub mod boschloo;
pub mod describe;
pub mod dist;
pub mod equivalence;
pub mod fisher;
pub mod holm;
pub mod importance;
pub mod normal;
pub mod permutation;
pub mod resample;
mod rng;
pub mod survival;
pub mod welch;

pub use anova::{main_effects, MainEffect};
pub use bootstrap::bootstrap_mean_difference;
pub use boschloo::{boschloo_exact, Boschloo};
pub use describe::Describe;
pub use equivalence::{
    shift_interval, shift_interval_paired, tost, tost_paired, Equivalence, ShiftInterval,
};
pub use fisher::fisher_exact;
pub use holm::holm;
pub use permutation::{min_p_paired, min_p_two_sample, paired_permutation_test, permutation_test};
pub use resample::{Alternative, PermutationTest, Resampling};
pub use survival::{kaplan_meier, logrank, KaplanMeier, KmStep, LogRank, Observation};
pub use welch::{hedges_g, welch, Welch};
