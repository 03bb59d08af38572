//! "Claims": the sweep's claims, judged (the table `rnnlab check` prints).

use crate::claims::CheckOutcome;
use crate::sinks::Sink;
use crate::ReportError;

pub fn write(out: &mut dyn Sink, outcome: &CheckOutcome) -> Result<(), ReportError> {
    out.section("Claims");
    if outcome.claims.is_empty() {
        out.paragraph("The sweep makes no claims.");
        Ok(())
    } else {
        out.paragraph(&format!("{outcome}"));
        out.table("claims", &outcome.csv_table(), false)
    }
}
