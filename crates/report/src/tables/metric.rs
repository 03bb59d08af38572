//! `final-<metric>`: per-group statistics of one metric over every run, with the runs used and
//! left out, the solved and diverged counts and the Kaplan-Meier median steps to solve.

use super::{axis_header, axis_levels};
use crate::aggregate::Aggregates;
use crate::table::{n4, Table};

pub fn metric(agg: &Aggregates, metric: &str) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.extend(
        [
            "n",
            "runs out",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high",
            "median",
            "solved",
            "diverged",
            "median_steps_to_solve",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first + 1] = false;
    let solves = agg.solves();
    for group in 0..agg.results.groups.len() {
        let c = agg.counted(group, metric);
        let s = agg.solving(group);
        let runs = &agg.results.groups[group].runs;
        let diverged = runs
            .iter()
            .filter(|&&r| agg.results.runs[r].summary.diverged())
            .count();
        let mut row = axis_levels(agg.results, group);
        row.extend([c.n(), c.out()]);
        match c.describe() {
            Some(d) => row.extend([n4(d.mean), n4(d.sd), n4(d.ci_low()), n4(d.ci_high())]),
            None => row.extend(std::iter::repeat_n(String::new(), 4)),
        }
        row.extend([
            c.median_cell(4),
            format!("{}/{}", s.solved, s.total),
            format!("{diverged}/{}", s.total),
            if solves {
                s.median_cell()
            } else {
                String::new()
            },
        ]);
        t.push(row);
    }
    t
}
