//! `variants`: one row per group: axes, n, status counts, and the mean ± sd of the main metric.

use super::{axis_header, axis_levels};
use crate::aggregate::{Aggregates, STATUSES};
use crate::table::{n4, Table};

pub fn variants(agg: &Aggregates) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.push("runs".into());
    header.extend(STATUSES.iter().map(|s| s.to_string()));
    header.push(format!("{} mean", agg.main));
    header.push(format!("{} sd", agg.main));
    let mut t = Table::new(header).numeric_from(first);
    for (group, g) in agg.results.groups.iter().enumerate() {
        let counts = agg.status_counts(&g.runs);
        let d = agg.describe(group, &agg.main);
        let mut row = axis_levels(agg.results, group);
        row.push(g.runs.len().to_string());
        row.extend(counts[..STATUSES.len()].iter().map(|n| n.to_string()));
        row.push(n4(d.mean));
        row.push(n4(d.sd));
        t.push(row);
    }
    t
}
