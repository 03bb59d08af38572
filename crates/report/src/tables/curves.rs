//! `curves`: the main metric per group, split and step, over seeds.

use super::{axis_header, axis_levels};
use crate::aggregate::Aggregates;
use crate::table::{n4, num, Table};

pub fn curves(agg: &Aggregates) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.extend(["split", "step", "n", "mean", "sd", "ci95_low", "ci95_high"].map(String::from));
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first] = false;
    for p in &agg.curves {
        let mut row = axis_levels(agg.results, p.group);
        row.extend([
            p.split.clone(),
            num(p.step, 9),
            p.stats.n.to_string(),
            n4(p.stats.mean),
            n4(p.stats.sd),
            n4(p.stats.ci_low()),
            n4(p.stats.ci_high()),
        ]);
        t.push(row);
    }
    t
}
