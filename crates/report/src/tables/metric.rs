//! `final-<metric>`: per-group statistics of one metric over seeds, with the run-status rates.

use super::{axis_header, axis_levels};
use crate::aggregate::Aggregates;
use crate::table::{n4, num, Table};

pub fn metric(agg: &Aggregates, metric: &str) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.extend(
        [
            "n",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high",
            "solved_rate",
            "diverged_rate",
            "median_steps_to_solve",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    for (group, s) in agg.stats.iter().enumerate() {
        let d = agg.describe(group, metric);
        let mut row = axis_levels(agg.results, group);
        row.extend([
            d.n.to_string(),
            n4(d.mean),
            n4(d.sd),
            n4(d.ci_low()),
            n4(d.ci_high()),
            n4(s.solved_rate),
            n4(s.diverged_rate),
            num(s.median_steps_to_solve, 6),
        ]);
        t.push(row);
    }
    t
}
