//! Tells the window when the ledger changed, whoever changed it: the window's own import, the CLI in a
//! terminal, a sync. A thread polls the active ledger's change probe and, once a burst of writes has
//! gone quiet for one poll, emits one `ledger-changed` event, refreshes the tray's status and tells
//! the connections' alerts (a connection started failing, recovered, …) as desktop notifications.
//! The tray and the alerts are looked at each minute as well: "stale" and "rate-limited until"
//! change with the clock.

use crate::notify::{notify, Notice};
use crate::state::AppState;
use crate::tray::Tray;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager};
use tributary_engine::{tray_status_of, ChangeProbe, Workspace, DESKTOP_ALERTS, LEDGER_FILE_NAME};
use tributary_model::UtcInstant;

/// Between polls. A poll reads one pragma: idle cost is nil, and a change shows within a second.
const POLL: Duration = Duration::from_millis(400);
/// The tray's status is read again this often with no change in the ledger.
const TRAY_EVERY: Duration = Duration::from_secs(60);

pub fn spawn(app: AppHandle) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("ledger-watch".into())
        .spawn(move || watch(&app))
        .map(|_| ())
}

fn watch(app: &AppHandle) {
    let mut probe: Option<(PathBuf, ChangeProbe)> = None;
    let mut last: Option<i64> = None;
    let mut unannounced = false;
    let mut tray_filled: Option<Instant> = None;
    let mut alerts: Option<Workspace> = None;
    loop {
        std::thread::sleep(POLL);
        let path = app.state::<AppState>().active_dir().join(LEDGER_FILE_NAME);
        if probe.as_ref().is_none_or(|(watched, _)| *watched != path) {
            // A new workspace (the demo entered or left), or a ledger that did not exist yet.
            probe = ChangeProbe::open(&path).ok().map(|p| (path, p));
            last = None;
        }
        let Some(version) = probe.as_ref().and_then(|(_, p)| p.version().ok()) else {
            // Unreadable (the file replaced, say): open it afresh next time.
            probe = None;
            continue;
        };
        if tray_filled.is_none_or(|at| at.elapsed() >= TRAY_EVERY) {
            if let Some((_, p)) = &probe {
                refresh_tray(app, p);
                tray_filled = Some(Instant::now());
            }
            tell_alerts(app, &mut alerts);
        }
        match last {
            // Quiet for a poll after a change: the burst is over.
            Some(seen) if seen == version && unannounced => {
                unannounced = false;
                let _ = app.emit("ledger-changed", ());
                if let Some((_, p)) = &probe {
                    refresh_tray(app, p);
                }
                tell_alerts(app, &mut alerts);
            }
            Some(seen) if seen != version => unannounced = true,
            _ => {}
        }
        last = Some(version);
    }
}

/// The tray's status, read on the probe's read-only connection, and its pause.
fn refresh_tray(app: &AppHandle, probe: &ChangeProbe) {
    let Some(tray) = app.try_state::<Tray>() else {
        return;
    };
    tray.show(app, &tray_status_of(probe, UtcInstant::now()));
    crate::tray::show_pause(app);
}

/// Notifies what the alerts owe, on a workspace of the person's own data folder (not the demo's: its
/// connections are nobody's). With the window open the new sales are seen coming in, so they are
/// marked seen rather than told. The marks move even with notifications off: turning them on later
/// does not replay old news.
fn tell_alerts(app: &AppHandle, alerts: &mut Option<Workspace>) {
    if alerts.is_none() {
        *alerts = Workspace::open(app.state::<AppState>().data_dir()).ok();
    }
    let Some(workspace) = alerts else {
        return;
    };
    match workspace.take_alerts(DESKTOP_ALERTS, UtcInstant::now(), false) {
        Ok(owed) => {
            for alert in &owed {
                notify(app, Notice::Alert(alert));
            }
        }
        Err(e) => {
            tracing::warn!("could not read the alerts: {e}");
            *alerts = None;
        }
    }
}
