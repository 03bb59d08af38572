//! Writes the four synthetic results folders of the tests and their reports, to look at:
//!
//!     cargo run --release -p rnnlab-report --example sample_reports -- /tmp/rnnlab-samples
//!
//! then open /tmp/rnnlab-samples/<case>/report/report.md and its figures/.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/rnnlab-samples"));
    type Writer = fn(&std::path::Path);
    let cases: [(&str, Writer); 4] = [
        ("cells", common::write_cells),
        ("agreement", common::write_agreement),
        ("clip", common::write_clip),
        ("depth", common::write_depth),
    ];
    for (name, write) in cases {
        let dir = root.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        write(&dir);
        let summary = rnnlab_report::report(&dir, &Default::default()).expect("report");
        println!("{}", summary.report_md.display());
        for f in &summary.figures {
            println!("  {}", f.png.display());
        }
    }
}
