//! One tray icon per data folder. Whoever shows it — the tray process (src-tray/) or the app while it
//! runs — holds an exclusive lock on `tray.pid` in the data folder, with its process id written in it.
//! A tray process that cannot take the lock gives way; the app, starting, tells a running tray process
//! to go (SIGTERM to that pid) and takes the lock once it has; it lets go just before handing the icon
//! back to a tray process (src-tauri/src/closing.rs). Unix only: elsewhere the app keeps its own icon.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::{Duration, Instant};

/// In the data folder: the id of the process showing the tray icon, locked while it does.
pub const TRAY_PID_FILE: &str = "tray.pid";

/// The held lock; dropping it (or the process ending) releases it.
pub struct TrayLock {
    _file: File,
}

/// Takes the lock, waiting up to `patience` for another holder to let go; `None` when it did not.
pub fn acquire_within(data_dir: &Path, patience: Duration) -> std::io::Result<Option<TrayLock>> {
    let since = Instant::now();
    loop {
        if let Some(lock) = acquire(data_dir)? {
            return Ok(Some(lock));
        }
        if since.elapsed() >= patience {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Takes the lock, or `None` when another process holds it.
pub fn acquire(data_dir: &Path) -> std::io::Result<Option<TrayLock>> {
    std::fs::create_dir_all(data_dir)?;
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join(TRAY_PID_FILE))?;
    // SAFETY: flock on a descriptor this File owns; the lock lives as long as the File.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let error = std::io::Error::last_os_error();
        return match error.raw_os_error() {
            Some(libc::EWOULDBLOCK) => Ok(None),
            _ => Err(error),
        };
    }
    // Written in place: a reader sees the old id, the new one, or (for an instant) nothing.
    file.set_len(0)?;
    write!(file, "{}", std::process::id())?;
    file.flush()?;
    Ok(Some(TrayLock { _file: file }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_with_its_pid_written() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path())
            .unwrap()
            .expect("the first takes the lock");
        let pid = std::fs::read_to_string(dir.path().join(TRAY_PID_FILE)).unwrap();
        assert_eq!(pid, std::process::id().to_string());
        assert!(acquire(dir.path()).unwrap().is_none(), "a second gives way");
        drop(first);
        assert!(
            acquire(dir.path()).unwrap().is_some(),
            "free again once released"
        );
    }
}
