//! How each connection is doing, from its state, its schedule and its recent runs: one state
//! (healthy, syncing, rate-limited until …, stale, failing, needs reconnect, paused by the person or
//! by Tributary), the fix in words, and the figures — last success, success rate over 24 hours and 7
//! days, p50/p95 duration, requests, retries and rows per run, credential expiry, next run. What
//! `tributary health`, the Health page and the tray's status line show.

use crate::error::EngineError;
use crate::health_summary::shown_name;
use crate::workspace::Workspace;
use serde::Serialize;
use tributary_ledger::{
    ChangeProbe, ConnectionRecord, Ledger, LedgerError, Schedule, SyncRunRecord,
};
use tributary_model::{FailureClass, UtcInstant};

/// Failures in a row that earn a warning, and that pause the connection (a success resets both).
pub const WARN_AFTER_FAILURES: u32 = 5;
pub const PAUSE_AFTER_FAILURES: u32 = 10;

/// Runs read per connection: a week of hourly runs and some.
const RUNS_READ: u32 = 400;
const HOUR_MS: i64 = 3_600_000;
/// Runs shown one by one (the sparkline and the run history).
pub const RECENT_RUNS: usize = 30;

/// A connection's one state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum HealthState {
    Healthy,
    Syncing,
    RateLimited,
    Stale,
    Failing,
    NeedsReconnect,
    Paused,
    Disconnected,
}

/// What the person can do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum HealthFix {
    Reconnect,
    CheckPermissions,
    Wait,
    RetryNow,
    Resume,
}

/// One run as the Health page lists it: what it asked, what it brought, how long, and why it failed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecentRun {
    pub id: i64,
    /// `running`, `succeeded`, `failed`, `interrupted` or `undone`.
    pub status: String,
    pub started_at: String,
    pub duration_ms: Option<u64>,
    pub requests: i64,
    pub retries: i64,
    /// Events the run read: new, updated and already there.
    pub rows: i64,
    pub inserted: i64,
    pub error_class: Option<FailureClass>,
    pub error_message: Option<String>,
}

impl RecentRun {
    fn of(run: &SyncRunRecord) -> RecentRun {
        RecentRun {
            id: run.id,
            status: run.status.clone(),
            started_at: run.started_at.clone(),
            duration_ms: duration_ms(run),
            requests: run.requests,
            retries: run.retries,
            rows: run.inserted + run.updated + run.duplicates,
            inserted: run.inserted,
            error_class: run.error_class,
            error_message: run.error_message.clone(),
        }
    }
}

fn duration_ms(run: &SyncRunRecord) -> Option<u64> {
    let took = ms(run.finished_at.as_deref()?)? - ms(&run.started_at)?;
    u64::try_from(took).ok()
}

/// One connection's health.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionHealth {
    pub connection: String,
    pub platform: String,
    pub state: HealthState,
    /// `person` or `tributary` while paused.
    pub paused_by: Option<String>,
    /// What is wrong and what to do, in a sentence; none while healthy.
    pub sentence: Option<String>,
    pub fix: Option<HealthFix>,
    /// Until when a rate limit holds it.
    pub waiting_until: Option<String>,
    pub consecutive_failures: u32,
    /// Five failures in a row or more (at ten it pauses itself).
    pub warning: bool,
    pub last_success_at: Option<String>,
    /// Succeeded ÷ finished runs started in the last 24 hours / 7 days; none without runs.
    pub success_rate_24h: Option<f64>,
    pub success_rate_7d: Option<f64>,
    pub p50_duration_ms: Option<u64>,
    pub p95_duration_ms: Option<u64>,
    /// Per finished run over 7 days.
    pub requests_per_run: Option<f64>,
    pub retries_per_run: Option<f64>,
    pub rows_per_run: Option<f64>,
    pub credential_expires_at: Option<String>,
    pub next_at: Option<String>,
    pub every_secs: u32,
    /// The newest runs first, at most `RECENT_RUNS`.
    pub recent_runs: Vec<RecentRun>,
}

fn ms(text: &str) -> Option<i64> {
    UtcInstant::parse_rfc3339(text).ok().map(UtcInstant::millis)
}

/// Failed runs since the last success (interrupted and undone runs do not count either way).
pub fn consecutive_failures(runs_newest_first: &[SyncRunRecord]) -> u32 {
    let mut n = 0;
    for run in runs_newest_first {
        match run.status.as_str() {
            "failed" => n += 1,
            "succeeded" => break,
            _ => {}
        }
    }
    n
}

fn rate(runs: &[&SyncRunRecord]) -> Option<f64> {
    let finished: Vec<_> = runs
        .iter()
        .filter(|r| matches!(r.status.as_str(), "succeeded" | "failed"))
        .collect();
    (!finished.is_empty()).then(|| {
        finished.iter().filter(|r| r.status == "succeeded").count() as f64 / finished.len() as f64
    })
}

/// The value at quantile `q` (nearest rank) of sorted `values`.
fn quantile(sorted: &[u64], q: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1).min(sorted.len() - 1))
        .copied()
}

fn mean(values: impl Iterator<Item = i64>, n: usize) -> Option<f64> {
    (n > 0).then(|| values.sum::<i64>() as f64 / n as f64)
}

/// A pasted key's expiry is said this long ahead.
const KEY_EXPIRY_NOTICE_MS: i64 = 14 * 24 * HOUR_MS;

/// The day (YYYY-MM-DD) `record`'s pasted key expires by, when that is within the notice.
fn expiring_key(record: &ConnectionRecord, now_ms: i64) -> Option<String> {
    let at = record.credential_expires_at.as_deref()?;
    let expires = ms(at)?;
    (record.auth_kind == "token" && expires - now_ms <= KEY_EXPIRY_NOTICE_MS)
        .then(|| at.get(..10).unwrap_or(at).to_string())
}

/// The health of `record`, given its schedule and runs (newest first), at `now`.
pub fn health_of(
    record: &ConnectionRecord,
    schedule: Option<&Schedule>,
    runs: &[SyncRunRecord],
    now: UtcInstant,
) -> ConnectionHealth {
    let now_ms = now.millis();
    let within = |hours: i64| -> Vec<&SyncRunRecord> {
        runs.iter()
            .filter(|r| ms(&r.started_at).is_some_and(|t| t >= now_ms - hours * HOUR_MS))
            .collect()
    };
    let (day, week) = (within(24), within(24 * 7));
    let finished: Vec<&SyncRunRecord> = week
        .iter()
        .copied()
        .filter(|r| matches!(r.status.as_str(), "succeeded" | "failed"))
        .collect();
    let mut durations: Vec<u64> = finished.iter().filter_map(|r| duration_ms(r)).collect();
    durations.sort_unstable();
    let failures = consecutive_failures(runs);
    let every_secs = schedule.map_or(3600, |s| s.every_secs);
    let paused_by = schedule.and_then(|s| s.paused_by.clone());
    let last_finished = runs
        .iter()
        .find(|r| matches!(r.status.as_str(), "succeeded" | "failed"));
    let running = runs.iter().any(|r| r.status == "running");
    let waiting_until = last_finished
        .filter(|r| r.status == "failed" && r.error_class == Some(FailureClass::RateLimit))
        .and_then(|r| Some(ms(r.finished_at.as_deref()?)? + r.retry_after_ms?))
        .filter(|until| *until > now_ms);
    let last_success = record.last_success_at.as_deref().and_then(ms);
    let since = last_success
        .or_else(|| ms(&record.created_at))
        .unwrap_or(now_ms);
    let stale = now_ms - since > 2 * i64::from(every_secs) * 1000;
    // The sentences are the creator's: "Lemon Squeezy failed …", not the connection's id.
    let name = &shown_name(&record.name, &record.platform);
    // A refusal of the key makes the connection need reconnecting; an active one since was
    // reconnected with another key, which the refusal says nothing about.
    let reconnected = record.state == "active"
        && last_finished.is_some_and(|r| {
            r.status == "failed" && r.error_class == Some(FailureClass::Authentication)
        });
    let why = last_finished
        .and_then(|r| r.error_message.as_deref())
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_string();

    let (state, fix, sentence) = if record.state == "disconnected" {
        (
            HealthState::Disconnected,
            None,
            Some(format!("{name} is disconnected.")),
        )
    } else if record.state == "needs_reconnect" {
        let reason = record.state_reason.clone().unwrap_or(why);
        (
            HealthState::NeedsReconnect,
            Some(HealthFix::Reconnect),
            Some(format!("{name} needs reconnecting: {reason}")),
        )
    } else if let Some(by) = &paused_by {
        let sentence = match by.as_str() {
            "tributary" => format!(
                "{name} paused itself after {failures} failed syncs in a row; resume it once the cause is fixed."
            ),
            _ => format!("{name} is paused; its scheduled syncs wait until it is resumed."),
        };
        (HealthState::Paused, Some(HealthFix::Resume), Some(sentence))
    } else if running {
        (HealthState::Syncing, None, None)
    } else if let Some(until) = waiting_until {
        // "2026-11-24 10:12 UTC": the minute is what a creator reads.
        let at = UtcInstant::from_millis(until).to_rfc3339();
        let (day, clock) = (at.get(..10).unwrap_or(&at), at.get(11..16).unwrap_or(""));
        (
            HealthState::RateLimited,
            Some(HealthFix::Wait),
            Some(format!(
                "{name} is rate-limited by the platform until {day} {clock} UTC; it syncs again then."
            )),
        )
    } else if last_finished.is_some_and(|r| r.status == "failed") && !reconnected {
        let class = last_finished.and_then(|r| r.error_class);
        let fix = match class {
            Some(FailureClass::Configuration) => HealthFix::CheckPermissions,
            Some(FailureClass::Authentication) => HealthFix::Reconnect,
            _ => HealthFix::RetryNow,
        };
        let advice = match fix {
            HealthFix::CheckPermissions => "check the key's permissions on the platform",
            HealthFix::Reconnect => "reconnect it",
            _ => "it is retried on its own, or retry now",
        };
        (
            HealthState::Failing,
            Some(fix),
            Some(match failures {
                1 => format!("{name} failed: {why}; {advice}."),
                n => format!("{name} failed {n} times in a row: {why}; {advice}."),
            }),
        )
    } else if stale {
        (
            HealthState::Stale,
            Some(HealthFix::RetryNow),
            Some(format!(
                "{name} has not synced successfully within twice its interval; nothing is running its schedule (open Tributary or start tributary daemon), or retry now."
            )),
        )
    } else if let Some(day) = expiring_key(record, now_ms) {
        // Still healthy, but only the person can make the new key: said while there is time.
        (
            HealthState::Healthy,
            Some(HealthFix::Reconnect),
            Some(format!(
                "{name}'s API key expires by {day} (keys last a year): make a new one on the platform and reconnect with it before then."
            )),
        )
    } else {
        (HealthState::Healthy, None, None)
    };
    let n = finished.len();
    ConnectionHealth {
        connection: record.name.clone(),
        platform: record.platform.clone(),
        state,
        paused_by,
        sentence,
        fix,
        waiting_until: waiting_until.map(|t| UtcInstant::from_millis(t).to_rfc3339()),
        consecutive_failures: failures,
        warning: failures >= WARN_AFTER_FAILURES && !reconnected,
        last_success_at: record.last_success_at.clone(),
        success_rate_24h: rate(&day),
        success_rate_7d: rate(&week),
        p50_duration_ms: quantile(&durations, 0.5),
        p95_duration_ms: quantile(&durations, 0.95),
        requests_per_run: mean(finished.iter().map(|r| r.requests), n),
        retries_per_run: mean(finished.iter().map(|r| r.retries), n),
        rows_per_run: mean(
            finished
                .iter()
                .map(|r| r.inserted + r.updated + r.duplicates),
            n,
        ),
        credential_expires_at: record.credential_expires_at.clone(),
        next_at: schedule.and_then(|s| s.next_at.clone()),
        every_secs,
        recent_runs: runs.iter().take(RECENT_RUNS).map(RecentRun::of).collect(),
    }
}

/// The health of every connection in `connections`, reading each one's runs through `runs_of`.
fn health_all(
    connections: Vec<ConnectionRecord>,
    schedules: &[Schedule],
    mut runs_of: impl FnMut(i64) -> Result<Vec<SyncRunRecord>, LedgerError>,
    now: UtcInstant,
) -> Result<Vec<ConnectionHealth>, EngineError> {
    let mut out = Vec::with_capacity(connections.len());
    for record in connections {
        let runs = runs_of(record.id)?;
        let schedule = schedules.iter().find(|s| s.connection_id == record.id);
        out.push(health_of(&record, schedule, &runs, now));
    }
    Ok(out)
}

/// Every connection's health at `now`, read on a change probe's read-only connection (the trays).
pub fn health_on(
    probe: &ChangeProbe,
    now: UtcInstant,
) -> Result<Vec<ConnectionHealth>, EngineError> {
    let schedules = probe.schedules()?;
    health_all(
        probe.connections()?,
        &schedules,
        |id| probe.sync_runs(id, RUNS_READ),
        now,
    )
}

impl Workspace {
    /// Every connection's health, at `now`.
    pub fn health(&self, now: UtcInstant) -> Result<Vec<ConnectionHealth>, EngineError> {
        let schedules = self.ledger.schedules()?;
        health_all(
            self.ledger.connections()?,
            &schedules,
            |id| self.ledger.sync_runs(id, RUNS_READ),
            now,
        )
    }
}

/// Pauses connection `name` as Tributary's own doing once it has failed `PAUSE_AFTER_FAILURES`
/// times in a row; true when it did. On the scheduler's own connection to the ledger.
pub(crate) fn pause_if_failing(ledger: &mut Ledger, name: &str) -> Result<bool, EngineError> {
    let record = ledger.find_connection(name)?;
    let runs = ledger.sync_runs(record.id, PAUSE_AFTER_FAILURES + 5)?;
    if consecutive_failures(&runs) < PAUSE_AFTER_FAILURES {
        return Ok(false);
    }
    ledger.set_connection_paused(name, Some("tributary"))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.95), Some(7));
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(quantile(&v, 0.5), Some(50));
        assert_eq!(quantile(&v, 0.95), Some(95));
    }
}
