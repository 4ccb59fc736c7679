//! `tributary`: the headless face of Tributary. Parses arguments, opens the workspace and hands each
//! command to the engine; prints one clear line on stderr and exits non-zero when something fails.

mod args;
mod commands;
mod table;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tributary: {error:#}");
            ExitCode::FAILURE
        }
    }
}
