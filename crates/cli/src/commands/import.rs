//! `tributary import FILE... [--strict] [--format NAME | --map FILE | --mapping NAME] [--dry-run] [--json]`

use anyhow::Result;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use tributary_engine::{read_mapping, FileImport, Format, ImportOptions, Workspace};

/// Row errors shown per file in text output; `--json` has them all (up to the first thousand).
const ERRORS_SHOWN: usize = 20;

#[derive(Serialize)]
#[serde(untagged)]
enum FileOutcome {
    Imported(Box<FileImport>),
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

/// How the files are to be read: detected, or forced one of three ways.
pub struct FormatChoice {
    pub format: Option<String>,
    pub map: Option<PathBuf>,
    pub mapping: Option<String>,
}

impl FormatChoice {
    fn resolve(&self, workspace: &Workspace) -> Result<Option<Format>> {
        Ok(match (&self.format, &self.map, &self.mapping) {
            (Some(name), _, _) | (_, _, Some(name)) => Some(workspace.format_named(name)?),
            (_, Some(path), _) => Some(Format::Mapped(Box::new(read_mapping(path)?))),
            (None, None, None) => None,
        })
    }
}

pub fn run(
    workspace: &mut Workspace,
    files: &[PathBuf],
    choice: &FormatChoice,
    strict: bool,
    dry_run: bool,
    json: bool,
) -> Result<ExitCode> {
    let options = ImportOptions {
        strict,
        format: choice.resolve(workspace)?,
        dry_run,
        ..ImportOptions::default()
    };
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
                outcomes.push(FileOutcome::Imported(Box::new(done)));
            }
            Err(error) => {
                failed = true;
                match super::remedy(&error) {
                    Some(remedy) => eprintln!("tributary: {error}: {remedy}"),
                    None => eprintln!("tributary: {error}"),
                }
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
    let what = match done.batch_id {
        Some(id) => format!("as batch {id}"),
        None => "dry run, nothing written".to_string(),
    };
    let (new, updated) = match done.dry_run {
        true => ("would be new", "would be updated"),
        false => ("new", "updated"),
    };
    println!(
        "{}: {} {what}: {} rows read, {} {new}, {} {updated}, {} duplicates, {} rejected, {} skipped",
        done.path,
        done.format,
        done.rows_read,
        done.inserted,
        done.updated,
        done.duplicates,
        done.rejected,
        done.skipped
    );
    if done.dry_run {
        print_reading(done);
    }
    if let Some(line) = replaces_sentence(&done.replaces, done.dry_run) {
        println!("  {line}");
    }
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
    if let Some(added) = &done.would_add {
        if added.is_empty() {
            println!("  the ledger's totals would not change");
        }
        for f in added {
            println!("  would add {}", super::figures_sentence(f));
        }
    }
}

/// "replaces 12 estimated events of 2026-03 (Amazon.com, Amazon.de) from KDP_Dashboard-2026-03.xlsx":
/// what a file of final figures does to the estimates before it, month by month.
fn replaces_sentence(
    replaces: &[tributary_engine::EstimatedPeriod],
    dry_run: bool,
) -> Option<String> {
    let mut months: Vec<&str> = replaces.iter().map(|p| p.month.as_str()).collect();
    months.dedup();
    let parts: Vec<String> = months
        .into_iter()
        .map(|month| {
            let of_month: Vec<_> = replaces.iter().filter(|p| p.month == month).collect();
            let events: i64 = of_month.iter().map(|p| p.events).sum();
            let mut places: Vec<&str> = of_month.iter().map(|p| p.marketplace.as_str()).collect();
            places.dedup();
            let mut files: Vec<&str> = of_month
                .iter()
                .flat_map(|p| p.files.iter().map(String::as_str))
                .collect();
            files.sort_unstable();
            files.dedup();
            let from = match files.is_empty() {
                true => String::new(),
                false => format!(" from {}", files.join(", ")),
            };
            format!(
                "{events} estimated {} of {month} ({}){from}",
                if events == 1 { "event" } else { "events" },
                places.join(", ")
            )
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "{} {}",
            if dry_run { "would replace" } else { "replaced" },
            parts.join("; ")
        )
    })
}

/// The detected conventions, so that a wrong guess shows before anything is written.
fn print_reading(done: &FileImport) {
    let r = &done.reading;
    let mut facts = Vec::new();
    if let Some(encoding) = &r.encoding {
        facts.push(format!("encoding {encoding}"));
    }
    if let Some(delimiter) = &r.delimiter {
        facts.push(format!("delimiter '{delimiter}'"));
    }
    if let Some(mark) = r.decimal_mark {
        facts.push(format!("decimal mark '{}'", mark.as_char()));
    }
    if let Some(dates) = &r.date_format {
        facts.push(format!("dates {dates}"));
    }
    if !r.sheets.is_empty() {
        facts.push(format!("sheets {}", r.sheets.join(", ")));
    }
    if !facts.is_empty() {
        println!("  read as: {}", facts.join("; "));
    }
}
