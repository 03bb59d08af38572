//! The statistics of the report, one method per module, each testable on its own and checked
//! against reference values computed independently (SciPy; see each module's tests).
pub mod anova;
pub mod bootstrap;
pub mod describe;
pub mod dist;
pub mod holm;
pub mod welch;

pub use anova::{main_effects, MainEffect};
pub use bootstrap::bootstrap_mean_difference;
pub use describe::Describe;
pub use holm::holm;
pub use welch::{hedges_g, welch, Welch};
