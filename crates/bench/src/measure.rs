//! Running a command as a benchmark measures it: wall time, and peak resident memory from the kernel's
//! accounting for that one child (`wait4`), so that nothing else in the process counts. Commands are
//! started from `tributary-bench-child`, a small process of its own (see `wait_for`).

use anyhow::{ensure, Context, Result};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A finished child process: its output, wall time and peak resident memory.
pub struct Run {
    pub stdout: String,
    /// What it wrote on stderr, for a run that was to fail (`measure_failure`); empty otherwise, where
    /// stderr is passed through.
    pub stderr: String,
    pub wall: Duration,
    pub max_rss_kib: i64,
}

/// Runs a command to completion, reading its peak RSS from the kernel's accounting for that child.
pub fn measure(command: Command, stdin: Option<&str>) -> Result<Run> {
    let (run, status) = measured(command, stdin, false)?;
    ensure!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the command failed (status {status})"
    );
    Ok(run)
}

/// Runs a command that is to fail (a file to be refused), with its stderr kept.
pub fn measure_failure(command: Command) -> Result<Run> {
    let (run, status) = measured(command, None, true)?;
    ensure!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) != 0,
        "the command was to fail but did not (status {status}): {}",
        run.stdout
    );
    Ok(run)
}

/// What the kernel said of a command run to its end from this process.
pub struct Waited {
    pub wall: Duration,
    pub max_rss_kib: i64,
    /// The raw wait status.
    pub status: i32,
}

/// Runs `command` (its stdio as set) to its end, timing it and reading its peak RSS from `wait4`.
/// The kernel starts a child's peak RSS from the image `exec` replaced (the memory of the process that
/// started it), so this is called from `tributary-bench-child`, a small process of its own: started
/// straight from a benchmark that had just generated a 125 MB fixture, every command measured 125 MB.
pub fn wait_for(mut command: Command) -> Result<Waited> {
    let started = Instant::now();
    let child = command
        .spawn()
        .with_context(|| format!("could not start {command:?}"))?;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we spawned and have not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(child.id())?;
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    ensure!(reaped == pid, "wait4 failed for {command:?}");
    Ok(Waited {
        wall,
        max_rss_kib: usage.ru_maxrss,
        status,
    })
}

/// `command` as run through `tributary-bench-child`, which writes what it measured to `result`.
fn through_child(command: &Command, result: &Path) -> Result<Command> {
    let child = std::env::current_exe()?
        .parent()
        .context("the bench binary has no folder")?
        .join("tributary-bench-child");
    let mut outer = Command::new(child);
    outer
        .arg(result)
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => outer.env(key, value),
            None => outer.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        outer.current_dir(dir);
    }
    Ok(outer)
}

fn measured(command: Command, stdin: Option<&str>, keep_stderr: bool) -> Result<(Run, i32)> {
    let result = tempfile::NamedTempFile::new()?;
    let mut outer = through_child(&command, result.path())?;
    let mut child = outer
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(if keep_stderr {
            Stdio::piped()
        } else {
            Stdio::inherit()
        })
        .spawn()
        .with_context(|| format!("could not start {outer:?}"))?;
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        input.write_all(text.as_bytes())?;
    }
    // Read on a thread of its own, so that neither pipe can fill while the other is read.
    let stderr_reader = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        })
    });
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)?;
    }
    let stderr = stderr_reader
        .map(|t| t.join().unwrap_or_default())
        .unwrap_or_default();
    let launched = child.wait()?;
    ensure!(
        launched.success(),
        "tributary-bench-child could not run {command:?} ({launched})"
    );
    let figures = std::fs::read_to_string(result.path())?;
    let parse = || -> Option<(u64, i64, i32)> {
        let mut words = figures.split_whitespace();
        Some((
            words.next()?.parse().ok()?,
            words.next()?.parse().ok()?,
            words.next()?.parse().ok()?,
        ))
    };
    let (nanos, max_rss_kib, status) =
        parse().with_context(|| format!("tributary-bench-child wrote {figures:?}"))?;
    Ok((
        Run {
            stdout,
            stderr,
            wall: Duration::from_nanos(nanos),
            max_rss_kib,
        },
        status,
    ))
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `tributary` binary built beside the running benchmark (`target/release/` or `target/debug/`).
pub fn tributary_beside_bench() -> Result<std::path::PathBuf> {
    Ok(std::env::current_exe()?
        .parent()
        .context("the bench binary has no folder")?
        .join("tributary"))
}
