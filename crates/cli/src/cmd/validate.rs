use std::path::PathBuf;

use rnnlab_spec::Sweep;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sweep files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let mut code = 0;
    for file in &args.files {
        match Sweep::load(file).and_then(|s| s.expand(file)) {
            Ok(runs) => println!("{}: ok, {} runs", file.display(), runs.len()),
            Err(e) => {
                eprintln!("error: {e}");
                code = 2;
            }
        }
    }
    Ok(code)
}
