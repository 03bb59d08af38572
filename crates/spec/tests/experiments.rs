//! Every sweep committed under `experiments/` must validate without warnings: a typo there would otherwise be
//! found only when someone runs the suite.
use std::path::Path;

use rnnlab_spec::Sweep;

/// Sweeps committed before validation checked power, whose 3 seeds per side cannot give a p
/// small enough for their claims (see shared/reference/statistics.md). They warn until they are
/// re-run with more seeds; any other sweep, and any other warning, fails this test.
const UNDERPOWERED: [&str; 2] = ["agreement-eval", "lstm-vs-gru-cost"];

#[test]
fn committed_experiments_validate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../experiments");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            checked += 1;
            match Sweep::load_and_expand(&path) {
                // Committed sweeps are examples: they should not warn either (depth-skip.yaml
                // excludes the one-layer skips, which would otherwise warn).
                Ok(expanded) => {
                    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                    let known = UNDERPOWERED.contains(&stem.as_str());
                    failures.extend(
                        expanded
                            .warnings
                            .iter()
                            .map(|w| w.to_string())
                            .filter(|w| !(known && w.contains("cannot pass at α")))
                            .map(|w| format!("warning: {w}")),
                    )
                }
                Err(rejected) => failures.push(rejected.to_string()),
            }
        }
    }
    // A test that finds nothing to check would pass on a broken path.
    assert!(checked > 0, "no sweep (*.yaml) in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
