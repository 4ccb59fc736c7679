//! What the benchmark reads: a connection's newest run and next due instant from the ledger, and two
//! trays' memory and CPU over one idle window; and the units it prints them in.

use anyhow::{Context, Result};
use chrono::DateTime;
use std::time::Duration;
use tributary_bench::{cpu_ticks, pss_kib, rss_kib, ticks_per_second, tree};
use tributary_ledger::{ChangeProbe, ConnectionRecord};

/// Milliseconds since the epoch of an RFC 3339 instant the ledger wrote.
pub(crate) fn millis(text: &str) -> Result<i64> {
    Ok(DateTime::parse_from_rfc3339(text)
        .with_context(|| format!("unreadable instant {text:?}"))?
        .timestamp_millis())
}

/// A connection's newest run: (status, started_at ms, finished_at ms, requests).
pub(crate) struct LastRun {
    pub(crate) status: String,
    pub(crate) started_ms: i64,
    pub(crate) finished_ms: Option<i64>,
    pub(crate) requests: i64,
    pub(crate) inserted: i64,
}

pub(crate) fn last_run(
    probe: &ChangeProbe,
    connection: &ConnectionRecord,
) -> Result<Option<LastRun>> {
    let Some(run) = probe.sync_runs(connection.id, 1)?.into_iter().next() else {
        return Ok(None);
    };
    Ok(Some(LastRun {
        status: run.status.clone(),
        started_ms: millis(&run.started_at)?,
        finished_ms: run.finished_at.as_deref().map(millis).transpose()?,
        requests: run.requests,
        inserted: run.inserted,
    }))
}

/// A connection's next due instant (ms), as the scheduler reads it.
pub(crate) fn next_at(probe: &ChangeProbe, connection: i64) -> Result<i64> {
    let schedule = probe
        .schedules()?
        .into_iter()
        .find(|s| s.connection_id == connection)
        .with_context(|| format!("no schedule for connection {connection}"))?;
    millis(
        schedule
            .next_at
            .as_deref()
            .with_context(|| format!("connection {} cannot sync (paused?)", schedule.name))?,
    )
}

/// Memory and CPU of a tray's process tree over the same idle window as its peer's.
pub(crate) struct Idle {
    pub(crate) pss_before_kib: u64,
    pub(crate) pss_kib: u64,
    pub(crate) rss_kib: u64,
    pub(crate) cpu_ticks: u64,
}

pub(crate) fn idle_both(pids: [u32; 2], window: Duration) -> Result<[Idle; 2]> {
    let trees = pids.map(tree);
    let pss_before = [pss_kib(&trees[0])?, pss_kib(&trees[1])?];
    let before = [cpu_ticks(&trees[0]), cpu_ticks(&trees[1])];
    std::thread::sleep(window);
    let trees = pids.map(tree);
    let after = [cpu_ticks(&trees[0]), cpu_ticks(&trees[1])];
    let pss_after = [pss_kib(&trees[0])?, pss_kib(&trees[1])?];
    let rss = [rss_kib(&trees[0])?, rss_kib(&trees[1])?];
    Ok([0, 1].map(|i| Idle {
        pss_before_kib: pss_before[i],
        pss_kib: pss_after[i],
        rss_kib: rss[i],
        cpu_ticks: after[i].saturating_sub(before[i]),
    }))
}

pub(crate) fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub(crate) fn percent(ticks: u64, window: Duration) -> f64 {
    ticks as f64 / ticks_per_second() as f64 / window.as_secs_f64() * 100.0
}

pub(crate) fn median(mut values: Vec<i64>) -> i64 {
    values.sort_unstable();
    values[values.len() / 2]
}
