//! One tray process per data folder: it holds an exclusive lock on `tray.pid` in the data folder for as
//! long as it runs, with its process id written in it, so that a second tray gives way and the app,
//! when it opens its window, can tell the running tray to go (SIGTERM; see src-tauri/src/tray_process.rs).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::Path;
use tributary_engine::TRAY_PID_FILE;

/// The held lock; dropping it (or the process ending) releases it.
pub struct TrayLock {
    _file: File,
}

/// Takes the lock, or `None` when another tray process holds it.
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
