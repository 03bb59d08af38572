//! `status`: runs per status over the whole folder.

use crate::aggregate::{Aggregates, STATUSES};
use crate::table::Table;

pub fn status(agg: &Aggregates) -> Table {
    let all: Vec<usize> = (0..agg.results.runs.len()).collect();
    let counts = agg.status_counts(&all);
    let mut t = Table::new(["status", "runs"]).numeric_from(1);
    for (s, n) in STATUSES.iter().zip(&counts) {
        t.push(vec![s.to_string(), n.to_string()]);
    }
    if counts[STATUSES.len()] > 0 {
        t.push(vec!["other".into(), counts[STATUSES.len()].to_string()]);
    }
    t
}
