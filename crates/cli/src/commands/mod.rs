//! One module per command; each opens what it needs through the engine and prints the result.

mod alerts;
mod batches;
mod connections;
mod credential_check;
mod daemon;
mod export;
mod formats;
mod health;
mod import;
mod jobs;
mod mappings;
mod report;
mod status;
mod sync;
mod zone;

use crate::args::{Cli, Command};
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tributary_engine::{default_data_dir, Waiting, Workspace, Zone};

pub fn run(cli: Cli) -> Result<ExitCode> {
    let dir = match cli.data_dir {
        Some(dir) => dir,
        None => default_data_dir()?,
    };
    let explicit = cli.tz.as_deref().map(Zone::named).transpose()?;
    let open_uncounted = || -> Result<Workspace> {
        let mut workspace = Workspace::open(&dir)?;
        workspace.set_wait_hook(Some(Arc::new(say_waiting)));
        Ok(workspace)
    };
    let open = || -> Result<Workspace> {
        let mut workspace = open_uncounted()?;
        let zone = workspace.zone_to_count_in(explicit.as_ref())?;
        count_days_in(&mut workspace, &zone)?;
        Ok(workspace)
    };
    match cli.command {
        Command::Import {
            files,
            strict,
            format,
            map,
            mapping,
            dry_run,
            json,
        } => {
            let choice = import::FormatChoice {
                format,
                map,
                mapping,
            };
            import::run(&mut open()?, &files, &choice, strict, dry_run, json)
        }
        Command::Formats { json } => formats::run(&open()?, json),
        Command::Mappings { action, json } => mappings::run(&open()?, action, json),
        Command::Report { from, to, by, json } => report::run(&open()?, from, to, by, json),
        Command::Export { format: _, out } => export::run(&open()?, out),
        Command::Batches { action, json } => batches::run(&mut open()?, action, json),
        Command::Status { json } => status::run(&open()?, json),
        Command::Connect {
            platform,
            token_stdin,
            oauth,
            no_browser,
            name,
            account,
            lookback,
            json,
        } => {
            let request = tributary_engine::ConnectRequest {
                platform,
                name,
                account,
                lookback_days: lookback,
            };
            let how = match (oauth, token_stdin) {
                (true, _) => connections::How::OAuth {
                    open_browser: !no_browser,
                },
                (false, true) => connections::How::TokenStdin,
                (false, false) => connections::How::Unsaid,
            };
            connections::connect(&mut open()?, &request, how, json)
        }
        Command::Daemon { once } => {
            // Opened once here so that a ledger needing migration or an unwritable folder is said
            // before the daemon starts.
            drop(open()?);
            daemon::run(&dir, once)
        }
        Command::Health { json } => health::show(&open()?, json),
        Command::Alerts { action, json } => alerts::run(&mut open()?, action, json),
        Command::Jobs {
            action,
            limit,
            json,
        } => match action {
            Some(crate::args::JobsAction::Retry { id, json }) => {
                jobs::retry(&mut open()?, id, json)
            }
            None => jobs::list(&open()?, limit, json),
        },
        Command::Connections { action, json } => match action {
            Some(crate::args::ConnectionsAction::Rename {
                name,
                new_name,
                json,
            }) => connections::rename(&mut open()?, &name, &new_name, json),
            Some(crate::args::ConnectionsAction::Check { name, json }) => {
                credential_check::check(&mut open()?, &name, json)
            }
            Some(crate::args::ConnectionsAction::Schedule { name, every, json }) => {
                connections::schedule(&mut open()?, &name, &every, json)
            }
            Some(crate::args::ConnectionsAction::Pause { name, all: _, json }) => {
                connections::pause(&mut open()?, name.as_deref(), true, json)
            }
            Some(crate::args::ConnectionsAction::Resume { name, all: _, json }) => {
                connections::pause(&mut open()?, name.as_deref(), false, json)
            }
            None => connections::list(&open()?, json),
        },
        Command::Disconnect { name, json } => connections::disconnect(&mut open()?, &name, json),
        Command::Sync {
            action,
            name,
            all,
            full,
            lookback,
            dry_run,
            queue,
            json,
        } => match action {
            Some(crate::args::SyncAction::Runs { name, json }) => sync::runs(&open()?, &name, json),
            Some(crate::args::SyncAction::Undo { id, json }) => sync::undo(&mut open()?, id, json),
            None if queue => sync::queue_all(&mut open()?, name.as_deref(), json),
            None => {
                let request = tributary_engine::SyncRequest {
                    full,
                    dry_run,
                    lookback_days: lookback,
                    ..Default::default()
                };
                sync::run(&mut open()?, name.as_deref(), all, &request, json)
            }
        },
        Command::Zone { zone, system, json } => {
            let choice = match (zone, system) {
                (Some(name), _) => Some(Some(Zone::named(&name)?)),
                (None, true) => Some(None),
                (None, false) => None,
            };
            zone::run(&mut open_uncounted()?, choice, json)
        }
    }
}

/// Counts the ledger's days in `zone`, saying so on stderr when that recounts events (it takes a few
/// seconds for a million).
fn count_days_in(workspace: &mut Workspace, zone: &Zone) -> Result<()> {
    let counted_in = workspace.zone()?;
    if counted_in != *zone && !workspace.is_read_only() && workspace.has_events()? {
        eprintln!(
            "tributary: counting days in {zone} from now on (they were counted in {counted_in})…"
        );
    }
    workspace.count_days_in(zone)?;
    Ok(())
}

/// Says on stderr that a write waits for another one to finish (it is never refused for it).
fn say_waiting(waiting: &Waiting) {
    match &waiting.ahead {
        Some(ahead) if ahead.starts_with("importing") => {
            eprintln!("tributary: waiting for another import to finish ({ahead})…")
        }
        Some(ahead) => {
            eprintln!("tributary: waiting for another write to the ledger to finish ({ahead})…")
        }
        None => {
            eprintln!("tributary: waiting for another program writing to the ledger to finish…")
        }
    }
}

/// Prints JSON on stdout.
fn print_json(value: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Money as text with the currency's decimals (`1234.50`), or raw minor units for an unknown code.
fn money(minor: i64, currency: &str) -> String {
    match tributary_engine::Currency::from_code(currency) {
        Ok(c) => tributary_engine::Money::from_minor(minor, c).amount_text(),
        Err(_) => minor.to_string(),
    }
}

/// One currency's figures in a line, named and signed as the report's table names them: "USD: sales
/// 120.00, refunds -20.00, fees -3.60, net 96.40, 3 units, 4 events".
fn figures_sentence(f: &tributary_engine::Figures) -> String {
    let mut parts: Vec<String> = tributary_engine::figures_shown([f])
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n.label.to_lowercase(),
                money(n.shown(f), &f.currency)
            )
        })
        .collect();
    parts.push(format!("{} units", f.units));
    if f.kenp_pages != 0 {
        parts.push(format!("{} KENP pages", f.kenp_pages));
    }
    parts.push(format!("{} events", f.events));
    format!("{}: {}", f.currency, parts.join(", "))
}

/// What to type about an error, where the engine's message leaves it to the surface (the window offers
/// its column-mapping editor instead).
pub(crate) fn remedy(error: &tributary_engine::EngineError) -> Option<&'static str> {
    (error.code() == "unknown_format")
        .then_some("import it with --map mapping.toml (docs/formats/mapping.md)")
}

fn display(path: &std::path::Path) -> String {
    PathBuf::from(path).display().to_string()
}
