//! The app's preferences. Start-at-login is the system's autostart entry (the setting only mirrors
//! it); the theme is the window's to apply; close-to-tray and notifications are read where they act.

use crate::error::{off_the_ui_thread, CommandError};
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_opener::OpenerExt as _;
use tributary_engine::{Settings, TimeZoneInfo};

/// The saved settings; a damaged settings file gives the defaults (and a logged warning) rather than
/// a window that cannot open.
pub fn current(state: &AppState) -> Settings {
    Settings::load(state.data_dir()).unwrap_or_else(|e| {
        tracing::warn!("{e}; using the default settings");
        Settings::default()
    })
}

#[tauri::command]
pub async fn get_settings<R: Runtime>(app: AppHandle<R>) -> Result<Settings, CommandError> {
    off_the_ui_thread(move || {
        let mut settings = current(&app.state::<AppState>());
        if let Ok(enabled) = app.autolaunch().is_enabled() {
            settings.start_at_login = enabled;
        }
        Ok(settings)
    })
    .await
}

/// Saves what the window shows (theme, tray, notifications, start at login). "Pause syncing" is the
/// ledger's (`Workspace::set_syncing_paused`), shared with the tray process and the daemon.
#[tauri::command]
pub async fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    settings: Settings,
) -> Result<Settings, CommandError> {
    off_the_ui_thread(move || {
        let state = app.state::<AppState>();
        let autostart = app.autolaunch();
        if autostart.is_enabled().ok() != Some(settings.start_at_login) {
            let changed = match settings.start_at_login {
                true => autostart.enable(),
                false => autostart.disable(),
            };
            changed.map_err(|e| {
                CommandError::new(
                    tributary_engine::ErrorCode::Autostart,
                    format!("could not change starting at login: {e}"),
                )
            })?;
        }
        settings.save(state.data_dir())?;
        Ok(settings)
    })
    .await
}

#[tauri::command]
pub async fn open_data_folder<R: Runtime>(app: AppHandle<R>) -> Result<(), CommandError> {
    let dir = app.state::<AppState>().data_dir().display().to_string();
    app.opener().open_path(&dir, None::<&str>).map_err(|e| {
        CommandError::new(
            tributary_engine::ErrorCode::OpenFolder,
            format!("could not open {dir}: {e}"),
        )
    })
}

/// The time zone the ledger counts its days in, the system's, and every zone that can be chosen.
#[tauri::command]
pub async fn time_zone<R: Runtime>(app: AppHandle<R>) -> Result<TimeZoneInfo, CommandError> {
    off_the_ui_thread(move || Ok(app.state::<AppState>().open_workspace()?.time_zone_info()?)).await
}

/// Chooses the zone days are counted in (`None`: the system's); the ledger's days are counted again in
/// it (the ledger watcher then tells every view the ledger changed).
#[tauri::command]
pub async fn set_time_zone<R: Runtime>(
    app: AppHandle<R>,
    zone: Option<String>,
) -> Result<TimeZoneInfo, CommandError> {
    off_the_ui_thread(move || {
        let mut workspace = app.state::<AppState>().open_workspace()?;
        Ok(workspace.choose_time_zone(zone.as_deref())?)
    })
    .await
}
