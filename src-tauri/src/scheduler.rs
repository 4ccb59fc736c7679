//! The app hosts the scheduler while it runs (`engine/src/scheduler.rs`): a thread that keeps the
//! creator's connections synced on their schedules, in the creator's own data folder (never the
//! demo's). When another process already runs the syncs (a daemon), this one waits and watches. The
//! window learns of each page through the ledger watch; leaving (Quit, or closing to the tray process)
//! stops it between pages and lets its lease go, so that the tray process takes over at once.

use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};
use tributary_engine::{SchedulerHost, SchedulerThread};

use crate::state::AppState;

/// The running scheduler, kept in the app's state until exit.
pub struct Running(Mutex<SchedulerThread>);

pub fn spawn<R: Runtime>(app: &AppHandle<R>) -> std::io::Result<()> {
    let dir = app.state::<AppState>().data_dir().to_path_buf();
    let thread = SchedulerThread::spawn(&dir, SchedulerHost::App)?;
    app.manage(Running(Mutex::new(thread)));
    Ok(())
}

/// Stops the scheduler and waits up to `within` for it to let its lease go.
pub fn stop<R: Runtime>(app: &AppHandle<R>, within: Duration) {
    if let Some(running) = app.try_state::<Running>() {
        if let Ok(mut thread) = running.0.lock() {
            thread.stop(within);
        }
    }
}

/// "Sync now" from the tray: queues every connection that can sync and has the scheduler tick at
/// once (when another process runs the syncs, it picks them up on its next tick).
pub fn sync_all_soon<R: Runtime>(app: &AppHandle<R>) {
    let dir = app.state::<AppState>().data_dir().to_path_buf();
    let queued = tributary_engine::Workspace::open(&dir)
        .and_then(|mut w| w.sync_all_soon(tributary_model::UtcInstant::now()));
    match queued {
        Ok(names) => tracing::info!("sync now: {} queued", names.join(", ")),
        Err(e) => tracing::warn!("could not queue the syncs: {e}"),
    }
    if let Some(running) = app.try_state::<Running>() {
        if let Ok(thread) = running.0.lock() {
            thread.waker().wake();
        }
    }
}
