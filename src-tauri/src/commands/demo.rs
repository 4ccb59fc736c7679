//! Entering and leaving the demo workspace, which is filled from the report files bundled with the app
//! (`assets/demo/`, a Tauri resource).

use crate::closing::Busy;
use crate::commands::ledger::{app_info_of, AppInfo};
use crate::error::{off_the_ui_thread, CommandError};
use crate::state::{AppState, WorkspaceKind};
use tauri::path::BaseDirectory;
use tauri::{AppHandle, Emitter, Manager, Runtime};

fn switched<R: Runtime>(app: &AppHandle<R>, kind: WorkspaceKind) -> Result<AppInfo, CommandError> {
    let state = app.state::<AppState>();
    state.set_active(kind);
    let info = app_info_of(&state, app.package_info().version.to_string())?;
    let _ = app.emit("workspace-changed", &info);
    Ok(info)
}

#[tauri::command]
pub async fn load_demo<R: Runtime>(app: AppHandle<R>) -> Result<AppInfo, CommandError> {
    off_the_ui_thread(move || {
        let _busy = Busy::start(&app);
        let files = app
            .path()
            .resolve("assets/demo", BaseDirectory::Resource)
            .map_err(|e| {
                CommandError::new(
                    tributary_engine::ErrorCode::Demo,
                    format!("the demo files cannot be found: {e}"),
                )
            })?;
        tributary_engine::load_demo(app.state::<AppState>().data_dir(), &files)?;
        switched(&app, WorkspaceKind::Demo)
    })
    .await
}

#[tauri::command]
pub async fn leave_demo<R: Runtime>(app: AppHandle<R>) -> Result<AppInfo, CommandError> {
    off_the_ui_thread(move || {
        // Switch first: nothing reads the demo while its folder goes.
        app.state::<AppState>().set_active(WorkspaceKind::Main);
        tributary_engine::leave_demo(app.state::<AppState>().data_dir())?;
        switched(&app, WorkspaceKind::Main)
    })
    .await
}
