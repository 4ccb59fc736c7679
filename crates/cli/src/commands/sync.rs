//! `tributary sync NAME|--all [--full] [--dry-run]`, `tributary sync runs NAME`, `tributary sync undo ID`

use crate::table::Table;
use anyhow::{bail, Result};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use tributary_engine::{SyncProgress, SyncReport, SyncRequest, Workspace};

pub fn run(
    workspace: &mut Workspace,
    name: Option<&str>,
    all: bool,
    request: &SyncRequest,
    json: bool,
) -> Result<ExitCode> {
    let names: Vec<String> = match (name, all) {
        (Some(name), _) => vec![name.to_string()],
        (None, true) => workspace
            .connections()?
            .into_iter()
            .filter(|c| c.state == "active")
            .map(|c| c.name)
            .collect(),
        (None, false) => bail!("name a connection to sync, or sync them --all"),
    };
    if names.is_empty() {
        println!("No active connections to sync. Connect one with: tributary connect gumroad --token-stdin");
        return Ok(ExitCode::SUCCESS);
    }
    // A line on stderr that each page rewrites, for a person watching a long sync; none into a pipe.
    let live = std::io::stderr().is_terminal();
    let mut reports = Vec::new();
    for name in &names {
        let mut progress = |p: &SyncProgress| {
            if live {
                let mut err = std::io::stderr();
                let _ = write!(
                    err,
                    "\r\x1b[2K{}: {} pages, {} events ({})",
                    p.connection, p.pages, p.events, p.page
                );
                let _ = err.flush();
            }
        };
        let report = workspace.sync_with_progress(name, request, &mut progress);
        if live {
            eprint!("\r\x1b[2K");
        }
        reports.push(report?);
    }
    let failed = reports.iter().any(|r| r.failure.is_some());
    if json {
        super::print_json(&serde_json::json!({ "syncs": reports }))?;
    } else {
        for r in &reports {
            say(r);
        }
    }
    Ok(match failed {
        true => ExitCode::FAILURE,
        false => ExitCode::SUCCESS,
    })
}

/// Queues every connection that can sync for the process running the schedules; says which, and
/// whether anything runs them.
pub fn queue_all(workspace: &mut Workspace, name: Option<&str>, json: bool) -> Result<ExitCode> {
    if let Some(name) = name {
        bail!("--queue queues every connection that can sync: use `tributary sync --all --queue`, or sync {name} here with `tributary sync {name}`");
    }
    let now = tributary_engine::UtcInstant::now();
    let queued = workspace.sync_all_soon(now)?;
    let runner = workspace.runner(now)?;
    if json {
        let host = runner.as_ref().map(|r| r.host.clone());
        super::print_json(&serde_json::json!({ "queued": queued, "runner": host }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if queued.is_empty() {
        println!("Nothing to queue: every connection is paused, waiting out a rate limit or needs reconnecting.");
        return Ok(ExitCode::SUCCESS);
    }
    println!("Queued: {}.", queued.join(", "));
    match runner {
        // The host's scheduler sees another process's change to the queue within a second.
        Some(r) => println!(
            "The tributary {} ({}) runs them in the next seconds.",
            r.host, r.owner
        ),
        None => println!(
            "Nothing is running the scheduled syncs: open Tributary, or start tributary daemon."
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn say(r: &SyncReport) {
    let what = match (r.dry_run, r.run_id) {
        (true, _) => format!("{} (dry run, nothing written)", r.connection),
        (false, Some(id)) => format!("{} (run {id})", r.connection),
        (false, None) => r.connection.clone(),
    };
    let verb = if r.dry_run { "would add" } else { "added" };
    println!(
        "{what}: {} pages, {} new, {} updated, {} already there, {} refused; {} requests, {} retries",
        r.pages, r.inserted, r.updated, r.duplicates, r.rejected, r.requests, r.retries
    );
    for f in &r.added {
        println!("  {verb} {}", super::figures_sentence(f));
    }
    for e in &r.errors {
        println!("  refused: {}", e.message);
    }
    if let Some(f) = &r.failure {
        eprintln!("tributary: {}: {}", r.connection, f.message);
        let next = next_step(f, &r.platform);
        eprintln!("tributary: {}: {next}", r.connection);
    }
}

/// What to do about a failed sync or check, in a sentence with the command to run.
pub(super) fn next_step(f: &tributary_engine::SyncFailure, platform: &str) -> String {
    match f.class {
        tributary_engine::FailureClass::Authentication => format!(
            "reconnect it: tributary connect {} --token-stdin (its history and position are kept)",
            platform
        ),
        tributary_engine::FailureClass::Configuration => {
            "check the token's permissions on the platform, then connect again".to_string()
        }
        tributary_engine::FailureClass::RateLimit => match f.retry_after_ms {
            Some(ms) => format!(
                "the platform asks to wait {} s; then sync again",
                ms.div_ceil(1000)
            ),
            None => "wait a little, then sync again".to_string(),
        },
        tributary_engine::FailureClass::Transient => {
            "sync again later: it goes on after the last whole page".to_string()
        }
        tributary_engine::FailureClass::UnexpectedData => {
            "nothing from that page was written; try again later, or update Tributary".to_string()
        }
    }
}

pub fn runs(workspace: &Workspace, name: &str, json: bool) -> Result<ExitCode> {
    let runs = workspace.sync_runs(name, 50)?;
    if json {
        super::print_json(&serde_json::json!({ "runs": runs }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        println!("\"{name}\" has not synced yet: tributary sync {name}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&[
        ("run", true),
        ("started", false),
        ("status", false),
        ("pages", true),
        ("new", true),
        ("updated", true),
        ("duplicates", true),
        ("requests", true),
        ("retries", true),
        ("net added", true),
        ("error", false),
    ]);
    for r in &runs {
        table.row(vec![
            r.id.to_string(),
            r.started_at.clone(),
            r.status.clone(),
            r.pages.to_string(),
            r.inserted.to_string(),
            r.updated.to_string(),
            r.duplicates.to_string(),
            r.requests.to_string(),
            r.retries.to_string(),
            r.added
                .iter()
                .map(|f| format!("{} {}", f.currency, super::money(f.net_minor, &f.currency)))
                .collect::<Vec<_>>()
                .join(", "),
            r.error_message.clone().unwrap_or_default(),
        ]);
    }
    print!("{}", table.render());
    Ok(ExitCode::SUCCESS)
}

pub fn undo(workspace: &mut Workspace, id: i64, json: bool) -> Result<ExitCode> {
    let undo = workspace.undo_sync_run(id)?;
    if json {
        super::print_json(&undo)?;
    } else {
        println!(
            "undid sync run {id}: {} events removed, {} restored to their earlier version, {} kept \
             because an import or another sync still has them (a `sync --full` reads them again)",
            undo.counts.removed, undo.counts.restored, undo.counts.kept
        );
        for f in &undo.changed {
            println!("  changed {}", super::figures_sentence(f));
        }
    }
    Ok(ExitCode::SUCCESS)
}
