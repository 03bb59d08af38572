//! "Cost": parameters, wall time and throughput per variant.

use crate::aggregate::Aggregates;
use crate::sinks::Sink;
use crate::tables;
use crate::ReportError;

pub fn write(out: &mut dyn Sink, agg: &Aggregates) -> Result<(), ReportError> {
    out.section("Cost");
    out.table("cost", &tables::cost(agg), true)
}
