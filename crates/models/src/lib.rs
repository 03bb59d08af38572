//! rnnlab-models: recurrent models on libtorch.
//!
//! Cells (`rnn_tanh`, `rnn_relu`, `lstm`, `gru` on libtorch's fused kernels; the LSTM gate
//! ablations of Greff et al. 2017 as unrolled cells), stacks of any depth with `none`,
//! `residual`, `dense` or `highway` skips, bidirectional layers, heads for each task readout,
//! seeded initialisation, and the gradient-flow probe. libtorch is used by this crate, the
//! trainer (rnnlab-train) and the CLI's training commands (behind its `torch` feature); spec,
//! tasks, results and report build without it.
pub mod cell;
pub mod device;
pub mod init;
mod layer;
mod lengths;
mod model;
pub mod probe;
mod stack;

pub use device::DeviceChoice;
pub use layer::Layer;
pub use lengths::Lengths;
pub use model::Model;
pub use stack::{Mode, Stack};

/// The libtorch version rnnlab was built against (tch 0.26 binds 2.13.0).
pub const LIBTORCH_VERSION: &str = "2.13.0";
