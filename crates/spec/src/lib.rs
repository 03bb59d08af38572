//! rnnlab-spec: the sweep file and everything derived from it.
//!
//! A sweep YAML (see `docs/sweeps.md`) is parsed into a [`Sweep`], validated, and expanded into
//! a deterministic list of [`Run`]s, each a fully resolved [`RunConfig`] with a stable
//! [`run id`](RunConfig::id). This crate knows nothing of libtorch or polars: every other crate
//! reads its types.
mod error;
mod model;
mod run;
mod stop;
mod sweep;
mod task;
mod train;

pub use error::SpecError;
pub use model::{Cell, Init, Merge, ModelConfig, Skip};
pub use run::{Run, RunConfig};
pub use stop::{Criterion, StopConfig};
pub use sweep::{Claim, Sweep};
pub use task::{
    AddingConfig, AgreementConfig, AgreementForm, CopyConfig, TaskConfig, TemporalOrderConfig,
};
pub use train::{Clip, ClipKind, Optimizer, Schedule, TrainConfig};
