//! The sections of report.md, one per file, each with its captions: what it says, which tables
//! it shows, in order. Each sends its events to a [`Sink`](crate::sinks::Sink).

pub mod charts;
pub mod claims;
pub mod cost;
pub mod effects;
pub mod environment;
pub mod metrics;
pub mod runs;
