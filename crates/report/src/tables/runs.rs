//! `runs`: one row per run: its id, levels, seed, status and headline numbers.

use crate::aggregate::Aggregates;
use crate::load::value;
use crate::table::{num, Table};

pub fn runs(agg: &Aggregates) -> Table {
    let r = agg.results;
    let mut header = vec!["run".to_string()];
    header.extend(r.axes.iter().map(|a| a.name.clone()));
    let first = header.len();
    header.extend(
        [
            "seed",
            "status",
            "steps",
            &agg.main,
            "steps_to_solve",
            "wall_s",
        ]
        .map(String::from),
    );
    let mut t = Table::new(header).numeric_from(first);
    t.numeric[first + 1] = false;
    for run in &r.runs {
        let mut row = vec![run.id.clone()];
        row.extend(r.groups[run.group].levels.iter().cloned());
        let v = |m: &str| {
            value(&run.summary, m)
                .map(|x| num(x, 6))
                .unwrap_or_default()
        };
        row.extend([
            run.seed.clone(),
            run.summary.status.name().to_string(),
            v("steps"),
            v(&agg.main),
            v("steps_to_solve"),
            v("wall_s"),
        ]);
        t.push(row);
    }
    t
}
