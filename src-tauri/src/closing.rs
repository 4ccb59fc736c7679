//! What closing the last window does. With a tray and close-to-tray on, the tray goes to the tray
//! process and this process exits; otherwise the app quits. Either way, never in the middle of work
//! that writes the ledger (an import, an undo, filling the demo): an exit would roll it back unseen.
//! Such work holds a `Busy` guard; a close that comes during it waits for the last guard to drop.

use crate::commands::settings::current;
use crate::state::AppState;
use crate::tray_process;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use tauri::{AppHandle, Manager, Runtime};

/// Work in progress, and what to do when it ends: nothing, quit, or leave for the tray.
#[derive(Default)]
pub struct Pending {
    busy: AtomicUsize,
    then: AtomicU8,
}

const STAY: u8 = 0;
const QUIT: u8 = 1;
const TO_TRAY: u8 = 2;

/// Held by a command while it writes the ledger.
pub struct Busy<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> Busy<R> {
    pub fn start(app: &AppHandle<R>) -> Busy<R> {
        app.state::<AppState>()
            .pending
            .busy
            .fetch_add(1, Ordering::SeqCst);
        Busy { app: app.clone() }
    }
}

impl<R: Runtime> Drop for Busy<R> {
    fn drop(&mut self) {
        let pending = &self.app.state::<AppState>().pending;
        if pending.busy.fetch_sub(1, Ordering::SeqCst) == 1 {
            match pending.then.swap(STAY, Ordering::SeqCst) {
                QUIT => self.app.exit(0),
                TO_TRAY => leave_for_tray(&self.app),
                _ => {}
            }
        }
    }
}

/// The window is open again: a close that was waiting for work to end no longer applies.
pub fn cancel<R: Runtime>(app: &AppHandle<R>) {
    app.state::<AppState>()
        .pending
        .then
        .store(STAY, Ordering::SeqCst);
}

/// The last window closed. Returns whether the process must stay (the caller then prevents the exit).
pub fn last_window_closed<R: Runtime>(app: &AppHandle<R>) -> bool {
    let state = app.state::<AppState>();
    let to_tray = state.has_tray() && current(&state).close_to_tray;
    if state.pending.busy.load(Ordering::SeqCst) > 0 {
        let then = if to_tray { TO_TRAY } else { QUIT };
        state.pending.then.store(then, Ordering::SeqCst);
        return true;
    }
    if !to_tray {
        return false;
    }
    !handed_over(app)
}

/// Work ended after the window had closed to the tray: hand over and exit, or stay with our icon.
fn leave_for_tray<R: Runtime>(app: &AppHandle<R>) {
    if handed_over(app) {
        app.exit(0);
    }
}

/// Starts the tray process; false when this process must keep the icon itself (no tray binary beside
/// it, or it would not start).
fn handed_over<R: Runtime>(app: &AppHandle<R>) -> bool {
    match tray_process::binary().map(|tray| hand_over(app, &tray)) {
        Some(Ok(())) => true,
        Some(Err(e)) => {
            tracing::warn!("could not start the tray process ({e}); staying in the tray");
            false
        }
        None => false,
    }
}

/// Lets go of the icon's lock and starts the tray process, which takes it.
fn hand_over<R: Runtime>(app: &AppHandle<R>, tray: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    app.state::<AppState>().release_tray_lock();
    tray_process::hand_over(tray)
}
