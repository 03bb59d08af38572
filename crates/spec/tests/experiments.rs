//! Every sweep committed under `experiments/` must validate without warnings: a typo there would otherwise be
//! found only when someone runs the suite.
use std::path::Path;

use rnnlab_spec::Sweep;

#[test]
fn committed_experiments_validate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../experiments");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // a crate-only checkout has no experiments
    };
    let mut failures = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            match Sweep::load_and_expand(&path) {
                // Committed sweeps are examples: they should not warn either (depth-skip.yaml
                // excludes the one-layer skips, which would otherwise warn).
                Ok(expanded) => {
                    failures.extend(expanded.warnings.iter().map(|w| format!("warning: {w}")))
                }
                Err(rejected) => failures.push(rejected.to_string()),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
