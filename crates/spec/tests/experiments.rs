//! Every sweep committed under `experiments/` must validate: a typo there would otherwise be
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
            if let Err(rejected) = Sweep::load_and_expand(&path) {
                failures.push(rejected.to_string());
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
