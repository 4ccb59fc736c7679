//! File imports from the window: the preview (a dry run that writes nothing), the import itself with
//! progress over a channel, the batch list and undo.

use crate::closing::Busy;
use crate::error::{off_the_ui_thread, CommandError};
use crate::notify::{notify, Notice};
use crate::state::AppState;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use tributary_engine::{
    BatchRecord, Figures, FileImport, FormatInfo, ImportOptions, ImportProgress, ProgressSink,
    UndoReport, Workspace,
};

fn options(
    workspace: &Workspace,
    format: Option<&str>,
    dry_run: bool,
) -> Result<ImportOptions, CommandError> {
    Ok(ImportOptions {
        format: format
            .map(|name| workspace.format_named(name))
            .transpose()?,
        dry_run,
        ..ImportOptions::default()
    })
}

/// What importing `path` would do. Writes nothing.
#[tauri::command]
pub async fn preview_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    format: Option<String>,
) -> Result<FileImport, CommandError> {
    off_the_ui_thread(move || {
        let mut workspace = app.state::<AppState>().open_workspace()?;
        let options = options(&workspace, format.as_deref(), true)?;
        Ok(workspace.import_file(&PathBuf::from(path), &options)?)
    })
    .await
}

/// Imports `path` as one batch, all or nothing, reporting progress after each chunk of rows.
#[tauri::command]
pub async fn commit_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    format: Option<String>,
    on_progress: Channel<ImportProgress>,
) -> Result<FileImport, CommandError> {
    off_the_ui_thread(move || {
        // Dropped last, after the notification: a close during the import waits for both.
        let _busy = Busy::start(&app);
        let file = PathBuf::from(&path);
        let result = import(&app, &file, format.as_deref(), on_progress);
        let name = file
            .file_name()
            .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        match &result {
            Ok(done) => notify(
                &app,
                Notice::Imported {
                    file: &name,
                    import: done,
                },
            ),
            Err(error) => notify(&app, Notice::ImportFailed { file: &name, error }),
        }
        result
    })
    .await
}

fn import<R: Runtime>(
    app: &AppHandle<R>,
    file: &Path,
    format: Option<&str>,
    on_progress: Channel<ImportProgress>,
) -> Result<FileImport, CommandError> {
    let mut workspace = app.state::<AppState>().open_workspace()?;
    let mut options = options(&workspace, format, false)?;
    options.progress = Some(ProgressSink(Arc::new(move |progress| {
        // A window closed while importing stops listening; the import goes on (closing.rs waits).
        let _ = on_progress.send(progress);
    })));
    Ok(workspace.import_file(file, &options)?)
}

/// Every batch, newest first (the ledger's order).
#[tauri::command]
pub async fn list_batches<R: Runtime>(app: AppHandle<R>) -> Result<Vec<BatchRecord>, CommandError> {
    off_the_ui_thread(move || Ok(app.state::<AppState>().open_workspace()?.batches()?)).await
}

/// What undoing a batch would take out of the figures (and put back), per currency; nothing is undone.
#[tauri::command]
pub async fn undo_preview<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<Vec<Figures>, CommandError> {
    off_the_ui_thread(move || Ok(app.state::<AppState>().open_workspace()?.undo_preview(id)?)).await
}

#[tauri::command]
pub async fn undo_batch<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<UndoReport, CommandError> {
    off_the_ui_thread(move || {
        let _busy = Busy::start(&app);
        Ok(app.state::<AppState>().open_workspace()?.undo_batch(id)?)
    })
    .await
}

/// The built-in formats and the saved mappings.
#[tauri::command]
pub async fn list_formats<R: Runtime>(app: AppHandle<R>) -> Result<Vec<FormatInfo>, CommandError> {
    off_the_ui_thread(move || {
        let workspace = app.state::<AppState>().open_workspace()?;
        let mut formats = tributary_engine::formats();
        formats.extend(workspace.saved_formats()?);
        Ok(formats)
    })
    .await
}
