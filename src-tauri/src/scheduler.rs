//! The app hosts the scheduler while it runs (`engine/src/scheduler.rs`): a thread that keeps the
//! creator's connections synced on their schedules, in the creator's own data folder (never the
//! demo's). When another process already runs the syncs (a daemon), this one waits and watches. The
//! window learns of each page through the ledger watch; leaving (Quit, or closing to the tray process)
//! stops it between pages and lets its lease go, so that the tray process takes over at once.

use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager, Runtime};
use tributary_engine::{CancellationToken, Scheduler, SchedulerHost};

use crate::state::AppState;

/// The running scheduler, kept in the app's state until exit.
pub struct Running {
    stop: CancellationToken,
    thread: Mutex<Option<JoinHandle<()>>>,
}

pub fn spawn<R: Runtime>(app: &AppHandle<R>) -> std::io::Result<()> {
    let dir = app.state::<AppState>().data_dir().to_path_buf();
    let stop = CancellationToken::new();
    let token = stop.clone();
    let thread = std::thread::Builder::new()
        .name("scheduler".into())
        .spawn(move || {
            Scheduler::new(&dir, SchedulerHost::App).run(&token, &mut |event| event.log());
        })?;
    app.manage(Running {
        stop,
        thread: Mutex::new(Some(thread)),
    });
    Ok(())
}

/// Stops the scheduler between pages and waits up to `within` for it to let its lease go; a page still
/// being read past that is left to roll back (the next runner sees this process gone).
pub fn stop<R: Runtime>(app: &AppHandle<R>, within: Duration) {
    let Some(running) = app.try_state::<Running>() else {
        return;
    };
    running.stop.cancel();
    let Some(thread) = running.thread.lock().ok().and_then(|mut t| t.take()) else {
        return;
    };
    let start = Instant::now();
    while !thread.is_finished() && start.elapsed() < within {
        std::thread::sleep(Duration::from_millis(20));
    }
    if thread.is_finished() {
        let _ = thread.join();
    }
}
