//! Writers take turns, first come, first served. SQLite lets one writer at a time into the ledger and
//! leaves the others to poll for the lock: whoever polls at the right moment goes next, so a writer that
//! commits and begins again at once (an import of many files, a sync of many pages) can keep another
//! waiting indefinitely, and one that waits past the busy timeout is refused with "database is locked".
//!
//! Instead, a writer first takes a numbered ticket in the `<ledger>-writers` folder beside the ledger and
//! holds a lock on it for as long as it writes; it goes when no lower ticket is held. The operating system
//! drops a lock when its process ends, so a writer that crashed or was killed holds up no one: the next
//! writer finds its ticket unlocked and clears it. While it waits, a writer can say so, naming what the
//! writer ahead of it is doing.
//!
//! Only Tributary's own writers take tickets; anything else writing the file (the `sqlite3` shell) is
//! waited for at `BEGIN` (`batches::begin_immediate`).

use crate::error::{LedgerError, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a waiting writer looks whether the writer ahead has finished.
const POLL: Duration = Duration::from_millis(10);
/// A wait shorter than this is not worth a word.
const NOTICE_AFTER: Duration = Duration::from_millis(250);

/// What a waiting writer is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// What the writer ahead is doing, as it described itself ("importing big.csv, process 4242");
    /// None for a program that is not Tributary.
    pub ahead: Option<String>,
}

/// Called once when a writer has waited long enough to say so.
pub type WaitHook = Arc<dyn Fn(&Waiting) + Send + Sync>;

/// The ticket folder of one ledger file.
#[derive(Clone, Debug)]
pub(crate) struct Turns {
    dir: PathBuf,
}

/// A writer's turn, from its ticket until it is dropped (after its commit or rollback).
pub struct Turn {
    ticket: PathBuf,
    about: PathBuf,
    // Closed last, after the files are gone: the lock is what the writer behind waits on.
    _lock: File,
}

impl Drop for Turn {
    fn drop(&mut self) {
        // Whoever is behind clears a ticket left behind too, so a failure here holds up no one.
        clear(&self.ticket, &self.about);
    }
}

/// Removes a ticket and its description; either may be gone already.
fn clear(ticket: &Path, about: &Path) {
    let _ = std::fs::remove_file(ticket);
    let _ = std::fs::remove_file(about);
}

fn io_error(dir: &Path, e: std::io::Error) -> LedgerError {
    LedgerError::Turns {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    }
}

/// The number of a ticket file's name (`00000000000000000042.ticket`).
fn ticket_number(name: &str) -> Option<u64> {
    name.strip_suffix(".ticket")?.parse().ok()
}

impl Turns {
    pub(crate) fn of(ledger: &Path) -> Turns {
        let mut name = ledger.file_name().unwrap_or_default().to_os_string();
        name.push("-writers");
        Turns {
            dir: ledger.with_file_name(name),
        }
    }

    fn ticket_paths(&self, number: u64) -> (PathBuf, PathBuf) {
        (
            self.dir.join(format!("{number:020}.ticket")),
            self.dir.join(format!("{number:020}.about")),
        )
    }

    /// Takes the next ticket, locked, with `what` beside it for whoever waits behind.
    fn ticket(&self, what: &str) -> std::io::Result<(u64, Turn)> {
        std::fs::create_dir_all(&self.dir)?;
        let mut counter = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(self.dir.join("counter"))?;
        // Held for microseconds, while the number is taken and its ticket made.
        counter.lock()?;
        let mut text = String::new();
        counter.read_to_string(&mut text)?;
        let number = text.trim().parse::<u64>().unwrap_or(0) + 1;
        let (ticket, about) = self.ticket_paths(number);
        std::fs::write(&about, format!("{what}, process {}\n", std::process::id()))?;
        // Locked before it has its name, so that nobody finds it unlocked and clears it.
        let pending = self.dir.join(format!("{number:020}.new"));
        let lock = File::create(&pending)?;
        lock.lock()?;
        std::fs::rename(&pending, &ticket)?;
        counter.seek(SeekFrom::Start(0))?;
        counter.set_len(0)?;
        counter.write_all(number.to_string().as_bytes())?;
        counter.unlock()?;
        Ok((
            number,
            Turn {
                ticket,
                about,
                _lock: lock,
            },
        ))
    }

    /// The held tickets below `number`, lowest first; unheld ones (their writer has gone) are cleared.
    fn ahead_of(&self, number: u64) -> std::io::Result<Vec<u64>> {
        let mut ahead = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let Some(n) = ticket_number(&entry.file_name().to_string_lossy()) else {
                continue;
            };
            if n >= number {
                continue;
            }
            let file = match File::open(entry.path()) {
                Ok(file) => file,
                // Its writer has just finished.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            match file.try_lock() {
                Ok(()) => {
                    let (ticket, about) = self.ticket_paths(n);
                    clear(&ticket, &about);
                }
                Err(TryLockError::WouldBlock) => ahead.push(n),
                Err(TryLockError::Error(e)) => return Err(e),
            }
        }
        ahead.sort_unstable();
        Ok(ahead)
    }

    /// Waits for this writer's turn; `on_wait` hears once if that takes a while.
    pub(crate) fn take(&self, what: &str, on_wait: Option<&WaitHook>) -> Result<Turn> {
        let fail = |e| io_error(&self.dir, e);
        let (number, turn) = self.ticket(what).map_err(fail)?;
        let since = Instant::now();
        let mut told = false;
        loop {
            let ahead = self.ahead_of(number).map_err(fail)?;
            let Some(&first) = ahead.first() else {
                return Ok(turn);
            };
            if !told && since.elapsed() >= NOTICE_AFTER {
                told = true;
                if let Some(hook) = on_wait {
                    let about = std::fs::read_to_string(self.ticket_paths(first).1).ok();
                    hook(&Waiting {
                        ahead: about
                            .and_then(|a| a.lines().next().map(str::to_string))
                            .filter(|a| !a.is_empty()),
                    });
                }
            }
            std::thread::sleep(POLL);
        }
    }
}
