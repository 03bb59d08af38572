use std::path::{Path, PathBuf};

use rnnlab_spec::{Expanded, Sweep};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sweep files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let mut code = 0;
    for file in &args.files {
        match load(file) {
            Some(expanded) => println!("{}: ok, {} runs", file.display(), expanded.runs.len()),
            None => code = 2,
        }
    }
    Ok(code)
}

/// Loads, validates and expands a sweep, printing every warning and error to stderr.
/// None when the sweep has errors (the caller exits 2).
pub fn load(file: &Path) -> Option<Expanded> {
    match Sweep::load_and_expand(file) {
        Ok(expanded) => {
            for w in &expanded.warnings {
                eprintln!("warning: {w}");
            }
            Some(expanded)
        }
        Err(rejected) => {
            for w in &rejected.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!("{rejected}");
            None
        }
    }
}
