//! `tributary connect PLATFORM --token-stdin | --oauth`, `tributary connections [rename NAME
//! NEW_NAME]`, `tributary disconnect NAME`

use crate::table::Table;
use anyhow::{bail, Context, Result};
use std::io::Read;
use std::process::ExitCode;
use tributary_engine::{platforms, ConnectRequest, OAuthSignIn, Sensitive, Workspace};

/// How the person gives the credential.
pub enum How {
    TokenStdin,
    OAuth {
        open_browser: bool,
    },
    /// Neither flag: told how.
    Unsaid,
}

/// How long a browser sign-in waits for the person.
const SIGN_IN_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

pub fn connect(
    workspace: &mut Workspace,
    request: &ConnectRequest,
    how: How,
    json: bool,
) -> Result<ExitCode> {
    let Some(info) = platforms().into_iter().find(|p| p.id == request.platform) else {
        let known: Vec<&str> = platforms().iter().map(|p| p.id).collect();
        bail!(
            "Tributary cannot connect to \"{}\" (it can connect to {})",
            request.platform,
            known.join(", ")
        );
    };
    let store = workspace.secret_store()?;
    if let How::OAuth { open_browser } = how {
        if let Some(warning) = store.warning() {
            eprintln!("tributary: {warning}");
        }
        let name = info.name;
        let sign_in = OAuthSignIn {
            open_browser,
            timeout: SIGN_IN_WAIT,
            cancel: tributary_engine::CancellationToken::new(),
            on_url: Box::new(move |url, opened| {
                if opened {
                    eprintln!(
                        "Sign in to {name} in the browser that opened; waiting (up to 5 minutes)."
                    );
                    eprintln!("If it did not open, open this address:\n  {url}");
                } else {
                    eprintln!("Open this address to sign in to {name} (waiting up to 5 minutes):\n  {url}");
                }
            }),
        };
        let connected = workspace.connect_with_oauth(request, sign_in)?;
        return said_connected(&connected, info.name, &store.describe(), json);
    }
    if !matches!(how, How::TokenStdin) {
        bail!(
            "give {}'s token on standard input with --token-stdin (never as an argument, which \
             the shell's history would keep). {}",
            info.name,
            info.token_help
        );
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("could not read the token from standard input")?;
    let token = text.trim().to_string();
    if token.is_empty() {
        bail!("standard input held no token. {}", info.token_help);
    }
    if let Some(warning) = store.warning() {
        eprintln!("tributary: {warning}");
    }
    let connected = workspace.connect_with_token(request, Sensitive::new(token))?;
    said_connected(&connected, info.name, &store.describe(), json)
}

fn said_connected(
    connected: &tributary_engine::Connected,
    platform: &str,
    store: &str,
    json: bool,
) -> Result<ExitCode> {
    if json {
        super::print_json(&serde_json::json!({
            "connection": connected.connection,
            "reconnected": connected.reconnected,
        }))?;
    } else {
        let c = &connected.connection;
        let verb = match connected.reconnected {
            true => "reconnected",
            false => "connected",
        };
        println!(
            "{verb} {platform} as \"{}\" ({}), booked under account {}; the credential is in {store}",
            c.name,
            c.remote_name,
            c.account,
        );
        println!("sync it with: tributary sync {}", c.name);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn list(workspace: &Workspace, json: bool) -> Result<ExitCode> {
    let connections = workspace.connections()?;
    if json {
        super::print_json(&serde_json::json!({
            "connections": connections,
            "schedules": workspace.schedules()?,
            "syncing_paused": workspace.syncing_paused()?,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if connections.is_empty() {
        println!("No connections yet. Connect one with: tributary connect gumroad --token-stdin");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&[
        ("name", false),
        ("platform", false),
        ("signed in as", false),
        ("account", false),
        ("state", false),
        ("look-back", true),
        ("rows synced", true),
        ("every", false),
        ("next sync", false),
        ("last success", false),
        ("last run", false),
    ]);
    let schedules = workspace.schedules()?;
    for c in &connections {
        let schedule = schedules.iter().find(|s| s.connection_id == c.id);
        let every = schedule.map_or("—".to_string(), |s| match s.every_secs {
            secs if secs % 86_400 == 0 => format!("{}d", secs / 86_400),
            secs if secs % 3600 == 0 => format!("{}h", secs / 3600),
            secs => format!("{}m", secs / 60),
        });
        let next = match schedule {
            Some(s) if s.paused_by.is_some() => {
                format!("paused (by {})", s.paused_by.as_deref().unwrap_or("person"))
            }
            Some(s) => s.next_at.clone().unwrap_or_else(|| "—".into()),
            None => "—".into(),
        };
        let last = workspace.sync_runs(&c.name, 1)?;
        let last_run = last.first().map_or("never synced".to_string(), |r| {
            match (&r.status[..], r.error_class) {
                ("failed", Some(class)) => format!("failed ({})", class.as_str().replace('_', " ")),
                (status, _) => format!("{status}, {} new", r.inserted),
            }
        });
        let state = c.state.replace('_', " ");
        table.row(vec![
            c.name.clone(),
            c.platform.clone(),
            c.remote_name.clone(),
            c.account.clone(),
            state,
            format!("{} days", c.lookback_days),
            c.rows_synced.to_string(),
            every,
            next,
            c.last_success_at.clone().unwrap_or_else(|| "—".into()),
            last_run,
        ]);
    }
    print!("{}", table.render());
    for c in &connections {
        if let Some(reason) = &c.state_reason {
            println!("{}: {reason}", c.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn rename(
    workspace: &mut Workspace,
    name: &str,
    new_name: &str,
    json: bool,
) -> Result<ExitCode> {
    let record = workspace.rename_connection(name, new_name)?;
    if json {
        super::print_json(&serde_json::json!({ "connection": record }))?;
    } else {
        println!(
            "\"{name}\" is now \"{}\"; sync it with: tributary sync {}",
            record.name, record.name
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn disconnect(workspace: &mut Workspace, name: &str, json: bool) -> Result<ExitCode> {
    let record = workspace.disconnect(name)?;
    if json {
        super::print_json(&serde_json::json!({ "connection": record }))?;
    } else {
        println!(
            "disconnected \"{}\": its token is deleted; its events and sync history stay (connect \
             again to go on syncing)",
            record.name
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `tributary connections schedule NAME --every 1h`.
pub fn schedule(
    workspace: &mut Workspace,
    name: &str,
    every: &str,
    json: bool,
) -> Result<ExitCode> {
    let secs = tributary_engine::parse_interval(every).map_err(anyhow::Error::msg)?;
    let s = workspace.set_sync_every(name, secs)?;
    if json {
        super::print_json(&serde_json::json!({ "schedule": s }))?;
    } else {
        println!("{} syncs every {} on its own", s.name, every.trim());
    }
    Ok(ExitCode::SUCCESS)
}

/// `tributary connections pause|resume NAME` (or `--all`: syncing as a whole).
pub fn pause(
    workspace: &mut Workspace,
    name: Option<&str>,
    paused: bool,
    json: bool,
) -> Result<ExitCode> {
    let verb = if paused { "paused" } else { "resumed" };
    match name {
        Some(name) => {
            let s = workspace.set_connection_paused(name, paused)?;
            if json {
                super::print_json(&serde_json::json!({ "schedule": s }))?;
            } else {
                println!("{}: syncing on its own {verb}", s.name);
            }
        }
        None => {
            workspace.set_syncing_paused(paused)?;
            if json {
                super::print_json(&serde_json::json!({ "syncing_paused": paused }))?;
            } else {
                println!("Scheduled syncs {verb} for every connection (the trays' Pause syncing).");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
