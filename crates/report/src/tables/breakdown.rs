//! `breakdown`: final test accuracy per group and bucket, with the baselines' accuracies.

use super::{axis_header, axis_levels};
use crate::aggregate::Aggregates;
use crate::table::{n4, Table};

pub fn breakdown(agg: &Aggregates) -> Table {
    let buckets = &agg.buckets;
    let mut names: Vec<String> = buckets
        .iter()
        .flat_map(|b| b.baselines.iter().map(|(n, _)| n.clone()))
        .collect();
    names.sort();
    names.dedup();
    let mut header = axis_header(agg.results);
    let first = header.len();
    header.extend(["by", "bucket", "n", "accuracy", "ci95_low", "ci95_high"].map(String::from));
    header.extend(names.iter().cloned());
    let mut t = Table::new(header).numeric_from(first + 1);
    t.numeric[first] = false;
    for b in buckets {
        let mut row = axis_levels(agg.results, b.group);
        row.extend([
            b.by.clone(),
            b.bucket.clone(),
            b.accuracy.n.to_string(),
            n4(b.accuracy.mean),
            n4(b.accuracy.ci_low()),
            n4(b.accuracy.ci_high()),
        ]);
        for n in &names {
            let v = b
                .baselines
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| *v)
                .unwrap_or(f64::NAN);
            row.push(n4(v));
        }
        t.push(row);
    }
    t
}
