//! "Cost": parameters, wall time and throughput per variant.

use crate::aggregate::Aggregates;
use crate::sinks::Sink;
use crate::tables;
use crate::ReportError;

pub fn write(out: &mut dyn Sink, agg: &Aggregates) -> Result<(), ReportError> {
    out.section("Cost");
    out.paragraph("Per variant over its runs: trainable parameters, wall time and updates per second (mean and sample standard deviation); `n` is the runs used of the variant's runs, `runs out` those left out (a failed or interrupted run measured only part of its training). Runs that stopped early (solved or diverged) trained fewer steps, so their wall time is shorter.");
    out.table("cost", &tables::cost(agg), true)
}
