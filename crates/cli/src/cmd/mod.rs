//! One file per subcommand; each exposes `Args` and `run(args) -> anyhow::Result<u8>` (the exit
//! code). run, eval and bench train or load models and exist only with the `torch` feature;
//! without it, `without_torch` stands in for them.
#[cfg(feature = "torch")]
pub mod bench;
pub mod data;
#[cfg(feature = "torch")]
pub mod eval;
pub mod report;
#[cfg(feature = "torch")]
pub mod run;
pub mod tasks;
pub mod validate;
pub mod version;
#[cfg(not(feature = "torch"))]
pub mod without_torch;
