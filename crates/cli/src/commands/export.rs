//! `tributary export --format csv [--out FILE]`

use anyhow::Result;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use tributary_engine::{EngineError, Workspace};

pub fn run(workspace: &Workspace, out: Option<PathBuf>) -> Result<ExitCode> {
    match out {
        None => {
            let stdout = std::io::stdout().lock();
            match workspace.export_csv(BufWriter::new(stdout), "standard output") {
                Ok(_) => {}
                // A reader that stops early (`| head`) is not a failure of the export.
                Err(EngineError::Output { reason, .. }) if reason.contains("Broken pipe") => {}
                Err(e) => return Err(e.into()),
            }
        }
        Some(path) => {
            let rows = workspace.export_csv_file(&path)?;
            eprintln!("tributary: exported {rows} events to {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
