//! The commands that need libtorch (run, eval, bench) in a build without the `torch` feature.
//!
//! They stay in the command list, so that `rnnlab run ...` says why it cannot run and how to get
//! a build that can, instead of clap's "unrecognized subcommand". Their arguments are taken as
//! they come and not checked: the command refuses before looking at them.

/// Whatever follows the command name.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        hide = true,
        value_name = "ARGS"
    )]
    _args: Vec<String>,
}

/// What every libtorch command answers in a report-only build; main prints it as `error: ...`
/// and exits 1.
pub fn refuse(command: &str) -> anyhow::Result<u8> {
    anyhow::bail!(
        "`rnnlab {command}` needs libtorch, and this rnnlab was built without the `torch` \
         feature; rebuild with default features (`cargo build --release -p rnnlab`, or \
         scripts/rnnlab). This build has report, check, compare, validate and tasks."
    )
}
