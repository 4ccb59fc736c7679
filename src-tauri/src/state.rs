//! What the shell keeps between commands: the data folder, which workspace is active (the creator's own
//! or the demo), files handed to the app that the window has not opened yet, and the tray's presence.
//! Every command opens the active workspace afresh: opening costs a millisecond, and SQLite's WAL lets
//! a long import write while the dashboard reads.

use crate::closing::Pending;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tributary_engine::{demo_active, demo_dir, EngineError, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum WorkspaceKind {
    /// The creator's own ledger.
    Main,
    /// The demo ledger, filled from the files shipped with the app.
    Demo,
}

pub struct AppState {
    /// Ledger work in progress, and what a close that came meanwhile asked for (closing.rs).
    pub pending: Pending,
    data_dir: PathBuf,
    active: Mutex<WorkspaceKind>,
    opened_files: Mutex<Vec<String>>,
    tray: AtomicBool,
    /// The tray icon's lock while this process shows the icon (see tray_lock in the engine).
    #[cfg(unix)]
    tray_lock: Mutex<Option<tributary_engine::TrayLock>>,
    started: Instant,
    shown: AtomicBool,
    /// The browser sign-in waiting for the person, for the window's Cancel.
    sign_in: Mutex<Option<tributary_engine::CancellationToken>>,
}

/// A poisoned lock only means another command panicked mid-way; the values behind these locks are
/// always whole, so carry on with them.
fn lock_of<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    /// A new browser sign-in; one still waiting is cancelled (a window starts one at a time).
    pub fn begin_sign_in(&self) -> tributary_engine::CancellationToken {
        let token = tributary_engine::CancellationToken::new();
        if let Some(earlier) = lock_of(&self.sign_in).replace(token.clone()) {
            earlier.cancel();
        }
        token
    }

    /// Cancels the browser sign-in waiting, if any.
    pub fn cancel_sign_in(&self) {
        if let Some(waiting) = lock_of(&self.sign_in).take() {
            waiting.cancel();
        }
    }

    /// Starts in the demo if it was loaded and not left, else in the creator's own workspace.
    pub fn new(data_dir: PathBuf) -> AppState {
        let active = match demo_active(&data_dir) {
            true => WorkspaceKind::Demo,
            false => WorkspaceKind::Main,
        };
        AppState {
            pending: Pending::default(),
            data_dir,
            active: Mutex::new(active),
            opened_files: Mutex::new(Vec::new()),
            tray: AtomicBool::new(false),
            #[cfg(unix)]
            tray_lock: Mutex::new(None),
            started: Instant::now(),
            shown: AtomicBool::new(false),
            sign_in: Mutex::new(None),
        }
    }

    /// The creator's data folder (settings and the demo live in it too).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn active(&self) -> WorkspaceKind {
        *lock_of(&self.active)
    }

    pub fn set_active(&self, kind: WorkspaceKind) {
        *lock_of(&self.active) = kind;
    }

    /// The folder of the active workspace.
    pub fn active_dir(&self) -> PathBuf {
        match self.active() {
            WorkspaceKind::Main => self.data_dir.clone(),
            WorkspaceKind::Demo => demo_dir(&self.data_dir),
        }
    }

    /// The active workspace; saved column mappings are always the creator's own. Its days are counted
    /// in the zone chosen for it, else the system's, as the window's are (recounted, once, when it was
    /// counted in another).
    pub fn open_workspace(&self) -> Result<Workspace, EngineError> {
        let mut workspace = Workspace::open(&self.active_dir())?.with_mappings_of(&self.data_dir);
        workspace.count_days_in_its_zone()?;
        Ok(workspace)
    }

    /// Queues files (from the command line, a second launch) for the window to preview.
    pub fn push_opened_files(&self, paths: impl IntoIterator<Item = String>) {
        lock_of(&self.opened_files).extend(paths);
    }

    pub fn take_opened_files(&self) -> Vec<String> {
        std::mem::take(&mut *lock_of(&self.opened_files))
    }

    pub fn has_tray(&self) -> bool {
        self.tray.load(Ordering::Relaxed)
    }

    pub fn set_tray(&self, present: bool) {
        self.tray.store(present, Ordering::Relaxed);
    }

    #[cfg(unix)]
    pub fn hold_tray_lock(&self, lock: Option<tributary_engine::TrayLock>) {
        *lock_of(&self.tray_lock) = lock;
    }

    /// Lets go of the icon's lock, for the tray process about to start.
    #[cfg(unix)]
    pub fn release_tray_lock(&self) {
        lock_of(&self.tray_lock).take();
    }

    /// The time since the app started, the first time the window reports a screen shown; `None` after.
    pub fn first_shown(&self) -> Option<Duration> {
        (!self.shown.swap(true, Ordering::Relaxed)).then(|| self.started.elapsed())
    }
}
