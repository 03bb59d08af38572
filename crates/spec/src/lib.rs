//! rnnlab-spec: the sweep file and everything derived from it.
//!
//! A sweep YAML (see `docs/sweeps.md`) is parsed into a [`Sweep`], validated, and expanded into
//! a deterministic list of [`Run`]s, each a fully resolved [`RunConfig`] with a stable
//! [`run id`](RunConfig::id). [`Sweep::load_and_expand`] does all three and reports every
//! problem at once, each with file, YAML path, `line:column` and what to do. This crate knows
//! nothing of libtorch or polars: every other crate reads its types.
//!
//! [`metric`] is the metric catalogue: each task kind's metrics with their direction and unit,
//! the summary scalars, and [`MetricRef`], the parsed form of `final.mse` or `wall_s`.
mod check;
mod claim;
mod diagnostics;
mod duplicates;
mod error;
pub mod estimate;
pub mod evalset;
mod expand;
mod expectations;
mod hints;
mod limits;
mod locate;
pub mod metric;
mod model;
mod origin;
pub mod power;
mod resolve;
mod run;
mod schema;
pub mod search;
mod stop;
mod suggest;
mod sweep;
mod task;
#[cfg(test)]
mod testing;
mod text;
mod train;
mod treebank;
mod validate;
mod walk;

pub use check::{Problem, Severity};
pub use claim::{check_metric, parse_expect, Claim, ClaimTest, Comparison, Relation};
pub use error::{Rejected, SpecError, SpecWarning};
pub use evalset::{EvalFile, EvalSets};
pub use hints::{ChartHint, DivergedRule, ReportHints};
pub use limits::Limits;
pub use locate::Location;
pub use metric::{higher_is_better, Direction, EvalRef, Metric, MetricRef, Scalar, TaskMetrics};
pub use model::{Cell, Init, Merge, ModelConfig, Skip};
pub use origin::origin;
pub use run::{Run, RunConfig};
pub use search::{Search, SearchPlan};
pub use stop::{Criterion, Diverged, StopConfig};
pub use sweep::{yaml_scalar, Expanded, Sweep};
pub use task::{
    AddingConfig, AgreementConfig, AgreementForm, CopyConfig, TaskConfig, TemporalOrderConfig,
};
pub use text::{CorpusConfig, TextConfig, TextLevel};
pub use train::{Clip, ClipKind, Optimizer, Schedule, TrainConfig};
pub use treebank::TreebankAgreementConfig;
