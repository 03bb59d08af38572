//! One section per final metric, the main one first: its per-variant statistics.

use crate::aggregate::Aggregates;
use crate::charts::stem;
use crate::sinks::Sink;
use crate::tables;
use crate::ReportError;

pub fn write(out: &mut dyn Sink, agg: &Aggregates) -> Result<(), ReportError> {
    for metric in agg.metrics.iter().filter(|m| m.starts_with("final.")) {
        let main = if *metric == agg.main {
            " (main metric)"
        } else {
            ""
        };
        out.section(&format!("`{metric}`{main}"));
        out.paragraph(&format!(
            "`{metric}` per variant over seeds: mean, sample standard deviation, 95% t interval of the mean; solved and diverged rates and the median steps to solve count every run."
        ));
        out.table(
            &stem(&[metric.as_str()]),
            &tables::metric(agg, metric),
            true,
        )?;
    }
    Ok(())
}
