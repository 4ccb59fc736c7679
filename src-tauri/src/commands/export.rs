//! Saving from the window: the whole ledger as Tributary's CSV, and a table on screen (the chart's
//! figures) as CSV, each to a file the creator chose in the save dialog.

use crate::error::{off_the_ui_thread, CommandError};
use crate::state::AppState;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};

/// Writes every event as ledger CSV to `path`; returns how many.
#[tauri::command]
pub async fn export_ledger<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> Result<u64, CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .export_csv_file(&PathBuf::from(path))?)
    })
    .await
}

/// Writes `rows` (the header first) as CSV to `path`; returns the data rows written.
#[tauri::command]
pub async fn export_table(path: String, rows: Vec<Vec<String>>) -> Result<u64, CommandError> {
    off_the_ui_thread(move || {
        Ok(tributary_engine::export_table_csv(
            &PathBuf::from(path),
            &rows,
        )?)
    })
    .await
}
