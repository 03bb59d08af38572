//! `docs/metrics.md` lists the metric catalogue: its two tables must be exactly what
//! `rnnlab_spec::metric` declares, so that the docs never drift from what validation accepts.
use std::path::Path;

use rnnlab_spec::metric::{Metric, Scalar, TASKS};

fn doc() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/metrics.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The per-task table, as the docs must write it.
fn task_table() -> String {
    let mut out = String::from(
        "| task | metric | better | unit | rows | meaning |\n|---|---|---|---|---|---|\n",
    );
    for t in TASKS {
        for m in t.metrics {
            let main = if m.name == t.main { " (main)" } else { "" };
            out.push_str(&format!(
                "| `{}` | `{}`{main} | {} | {} | {} | {} |\n",
                t.kind,
                m.name,
                m.direction.word(),
                m.unit,
                m.splits.join(", "),
                m.doc
            ));
        }
    }
    out
}

/// The summary scalars' table, as the docs must write it.
fn scalar_table() -> String {
    let mut out = String::from("| scalar | better | unit | meaning |\n|---|---|---|---|\n");
    for s in Scalar::ALL {
        let Metric {
            name,
            direction,
            unit,
            doc,
            ..
        } = s.def();
        out.push_str(&format!(
            "| `{name}` | {} | {unit} | {doc} |\n",
            direction.word()
        ));
    }
    out
}

#[test]
fn the_docs_list_the_metric_catalogue() {
    let doc = doc();
    for (what, table) in [("task metrics", task_table()), ("scalars", scalar_table())] {
        assert!(
            doc.contains(&table),
            "docs/metrics.md does not list the catalogue's {what}; write this table there:\n\n{table}"
        );
    }
}
