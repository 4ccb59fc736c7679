//! Column mappings built in the window for a CSV Tributary has no format for: a sample of the file to
//! pick columns from, a live preview of the file read through the draft, and saving it.

use crate::error::{off_the_ui_thread, CommandError};
use crate::state::AppState;
use std::fs::File;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};
use tributary_engine::{
    csv_sample as sample_of, CsvSample, FileImport, FormatInfo, ImportOptions, MappingDraft,
    MappingList, Workspace,
};

/// Data rows shown under the header while picking columns.
const SAMPLE_ROWS: usize = 8;

#[tauri::command]
pub async fn csv_sample(path: String) -> Result<CsvSample, CommandError> {
    off_the_ui_thread(move || {
        let unreadable = |reason: String| {
            CommandError::new(
                tributary_engine::ErrorCode::FileUnreadable,
                format!("{path}: {reason}"),
            )
        };
        let file = File::open(&path).map_err(|e| unreadable(e.to_string()))?;
        sample_of(file, SAMPLE_ROWS).map_err(|e| unreadable(e.to_string()))
    })
    .await
}

/// What importing `path` through the draft would do. Writes nothing.
#[tauri::command]
pub async fn preview_mapping<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    draft: MappingDraft,
) -> Result<FileImport, CommandError> {
    off_the_ui_thread(move || {
        let options = ImportOptions {
            format: Some(Workspace::draft_format(&draft)?),
            dry_run: true,
            ..ImportOptions::default()
        };
        let mut workspace = app.state::<AppState>().open_workspace()?;
        Ok(workspace.import_file(&PathBuf::from(path), &options)?)
    })
    .await
}

#[tauri::command]
pub async fn save_mapping<R: Runtime>(
    app: AppHandle<R>,
    draft: MappingDraft,
) -> Result<FormatInfo, CommandError> {
    off_the_ui_thread(move || {
        let workspace = app.state::<AppState>().open_workspace()?;
        Ok(FormatInfo::from(workspace.save_mapping_draft(&draft)?))
    })
    .await
}

/// The saved mappings, and the files beside them that are not usable mappings (Settings › Mappings).
#[tauri::command]
pub async fn list_mappings<R: Runtime>(app: AppHandle<R>) -> Result<MappingList, CommandError> {
    off_the_ui_thread(move || Ok(app.state::<AppState>().open_workspace()?.mapping_list()?)).await
}

/// Shows a saved mapping by another title; its name, which imports refer to, stays.
#[tauri::command]
pub async fn retitle_mapping<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    title: String,
) -> Result<FormatInfo, CommandError> {
    off_the_ui_thread(move || {
        let workspace = app.state::<AppState>().open_workspace()?;
        Ok(FormatInfo::from(workspace.retitle_mapping(&name, &title)?))
    })
    .await
}

/// Forgets a saved mapping (imports made with it stay).
#[tauri::command]
pub async fn remove_mapping<R: Runtime>(
    app: AppHandle<R>,
    name: String,
) -> Result<(), CommandError> {
    off_the_ui_thread(move || {
        Ok(app
            .state::<AppState>()
            .open_workspace()?
            .remove_mapping(&name)?)
    })
    .await
}
