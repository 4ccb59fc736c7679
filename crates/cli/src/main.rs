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
            let mut line = one_line(&error);
            let engine = error
                .chain()
                .find_map(|c| c.downcast_ref::<tributary_engine::EngineError>());
            if let Some(remedy) = engine.and_then(commands::remedy) {
                line.push_str(": ");
                line.push_str(remedy);
            }
            eprintln!("tributary: {line}");
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes in one line, each cause said once: most errors already name their cause in
/// their own message (`could not open …: file is not a database`), and the cause's cause again.
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}
