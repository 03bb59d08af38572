//! One file per subcommand; each exposes `Args` and `run(args) -> anyhow::Result<u8>` (the exit
//! code).
pub mod bench;
pub mod eval;
pub mod report;
pub mod run;
pub mod tasks;
pub mod validate;
pub mod version;
