//! `tributary import FILE... [--strict] [--json]`

use anyhow::Result;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use tributary_engine::{FileImport, ImportOptions, Workspace};

/// Row errors shown per file in text output; `--json` has them all (up to the first thousand).
const ERRORS_SHOWN: usize = 20;

#[derive(Serialize)]
#[serde(untagged)]
enum FileOutcome {
    Imported(FileImport),
    Failed { path: String, error: ErrorOut },
}

#[derive(Serialize)]
struct ErrorOut {
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct Output {
    files: Vec<FileOutcome>,
}

pub fn run(
    workspace: &mut Workspace,
    files: &[PathBuf],
    strict: bool,
    json: bool,
) -> Result<ExitCode> {
    let options = ImportOptions { strict };
    let mut outcomes = Vec::new();
    let mut failed = false;
    for path in files {
        match workspace.import_file(path, &options) {
            Ok(done) => {
                for warning in &done.warnings {
                    eprintln!("tributary: warning: {}: {warning}", path.display());
                }
                if !json {
                    print_summary(&done);
                }
                outcomes.push(FileOutcome::Imported(done));
            }
            Err(error) => {
                failed = true;
                eprintln!("tributary: {error}");
                outcomes.push(FileOutcome::Failed {
                    path: super::display(path),
                    error: ErrorOut {
                        code: error.code(),
                        message: error.to_string(),
                    },
                });
            }
        }
    }
    if json {
        super::print_json(&Output { files: outcomes })?;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(done: &FileImport) {
    println!(
        "{}: {} as batch {}: {} rows read, {} new, {} updated, {} duplicates, {} rejected",
        done.path,
        done.format,
        done.batch_id,
        done.rows_read,
        done.inserted,
        done.updated,
        done.duplicates,
        done.rejected
    );
    for error in done.errors.iter().take(ERRORS_SHOWN) {
        println!("  {error}");
    }
    if done.rejected as usize > ERRORS_SHOWN {
        println!(
            "  … and {} more rejected rows (--json lists the first {})",
            done.rejected as usize - ERRORS_SHOWN,
            done.errors.len()
        );
    }
}
