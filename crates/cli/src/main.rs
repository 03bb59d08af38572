//! The `rnnlab` command.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[cfg(feature = "torch")]
mod allocation;
mod cmd;
#[cfg(feature = "torch")]
mod progress;
#[cfg(feature = "torch")]
mod table;

/// The stand-in for run, eval and bench in a build without the `torch` feature.
#[cfg(not(feature = "torch"))]
type NeedsTorch = cmd::without_torch::Args;

/// Benchmark and ablate recurrent networks: run YAML sweeps, report and check the results.
#[derive(Debug, Parser)]
#[command(name = "rnnlab", disable_version_flag = true)]
struct Cli {
    /// Print the rnnlab and libtorch versions and whether CUDA is available.
    #[arg(short = 'V', long)]
    version: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a sweep: train every run not finished yet, then print a summary table.
    #[cfg(feature = "torch")]
    Run(cmd::run::Args),
    /// Run a sweep (needs the `torch` feature, which this build lacks).
    #[cfg(not(feature = "torch"))]
    Run(NeedsTorch),
    /// Check sweep files without running them (exit 2 on any error).
    Validate(cmd::validate::Args),
    /// Tables, charts and report.md for a results folder.
    Report(cmd::report::ReportArgs),
    /// Judge the sweep's claims (exit 1 if one fails).
    Check(cmd::report::CheckArgs),
    /// Compare results with a baseline (exit 1 on a regression).
    Compare(cmd::report::CompareArgs),
    /// Score a saved agreement run on a test file (number-prediction or minimal pairs).
    #[cfg(feature = "torch")]
    Eval(cmd::eval::Args),
    /// Score a saved agreement run (needs the `torch` feature, which this build lacks).
    #[cfg(not(feature = "torch"))]
    Eval(NeedsTorch),
    /// Time training steps, data generation and the runner's overhead (see docs/benchmarks.md).
    #[cfg(feature = "torch")]
    Bench(cmd::bench::Args),
    /// Time training steps (needs the `torch` feature, which this build lacks).
    #[cfg(not(feature = "torch"))]
    Bench(NeedsTorch),
    /// Look at the tasks' data.
    #[command(subcommand)]
    Tasks(cmd::tasks::Command),
    /// Make test files from real data (agreement pairs from a CoNLL-U treebank).
    #[command(subcommand)]
    Data(cmd::data::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        _ if cli.version => cmd::version::run(),
        #[cfg(feature = "torch")]
        Some(Command::Run(args)) => cmd::run::run(args),
        #[cfg(feature = "torch")]
        Some(Command::Eval(args)) => cmd::eval::run(args),
        #[cfg(feature = "torch")]
        Some(Command::Bench(args)) => cmd::bench::run(args),
        #[cfg(not(feature = "torch"))]
        Some(Command::Run(_)) => cmd::without_torch::refuse("run"),
        #[cfg(not(feature = "torch"))]
        Some(Command::Eval(_)) => cmd::without_torch::refuse("eval"),
        #[cfg(not(feature = "torch"))]
        Some(Command::Bench(_)) => cmd::without_torch::refuse("bench"),
        Some(Command::Validate(args)) => cmd::validate::run(args),
        Some(Command::Tasks(command)) => cmd::tasks::run(command),
        Some(Command::Data(command)) => cmd::data::run(command),
        Some(Command::Report(args)) => cmd::report::run_report(&args).map(exit_code),
        Some(Command::Check(args)) => cmd::report::run_check(&args).map(exit_code),
        Some(Command::Compare(args)) => cmd::report::run_compare(&args).map(exit_code),
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            Ok(2)
        }
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn exit_code(code: i32) -> u8 {
    u8::try_from(code).unwrap_or(1)
}
