//! Handing the tray to the tray process (`tributary-tray`, src-tray/) and taking it back. When the
//! window closes to the tray, this process starts the tray process and exits: a process that has run a
//! WebKit window keeps well over a hundred megabytes that a plain GTK tray does not need. When the app
//! starts, it asks a running tray process to go, since the app shows its own icon while it runs. Where
//! the tray binary is not installed beside the app, the app stays in the tray itself, as before.

use std::path::{Path, PathBuf};
use std::time::Duration;
#[cfg(unix)]
use tributary_engine::{acquire_tray_lock_within, TrayLock, TRAY_PID_FILE};

/// The tray binary beside this one, when it is there.
pub fn binary() -> Option<PathBuf> {
    let tray = std::env::current_exe()
        .ok()?
        .with_file_name("tributary-tray");
    tray.is_file().then_some(tray)
}

/// Starts the tray process; the caller then exits.
pub fn hand_over(tray: &Path) -> std::io::Result<()> {
    std::process::Command::new(tray)
        .stdin(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// Takes the tray icon over for this process: asks a running tray process of this data folder to end
/// and takes the icon's lock once it has (waiting for it only then, so that a second launch of the app,
/// which the single-instance plugin ends at once, is not held up). `None`: another process keeps it.
#[cfg(unix)]
pub fn take_back(data_dir: &Path) -> Option<TrayLock> {
    let pid = std::fs::read_to_string(data_dir.join(TRAY_PID_FILE))
        .ok()
        .and_then(|text| text.trim().parse::<i32>().ok());
    // Only a tray process: the pid of one that ended may have been given to another program.
    let tray = pid.filter(|pid| {
        std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|name| name.trim() == "tributary-tray")
    });
    let patience = match tray {
        Some(pid) => {
            // SAFETY: kill(2) with a pid read from /proc just now and a plain termination signal.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
            Duration::from_secs(2)
        }
        None => Duration::ZERO,
    };
    match acquire_tray_lock_within(data_dir, patience) {
        Ok(lock) => lock,
        Err(e) => {
            tracing::warn!(
                "could not lock {}: {e}",
                data_dir.join(TRAY_PID_FILE).display()
            );
            None
        }
    }
}

/// The tray process is Linux's answer to WebKitGTK's footprint; elsewhere the app keeps its own icon.
#[cfg(not(unix))]
pub fn take_back(_data_dir: &Path) -> Option<()> {
    None
}
