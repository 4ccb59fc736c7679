//! `tributary-bench-child RESULT PROGRAM [ARGS…]`: runs one command for the benchmarks from a small
//! process of its own, its standard streams passed through, and writes its wall time (ns), peak RSS
//! (KiB) and raw wait status to RESULT. Why a process of its own: `tributary_bench::wait_for`.

use anyhow::{Context, Result};
use std::process::Command;

fn main() -> Result<()> {
    const USAGE: &str = "usage: tributary-bench-child RESULT PROGRAM [ARGS…]";
    let mut args = std::env::args_os().skip(1);
    let result = args.next().context(USAGE)?;
    let program = args.next().context(USAGE)?;
    let mut command = Command::new(program);
    command.args(args);
    let waited = tributary_bench::wait_for(command)?;
    std::fs::write(
        &result,
        format!(
            "{} {} {}\n",
            waited.wall.as_nanos(),
            waited.max_rss_kib,
            waited.status
        ),
    )
    .with_context(|| format!("could not write {}", result.to_string_lossy()))?;
    Ok(())
}
