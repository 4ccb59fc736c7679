//! Desktop notifications, when the settings allow them: the ends of imports, and the connections'
//! alerts (`engine/src/alerts.rs`: failing, needs reconnecting, paused itself, syncs again). Without a
//! desktop the notification goes out on D-Bus and nobody answers; that is not an error.

use crate::commands::settings::current;
use crate::error::CommandError;
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt as _;
use tributary_engine::{Alert, FileImport};

pub enum Notice<'a> {
    Imported {
        file: &'a str,
        import: &'a FileImport,
    },
    ImportFailed {
        file: &'a str,
        error: &'a CommandError,
    },
    Alert(&'a Alert),
}

impl Notice<'_> {
    fn text(&self) -> (String, String) {
        match self {
            Notice::Imported { file, import } => (
                format!("Imported {file}"),
                format!(
                    "{} new, {} updated, {} duplicates, {} rejected",
                    import.inserted, import.updated, import.duplicates, import.rejected
                ),
            ),
            Notice::ImportFailed { file, error } => {
                (format!("Could not import {file}"), error.message.clone())
            }
            Notice::Alert(alert) => (alert.title.clone(), alert.body.clone()),
        }
    }
}

pub fn notify<R: Runtime>(app: &AppHandle<R>, notice: Notice<'_>) {
    if !current(&app.state::<AppState>()).notifications {
        return;
    }
    let (title, body) = notice.text();
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!("could not show a notification: {e}");
    }
}
