//! docs/results.md describes the format this crate writes: the same files, columns and
//! summary fields. When one changes without the other, this fails.
use rnnlab_results::files::{breakdown, gradflow, METRICS_HEAD, METRICS_TAIL};
use rnnlab_results::{eval, Layout, RunFiles, Status, Summary, FORMAT_VERSION};

fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/results.md");
    std::fs::read_to_string(path).expect("docs/results.md")
}

/// The fenced block that starts with `opening`.
fn block(doc: &str, opening: &str) -> String {
    let start = doc
        .find(opening)
        .unwrap_or_else(|| panic!("no {opening} block"))
        + opening.len();
    let end = doc[start..].find("```").expect("closed block") + start;
    doc[start..end].to_string()
}

#[test]
fn the_tree_names_every_run_file() {
    let tree = block(&doc(), "```\nresults/<sweep>/\n");
    for name in RunFiles::ALL {
        assert!(
            tree.lines().any(|l| l.trim_start().starts_with(name)),
            "{name} missing from the tree:\n{tree}"
        );
    }
}

#[test]
fn the_csv_columns_are_documented() {
    let doc = doc();
    for column in METRICS_HEAD.iter().chain(&METRICS_TAIL) {
        assert!(
            doc.contains(&format!("| `{column}` |")),
            "metrics.csv column {column}"
        );
    }
    assert!(
        doc.contains(&breakdown::HEADER.join(",")),
        "breakdown.csv header"
    );
    assert!(
        doc.contains(&gradflow::HEADER.join(",")),
        "gradflow.csv header"
    );
    assert!(
        doc.contains(&eval::RUN_HEADER.join(",")),
        "eval table header"
    );
    assert!(
        doc.contains(&eval::SUMMARY_HEADER.join(",")),
        "eval summary header"
    );
    assert!(
        doc.contains(&format!("  {}/<set>/", Layout::EVAL)),
        "eval folder"
    );
}

#[test]
fn the_summary_example_is_a_current_summary_with_every_field() {
    let example = block(&doc(), "```json\n");
    let parsed: Summary = serde_json::from_str(&example).expect("the example parses");
    assert_eq!(parsed.format, FORMAT_VERSION);
    let documented: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&example).unwrap();
    let written = serde_json::to_value(Summary::new("x", Status::Completed)).unwrap();
    let written: Vec<&String> = written.as_object().unwrap().keys().collect();
    let documented: Vec<&String> = documented.keys().collect();
    assert_eq!(
        documented, written,
        "the example's fields, in the written order"
    );
    for status in Status::ALL {
        assert!(
            doc().contains(&format!("`{}`", status.name())),
            "status {status}"
        );
    }
}
