//! The report's tables, one per file, each built from the [`Aggregates`] into a [`Table`] of
//! formatted cells (written as `tables/<name>.csv` and shown in report.md by the sinks).

mod breakdown;
mod cost;
mod curves;
mod effects;
mod gradflow;
mod metric;
mod runs;
mod status;
mod summary;
mod variants;

pub use breakdown::breakdown;
pub use cost::cost;
pub use curves::curves;
pub use effects::effects;
pub use gradflow::gradflow;
pub use metric::metric;
pub use runs::runs;
pub use status::status;
pub use summary::summary;
pub use variants::variants;

use crate::load::Results;

/// Header cells for the axes (`variant` for a sweep without axes).
fn axis_header(results: &Results) -> Vec<String> {
    if results.axes.is_empty() {
        vec!["variant".into()]
    } else {
        results.axes.iter().map(|a| a.name.clone()).collect()
    }
}

/// A group's cells under [`axis_header`]: its level on each axis.
fn axis_levels(results: &Results, group: usize) -> Vec<String> {
    if results.axes.is_empty() {
        vec!["all runs".into()]
    } else {
        results.groups[group].levels.clone()
    }
}
