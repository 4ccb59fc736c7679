//! What the window reads to draw itself: the app and workspace summary, the ledger's counts (Settings),
//! and the dashboard.

use crate::error::{off_the_ui_thread, CommandError};
use crate::state::{AppState, WorkspaceKind};
use serde::Serialize;
use std::collections::BTreeMap;
use tauri::{AppHandle, Manager, Runtime, State};
use tributary_engine::{Currency, Dashboard, DashboardQuery, Day, LedgerStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AppInfo {
    pub version: String,
    /// The creator's data folder (the CLI's too), whichever workspace is active.
    pub data_dir: String,
    pub workspace: WorkspaceKind,
    /// Whether the active ledger holds any event (the first-run screen when not). The count is
    /// `ledger_status`'s: counting is the one cost here that grows with the ledger.
    pub has_events: bool,
    pub schema_version: i64,
    /// Whether a tray icon is shown (closing the window can then keep the app running).
    pub tray: bool,
    /// When the last import that is still in the ledger finished (RFC 3339).
    pub last_import: Option<String>,
    /// ISO 4217 minor-unit digits of every currency, as the ledger counts minor units: the window
    /// formats with these, since browsers' Intl data differs for a few (HUF, IDR: 2 in ISO, 0 in Intl).
    pub currency_exponents: BTreeMap<String, u8>,
}

/// The summary of the active workspace. Blocking.
pub fn app_info_of(state: &AppState, version: String) -> Result<AppInfo, CommandError> {
    let workspace = state.open_workspace()?;
    Ok(AppInfo {
        version,
        data_dir: state.data_dir().display().to_string(),
        workspace: state.active(),
        has_events: workspace.has_events()?,
        schema_version: workspace.schema_version()?,
        tray: state.has_tray(),
        last_import: workspace.last_import()?,
        currency_exponents: Currency::all()
            .map(|c| (c.code().to_string(), c.exponent()))
            .collect(),
    })
}

#[tauri::command]
pub async fn app_info<R: Runtime>(app: AppHandle<R>) -> Result<AppInfo, CommandError> {
    let version = app.package_info().version.to_string();
    off_the_ui_thread(move || app_info_of(&app.state::<AppState>(), version)).await
}

/// What the active ledger holds: events, sources, batches, connections (Settings shows them).
#[tauri::command]
pub async fn ledger_status<R: Runtime>(app: AppHandle<R>) -> Result<LedgerStatus, CommandError> {
    off_the_ui_thread(move || Ok(app.state::<AppState>().open_workspace()?.status()?)).await
}

/// The dashboard. `today` is the window's own date (its local day): "this month" is the creator's month,
/// not UTC's, which is another one for hours around midnight; the ledger zone's date when the window
/// sends none.
#[tauri::command]
pub async fn dashboard<R: Runtime>(
    app: AppHandle<R>,
    query: DashboardQuery,
    today: Option<String>,
) -> Result<Dashboard, CommandError> {
    off_the_ui_thread(move || {
        let workspace = app.state::<AppState>().open_workspace()?;
        let today = match today {
            Some(day) => Day::parse(&day).map_err(|e| {
                CommandError::new(
                    tributary_engine::ErrorCode::QueryInvalid,
                    format!("the window's date: {e}"),
                )
            })?,
            None => workspace.today()?,
        };
        Ok(workspace.dashboard(&query, today)?)
    })
    .await
}

/// Files given to the app (on its command line, by a second launch) that the window has not opened
/// yet; taking them empties the queue.
#[tauri::command]
pub fn take_opened_files(state: State<'_, AppState>) -> Vec<String> {
    state.take_opened_files()
}

/// The window reports its first screen with content (`dashboard` with data, or the `empty` first-run
/// screen): logged once with the time since start, which is what the startup benchmark reads.
#[tauri::command]
pub fn window_shown(state: State<'_, AppState>, screen: String) {
    if let Some(elapsed) = state.first_shown() {
        tracing::info!(
            "window shown: {screen} ({} ms after start)",
            elapsed.as_millis()
        );
    }
}

/// What the ledger holds from each platform (events, days covered, last import of its files).
#[tauri::command]
pub async fn platforms_held<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Vec<tributary_engine::PlatformHeld>, CommandError> {
    off_the_ui_thread(move || Ok(app.state::<AppState>().open_workspace()?.platforms_held()?)).await
}
