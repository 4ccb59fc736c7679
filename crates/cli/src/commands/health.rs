//! `tributary health [--json]`: each connection's state (healthy, syncing, rate-limited, stale,
//! failing, needs reconnect, paused, disconnected), its figures over the last day and week, when it
//! syncs next, and what is wrong with the fix in a sentence; first the line about all of them that
//! the tray shows ("Gumroad needs reconnecting").

use crate::table::Table;
use anyhow::Result;
use std::process::ExitCode;
use tributary_engine::{HealthState, UtcInstant, Workspace};

pub fn show(workspace: &Workspace, json: bool) -> Result<ExitCode> {
    let now = UtcInstant::now();
    let view = workspace.health_view(now)?;
    let (health, summary) = (&view.connections, &view.summary);
    let runner = workspace.runner(now)?;
    if json {
        super::print_json(&serde_json::json!({
            "connections": health,
            "summary": summary,
            "runner": runner,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if health.is_empty() {
        println!("No connections. Connect one with: tributary connect gumroad --token-stdin");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(summary) = summary {
        // The tray's status line, first: what the connections need, if anything.
        println!("{}", summary.line);
    }
    let percent = |r: Option<f64>| r.map_or("—".into(), |r| format!("{:.0}%", r * 100.0));
    let seconds =
        |ms: Option<u64>| ms.map_or("—".into(), |ms| format!("{:.1} s", ms as f64 / 1000.0));
    let minute = |t: &Option<String>| {
        t.as_deref()
            .map_or("—".into(), |t| t.get(..16).unwrap_or(t).replace('T', " "))
    };
    let mut table = Table::new(&[
        ("connection", false),
        ("state", false),
        ("last success", false),
        ("24 h", true),
        ("7 d", true),
        ("p50", true),
        ("p95", true),
        ("requests/run", true),
        ("next sync", false),
    ]);
    for h in health {
        let state = match (h.state, h.paused_by.as_deref()) {
            (HealthState::Paused, Some("tributary")) => "paused by Tributary".to_string(),
            (HealthState::Paused, _) => "paused".to_string(),
            (state, _) => serde_json::to_value(state)?
                .as_str()
                .unwrap_or("?")
                .replace('_', " "),
        };
        table.row(vec![
            h.connection.clone(),
            if h.warning {
                format!("{state} (!)")
            } else {
                state
            },
            minute(&h.last_success_at),
            percent(h.success_rate_24h),
            percent(h.success_rate_7d),
            seconds(h.p50_duration_ms),
            seconds(h.p95_duration_ms),
            h.requests_per_run.map_or("—".into(), |r| format!("{r:.1}")),
            minute(&h.next_at),
        ]);
    }
    print!("{}", table.render());
    for h in health {
        if let Some(sentence) = &h.sentence {
            println!("{sentence}");
        }
        if let Some(expires) = &h.credential_expires_at {
            println!(
                "{}: its credential expires {}",
                h.connection,
                minute(&Some(expires.clone()))
            );
        }
    }
    match runner {
        Some(r) => println!(
            "Scheduled syncs run in the tributary {} ({}).",
            r.host, r.owner
        ),
        None => println!(
            "Nothing is running the scheduled syncs: open Tributary, or start tributary daemon."
        ),
    }
    Ok(ExitCode::SUCCESS)
}
