//! The demo workspace: a second data folder, inside the real one, filled from the demo report files
//! that ship with the app, so that a newcomer sees a full dashboard in one click and can leave it again
//! without a single demo row ever touching their own ledger.

use crate::error::EngineError;
use crate::import::ImportOptions;
use crate::workspace::{Workspace, LEDGER_FILE_NAME};
use std::path::{Path, PathBuf};

/// The demo folder's name inside the data folder.
pub const DEMO_DIR_NAME: &str = "demo-workspace";
/// Written into the demo folder first: only a folder holding it is ever deleted as a demo.
const MARKER: &str = ".tributary-demo";

pub fn demo_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(DEMO_DIR_NAME)
}

/// Whether the demo workspace exists (it was loaded and not left).
pub fn demo_active(data_dir: &Path) -> bool {
    let dir = demo_dir(data_dir);
    dir.join(MARKER).is_file() && dir.join(LEDGER_FILE_NAME).is_file()
}

/// Deletes the demo workspace, if there is one.
pub fn leave_demo(data_dir: &Path) -> Result<(), EngineError> {
    let dir = demo_dir(data_dir);
    if !dir.join(MARKER).is_file() {
        return Ok(());
    }
    std::fs::remove_dir_all(&dir).map_err(|e| EngineError::DataDir {
        path: dir,
        reason: format!("could not remove the demo workspace: {e}"),
    })
}

/// Creates the demo workspace afresh from every file in `files` (sorted by name, so that a KDP month's
/// final report follows its estimates), each imported as its own batch.
pub fn load_demo(data_dir: &Path, files: &Path) -> Result<Workspace, EngineError> {
    let unreadable = |e: std::io::Error| EngineError::DataDir {
        path: files.to_path_buf(),
        reason: format!("the demo files cannot be read: {e}"),
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(files)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|x| x == "csv" || x == "xlsx" || x == "xls")
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(EngineError::DataDir {
            path: files.to_path_buf(),
            reason: "there are no demo files in it".to_string(),
        });
    }
    leave_demo(data_dir)?;
    let dir = demo_dir(data_dir);
    // A folder of that name that Tributary did not make (no marker: leave_demo kept it) is never
    // filled, so that leaving the demo can never delete it.
    let created = std::fs::create_dir_all(data_dir)
        .and_then(|()| std::fs::create_dir(&dir))
        .and_then(|()| std::fs::write(dir.join(MARKER), ""));
    created.map_err(|e| EngineError::DataDir {
        path: dir.clone(),
        reason: match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                "a folder of this name that Tributary did not make is in the way; move it to load the demo"
                    .to_string()
            }
            _ => e.to_string(),
        },
    })?;
    let filled = Workspace::open(&dir).and_then(|mut workspace| {
        // Counted in the zone the window will read it in from the start (a new ledger: the system's).
        workspace.count_days_in_its_zone()?;
        for path in &paths {
            workspace.import_file(path, &ImportOptions::default())?;
        }
        Ok(workspace)
    });
    if filled.is_err() {
        // A half-filled demo would mislead; the error says why it is not there.
        let _ = leave_demo(data_dir);
    }
    filled
}
