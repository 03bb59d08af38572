//! `variants`: one row per group: axes, the runs used of the main metric and those left out,
//! status counts, and the mean ± sd and median of the main metric.

use super::{axis_header, axis_levels};
use crate::aggregate::{Aggregates, STATUSES};
use crate::table::{n4, Table};

pub fn variants(agg: &Aggregates) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.push("n".into());
    header.push("runs out".into());
    header.extend(STATUSES.iter().map(|s| s.to_string()));
    header.push(format!("{} mean", agg.main));
    header.push(format!("{} sd", agg.main));
    header.push(format!("{} median", agg.main));
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first + 1] = false;
    for (group, g) in agg.results.groups.iter().enumerate() {
        let counts = agg.status_counts(&g.runs);
        let c = agg.counted(group, &agg.main);
        let mut row = axis_levels(agg.results, group);
        row.push(c.n());
        row.push(c.out());
        row.extend(counts[..STATUSES.len()].iter().map(|n| n.to_string()));
        match c.describe() {
            Some(d) => row.extend([n4(d.mean), n4(d.sd)]),
            None => row.extend([String::new(), String::new()]),
        }
        row.push(c.median_cell(4));
        t.push(row);
    }
    t
}
