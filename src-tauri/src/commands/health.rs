//! The Health page's commands: every connection's health with the line the sidebar and the tray show,
//! "Check now" (a credential check, not a sync), pausing and resuming one connection, and how often
//! it syncs. "Retry now" is `sync_connection`.

use crate::error::{off_the_ui_thread, CommandError};
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use tributary_engine::{CredentialCheck, HealthView, Schedule};
use tributary_model::UtcInstant;

#[tauri::command]
pub async fn health<R: Runtime>(app: AppHandle<R>) -> Result<HealthView, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .health_view(UtcInstant::now())?)
    })
    .await
}

/// Asks the platform whether connection `name`'s saved credential still works. A refusal is an
/// answer (`accepted: false`), not an error.
#[tauri::command]
pub async fn check_connection<R: Runtime>(
    app: AppHandle<R>,
    name: String,
) -> Result<CredentialCheck, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .check_connection(&name)?)
    })
    .await
}

/// Pauses (`true`) or resumes connection `name`'s scheduled syncs; resuming one Tributary paused
/// after its failures also clears that pause.
#[tauri::command]
pub async fn set_connection_paused<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    paused: bool,
) -> Result<Schedule, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .set_connection_paused(&name, paused)?)
    })
    .await
}

/// Pauses (`true`) or resumes every connection's scheduled syncs at once — the trays' "Pause syncing",
/// in the ledger the tray process and the daemon read; returns the pause as saved.
#[tauri::command]
pub async fn set_syncing_paused<R: Runtime>(
    app: AppHandle<R>,
    paused: bool,
) -> Result<bool, CommandError> {
    off_the_ui_thread(move || {
        let mut workspace = app.state::<AppState>().open_workspace()?;
        workspace.set_syncing_paused(paused)?;
        Ok(workspace.syncing_paused()?)
    })
    .await
}

/// How often connection `name` syncs on its own, in seconds (15 minutes to a day).
#[tauri::command]
pub async fn set_sync_every<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    every_secs: u32,
) -> Result<Schedule, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .set_sync_every(&name, every_secs)?)
    })
    .await
}
