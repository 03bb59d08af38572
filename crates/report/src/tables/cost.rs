//! `cost`: per group, trainable parameters, wall time and throughput over seeds.

use super::{axis_header, axis_levels};
use crate::aggregate::Aggregates;
use crate::table::{n4, num, Table};

pub fn cost(agg: &Aggregates) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.extend(
        [
            "n",
            "params",
            "wall_s_mean",
            "wall_s_sd",
            "steps_per_s_mean",
            "steps_per_s_sd",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    for group in 0..agg.results.groups.len() {
        let p = agg.describe(group, "params");
        let w = agg.describe(group, "wall_s");
        let s = agg.describe(group, "steps_per_s");
        let mut row = axis_levels(agg.results, group);
        row.extend([
            w.n.max(s.n).to_string(),
            num(p.mean, 8),
            n4(w.mean),
            n4(w.sd),
            n4(s.mean),
            n4(s.sd),
        ]);
        t.push(row);
    }
    t
}
