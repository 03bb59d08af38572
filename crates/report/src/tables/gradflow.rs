//! `gradflow`: ‖∂L/∂h_t‖ per group, direction and distance from the loss, over seeds.

use super::{axis_header, axis_levels};
use crate::aggregate::Aggregates;
use crate::table::{n4, num, Table};

pub fn gradflow(agg: &Aggregates) -> Table {
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.extend(["direction", "distance", "n", "mean", "sd"].map(String::from));
    let mut t = Table::new(header).numeric_from(first + 1);
    for p in &agg.grads {
        let mut row = axis_levels(agg.results, p.group);
        let direction = if p.direction == 0 {
            "forward"
        } else {
            "backward"
        };
        row.extend([
            direction.to_string(),
            num(p.distance, 9),
            p.norm.n.to_string(),
            n4(p.norm.mean),
            n4(p.norm.sd),
        ]);
        t.push(row);
    }
    t
}
