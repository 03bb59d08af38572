//! `cost`: per group, trainable parameters, wall time and throughput over its runs, with the
//! runs used and those left out.

use super::{axis_header, axis_levels};
use crate::aggregate::Aggregates;
use crate::table::{n4, num, Table};

pub fn cost(agg: &Aggregates) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.extend(
        [
            "n",
            "runs out",
            "params",
            "wall_s_mean",
            "wall_s_sd",
            "steps_per_s_mean",
            "steps_per_s_sd",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first + 1] = false;
    for group in 0..agg.results.groups.len() {
        let p = agg.describe(group, "params");
        let w = agg.counted(group, "wall_s");
        let s = agg.counted(group, "steps_per_s");
        let (wd, sd) = (w.describe(), s.describe());
        let mut n = w.n();
        if s.used() != w.used() {
            n.push_str(&format!(" (steps/s {})", s.n()));
        }
        let mut out = w.out();
        if s.out() != out {
            out = [out, format!("steps/s: {}", s.out())].join("; ");
        }
        let cell = |d: Option<crate::stats::Describe>, f: fn(&crate::stats::Describe) -> f64| {
            d.map_or(String::new(), |d| n4(f(&d)))
        };
        let mut row = axis_levels(agg.results, group);
        row.extend([
            n,
            out,
            num(p.mean, 8),
            cell(wd, |d| d.mean),
            cell(wd, |d| d.sd),
            cell(sd, |d| d.mean),
            cell(sd, |d| d.sd),
        ]);
        t.push(row);
    }
    t
}
