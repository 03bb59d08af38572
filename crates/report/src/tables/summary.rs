//! The short table `rnnlab run` prints at the end of a sweep: per group, the runs used of
//! all, the status counts in words and the mean ± sd of the main metric (its median, diverged
//! runs counted worst, when some have no value under `report.diverged: worst`).

use super::{axis_header, axis_levels};
use crate::aggregate::{Aggregates, STATUSES};
use crate::table::{n4, Table};

pub fn summary(agg: &Aggregates) -> Table {
    let results = agg.results;
    let mut header = axis_header(results);
    let first = header.len();
    header.extend(["n".to_string(), "status".into(), agg.main.clone()]);
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first + 1] = false;
    for (group, g) in results.groups.iter().enumerate() {
        let counts = agg.status_counts(&g.runs);
        let mut status: Vec<String> = STATUSES
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        if counts[STATUSES.len()] > 0 {
            status.push(format!("{} other", counts[STATUSES.len()]));
        }
        let c = agg.counted(group, &agg.main);
        let mut row = axis_levels(results, group);
        row.push(c.n());
        row.push(status.join(", "));
        row.push(match c.describe() {
            Some(d) if d.n >= 2 => format!("{} ± {}", n4(d.mean), n4(d.sd)),
            Some(d) => n4(d.mean),
            None => match c.median_cell(4).as_str() {
                "diverged" => "diverged (median)".into(),
                m => format!("median {m}"),
            },
        });
        t.push(row);
    }
    t
}
