//! Running a command as a benchmark measures it: wall time, and peak resident memory from the kernel's
//! accounting for that one child (`wait4`), so that nothing else in the process counts.

use anyhow::{ensure, Context, Result};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A finished child process: its output, wall time and peak resident memory.
pub struct Run {
    pub stdout: String,
    pub wall: Duration,
    pub max_rss_kib: i64,
}

/// Runs a command to completion, reading its peak RSS from the kernel's accounting for that child.
pub fn measure(mut command: Command, stdin: Option<&str>) -> Result<Run> {
    let started = Instant::now();
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("could not start {command:?}"))?;
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        input.write_all(text.as_bytes())?;
    }
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)?;
    }
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we spawned and have not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(child.id())?;
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    ensure!(reaped == pid, "wait4 failed for {command:?}");
    ensure!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed (status {status})"
    );
    Ok(Run {
        stdout,
        wall,
        max_rss_kib: usage.ru_maxrss,
    })
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
