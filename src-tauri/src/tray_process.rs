//! Handing the tray to the tray process (`tributary-tray`, src-tray/) and taking it back. When the
//! window closes to the tray, this process starts the tray process and exits: a process that has run a
//! WebKit window keeps well over a hundred megabytes that a plain GTK tray does not need. When the app
//! starts, it asks a running tray process to go, since the app shows its own icon while it runs. Where
//! the tray binary is not installed beside the app, the app stays in the tray itself, as before.

use std::path::{Path, PathBuf};
use tributary_engine::TRAY_PID_FILE;

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

/// Asks the tray process of this data folder to end, if one runs.
#[cfg(unix)]
pub fn take_back(data_dir: &Path) {
    let Ok(text) = std::fs::read_to_string(data_dir.join(TRAY_PID_FILE)) else {
        return;
    };
    let Ok(pid) = text.trim().parse::<i32>() else {
        return;
    };
    // Only a tray process: the pid of one that ended may have been given to another program.
    let is_tray = std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .is_ok_and(|name| name.trim() == "tributary-tray");
    if is_tray {
        // SAFETY: kill(2) with a pid read from /proc just now and a plain termination signal.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
}

/// The tray process is Linux's answer to WebKitGTK's footprint; elsewhere the app keeps its own icon.
#[cfg(not(unix))]
pub fn take_back(_data_dir: &Path) {}
