//! Running a command as a benchmark measures it: wall time, and peak resident memory from the kernel's
//! accounting for that one child (`wait4`), so that nothing else in the process counts.

use anyhow::{ensure, Context, Result};
use std::io::{Read, Write};
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

fn measured(mut command: Command, stdin: Option<&str>, keep_stderr: bool) -> Result<(Run, i32)> {
    let started = Instant::now();
    let mut child = command
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
        .with_context(|| format!("could not start {command:?}"))?;
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
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we spawned and have not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(child.id())?;
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    ensure!(reaped == pid, "wait4 failed for {command:?}");
    Ok((
        Run {
            stdout,
            stderr,
            wall,
            max_rss_kib: usage.ru_maxrss,
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
