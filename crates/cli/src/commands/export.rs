//! `tributary export --format csv [--out FILE]`

use anyhow::{Context, Result};
use std::io::{BufWriter, ErrorKind, Write};
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
            // Written beside the target and renamed into place, so a failed export never leaves a
            // half-written file where a good one was.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut temp = tempfile_in(dir, &path)?;
            let rows =
                workspace.export_csv(BufWriter::new(&mut temp.1), &path.display().to_string())?;
            temp.1
                .flush()
                .and_then(|_| temp.1.sync_all())
                .with_context(|| format!("could not write {}", path.display()))?;
            std::fs::rename(&temp.0, &path)
                .with_context(|| format!("could not write {}", path.display()))?;
            eprintln!("tributary: exported {rows} events to {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn tempfile_in(
    dir: &std::path::Path,
    target: &std::path::Path,
) -> Result<(PathBuf, std::fs::File)> {
    let name = format!(
        ".{}.{}.partial",
        target.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    );
    let temp = dir.join(name);
    let file = std::fs::File::create(&temp).map_err(|e| match e.kind() {
        ErrorKind::NotFound => anyhow::anyhow!("{}: the folder does not exist", dir.display()),
        _ => anyhow::anyhow!("could not write {}: {e}", target.display()),
    })?;
    Ok((temp, file))
}
