//! `main_effects`: the fraction of the main metric's variance each axis explains.

use crate::aggregate::Aggregates;
use crate::stats::main_effects;
use crate::table::Table;

pub fn effects(agg: &Aggregates) -> Table {
    let r = agg.results;
    let axes: Vec<String> = r.axes.iter().map(|a| a.name.clone()).collect();
    let groups: Vec<(Vec<String>, Vec<f64>)> = r
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.levels.clone(), r.group_values(i, &agg.main)))
        .collect();
    let mut t = Table::new(["source", "variance_explained"]).numeric_from(1);
    for e in main_effects(&axes, &groups) {
        t.push(vec![e.source, format!("{:.3}", e.fraction)]);
    }
    t
}
