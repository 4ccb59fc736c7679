//! The processes the benchmark starts: a tray's folders and the environment the CLI and the tray get
//! for them, a command run to its end, and a running `tributary-tray` with its log.

use anyhow::{bail, ensure, Context, Result};
use chrono::{DateTime, Utc};
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tributary_engine::LEDGER_FILE_NAME;

use crate::readings::millis;

/// How long a stopped tray gets to exit (it finishes the page being read first).
const STOP_DEADLINE: Duration = Duration::from_secs(15);

/// One tray's folders: the data folder, the secret store's configuration folder, HOME and
/// XDG_RUNTIME_DIR; and the environment the CLI and the tray get for them.
pub(crate) struct Folders {
    pub(crate) data: PathBuf,
    pub(crate) config: PathBuf,
    pub(crate) home: PathBuf,
    pub(crate) runtime: PathBuf,
    pub(crate) base_url: String,
}

impl Folders {
    pub(crate) fn make(root: &Path, base_url: &str) -> Result<Folders> {
        let folders = Folders {
            data: root.join("data"),
            config: root.join("config"),
            home: root.join("home"),
            runtime: root.join("runtime"),
            base_url: base_url.to_string(),
        };
        for dir in [
            &folders.data,
            &folders.config,
            &folders.home,
            &folders.runtime,
        ] {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        // XDG_RUNTIME_DIR must be the user's alone.
        std::fs::set_permissions(&folders.runtime, std::fs::Permissions::from_mode(0o700))?;
        Ok(folders)
    }

    pub(crate) fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .env("TRIBUTARY_DATA_DIR", &self.data)
            .env("TRIBUTARY_CONFIG_DIR", &self.config)
            .env("TRIBUTARY_SECRET_STORE", "file")
            .env("TRIBUTARY_LEMONSQUEEZY_BASE_URL", &self.base_url)
            .env("HOME", &self.home)
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("NO_AT_BRIDGE", "1");
        command
    }

    pub(crate) fn ledger(&self) -> PathBuf {
        self.data.join(LEDGER_FILE_NAME)
    }
}

/// Runs a command to its end with `stdin` as its input; its stdout, or an error with its stderr.
pub(crate) fn run(mut command: Command, stdin: &str) -> Result<String> {
    let shown = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {shown}"))?;
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    ensure!(
        output.status.success(),
        "{shown} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// A running `tributary-tray`, its stderr in a log file; killed if still running when dropped.
pub(crate) struct Tray {
    pub(crate) child: Option<Child>,
    pub(crate) log: PathBuf,
    pub(crate) spawned_at: DateTime<Utc>,
}

impl Tray {
    pub(crate) fn start(tray: &Path, folders: &Folders, log: &Path) -> Result<Tray> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .with_context(|| format!("creating {}", log.display()))?;
        let spawned_at = Utc::now();
        let child = folders
            .command(tray)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .with_context(|| format!("could not start {}", tray.display()))?;
        Ok(Tray {
            child: Some(child),
            log: log.to_path_buf(),
            spawned_at,
        })
    }

    pub(crate) fn pid(&self) -> Result<u32> {
        Ok(self.child.as_ref().context("the tray was stopped")?.id())
    }

    /// Fails when the tray has exited (it runs until told to stop), with its log's end.
    pub(crate) fn ensure_running(&mut self) -> Result<()> {
        let child = self.child.as_mut().context("the tray was stopped")?;
        if let Some(status) = child.try_wait()? {
            bail!("tributary-tray exited ({status}): {}", self.log_tail());
        }
        Ok(())
    }

    /// SIGTERM, as a logout sends; waits for it to exit and returns how it did.
    pub(crate) fn stop(&mut self) -> Result<ExitStatus> {
        let mut child = self.child.take().context("the tray was stopped already")?;
        let pid = i32::try_from(child.id())?;
        // SAFETY: kill(2) of the child this benchmark spawned and has not reaped.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        let since = Instant::now();
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            if since.elapsed() > STOP_DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "tributary-tray did not exit within {} s of SIGTERM",
                    STOP_DEADLINE.as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last lines it logged, for an error.
    pub(crate) fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = std::fs::File::open(&self.log) {
            let _ = file.read_to_string(&mut text);
        }
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(15)..].join("\n");
        format!("\n--- {} ---\n{tail}", self.log.display())
    }
}

impl Drop for Tray {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// When the tray last logged `message` (its tracing lines: an RFC 3339 time, the level, the message;
/// in colour), in ms since the epoch; `None` when it did not.
pub(crate) fn logged_at(log: &Path, message: &str) -> Option<i64> {
    let text = std::fs::read_to_string(log).ok()?;
    text.lines()
        .rev()
        .map(without_colour)
        .find(|line| line.trim_end().ends_with(message))
        .and_then(|line| millis(line.split_whitespace().next()?).ok())
}

/// `line` without its ANSI escape sequences (ESC [ … letter).
pub(crate) fn without_colour(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
