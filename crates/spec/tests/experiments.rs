//! Every sweep committed under `experiments/` must validate without warnings (a claim its seeds
//! cannot pass among them): a typo there would otherwise be found only when someone runs the
//! suite.
use std::path::Path;

use rnnlab_spec::Sweep;

#[test]
fn committed_experiments_validate() {
    // Sweeps name their data files relative to the folder `rnnlab run` starts in, the
    // repository's root, and validation checks that `eval:` files exist.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::set_current_dir(&root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let dir = root.join("experiments");
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
                    failures.extend(expanded.warnings.iter().map(|w| format!("warning: {w}")))
                }
                Err(rejected) => failures.push(rejected.to_string()),
            }
        }
    }
    // A test that finds nothing to check would pass on a broken path.
    assert!(checked > 0, "no sweep (*.yaml) in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
