//! Every connection's health in one level and one line: the tray's icon (normal, attention, error)
//! and its menu's status line ("Gumroad needs reconnecting"), the window's sidebar. The worst
//! connection speaks; several in trouble are counted.

use crate::error::EngineError;
use crate::health::{ConnectionHealth, HealthState};
use crate::workspace::Workspace;
use serde::Serialize;
use tributary_model::UtcInstant;

/// What the window's Health page and sidebar read: every connection's health, and the line about
/// all of them that the tray shows too.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthView {
    pub connections: Vec<ConnectionHealth>,
    /// Every connection's scheduled syncs wait (the trays' "Pause syncing", `tributary connections
    /// pause --all`); each connection's own state is what it was.
    pub syncing_paused: bool,
    /// None while nothing is connected.
    pub summary: Option<HealthSummary>,
}

impl Workspace {
    /// Every connection's health at `now`, and their summary.
    pub fn health_view(&self, now: UtcInstant) -> Result<HealthView, EngineError> {
        let connections = self.health(now)?;
        let syncing_paused = self.syncing_paused()?;
        let summary = summarize(&connections, syncing_paused);
        Ok(HealthView {
            connections,
            syncing_paused,
            summary,
        })
    }
}

/// How much the connections need the person, worst last (so `max` is the worst).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum HealthLevel {
    Normal,
    /// It mends itself, or waits: rate-limited, stale.
    Attention,
    /// Only the person can mend it: needs reconnecting, failing, paused itself.
    Error,
}

/// The line and the level of all connections together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthSummary {
    pub level: HealthLevel,
    pub line: String,
    /// Connections not disconnected.
    pub connections: u32,
}

impl ConnectionHealth {
    /// How much this connection needs the person.
    pub fn level(&self) -> HealthLevel {
        match self.state {
            HealthState::NeedsReconnect | HealthState::Failing => HealthLevel::Error,
            HealthState::Paused if self.paused_by.as_deref() == Some("tributary") => {
                HealthLevel::Error
            }
            HealthState::RateLimited | HealthState::Stale => HealthLevel::Attention,
            _ => HealthLevel::Normal,
        }
    }

    /// The connection as a creator names it: the platform ("Gumroad"), or with its own name when that
    /// is not the platform's id ("Gumroad (shop-2)").
    pub fn shown_name(&self) -> String {
        shown_name(&self.connection, &self.platform)
    }

    /// What is wrong, in a few words for a menu line ("Gumroad needs reconnecting").
    fn trouble(&self) -> String {
        let name = self.shown_name();
        match self.state {
            HealthState::NeedsReconnect => format!("{name} needs reconnecting"),
            HealthState::Failing => format!("{name} is failing to sync"),
            HealthState::Paused => format!("{name} paused itself after failing"),
            HealthState::RateLimited => match self.waiting_until.as_deref() {
                Some(until) => format!("{name} is rate-limited until {} UTC", clock(until)),
                None => format!("{name} is rate-limited"),
            },
            HealthState::Stale => format!("{name} has not synced lately"),
            _ => format!("{name} is fine"),
        }
    }
}

/// Connection `connection` of `platform` as a creator names it: "Gumroad", or "Gumroad (shop-2)".
pub(crate) fn shown_name(connection: &str, platform: &str) -> String {
    let shown = tributary_connectors::platforms()
        .into_iter()
        .find(|p| p.id == platform)
        .map_or(platform, |p| p.name);
    if connection == platform {
        shown.to_string()
    } else {
        format!("{shown} ({connection})")
    }
}

/// "09:41" of an RFC 3339 instant.
fn clock(instant: &str) -> &str {
    instant.get(11..16).unwrap_or(instant)
}

/// The level and line of `health` (every connection's), or none when nothing is connected. While
/// syncing is `paused` as a whole, that is the line — "2 connections synced" would say nothing of
/// the syncs that wait — unless a connection needs the person, which comes first.
pub fn summarize(health: &[ConnectionHealth], paused: bool) -> Option<HealthSummary> {
    let live: Vec<&ConnectionHealth> = health
        .iter()
        .filter(|h| h.state != HealthState::Disconnected)
        .collect();
    if live.is_empty() {
        return None;
    }
    let level = live
        .iter()
        .map(|h| h.level())
        .max()
        .unwrap_or(HealthLevel::Normal);
    let troubled: Vec<&&ConnectionHealth> = live.iter().filter(|h| h.level() == level).collect();
    let count = live.len();
    let line = match (level, troubled.as_slice()) {
        (HealthLevel::Normal, _) => normal_line(&live),
        (_, [one]) => one.trouble(),
        (_, several) => format!(
            "{} connections need attention: {}",
            several.len(),
            several
                .iter()
                .map(|h| h.shown_name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let (level, line) = match (paused, level) {
        (false, _) => (level, line),
        (true, HealthLevel::Error) => (level, format!("{line}; syncing paused")),
        // Stale is what a pause makes of every connection in time: not news.
        (true, _) => (HealthLevel::Normal, PAUSED_LINE.to_string()),
    };
    Some(HealthSummary {
        level,
        line,
        connections: u32::try_from(count).unwrap_or(u32::MAX),
    })
}

const PAUSED_LINE: &str = "Syncing paused";

/// All well: what is syncing, or when the last success was.
fn normal_line(live: &[&ConnectionHealth]) -> String {
    if let Some(syncing) = live.iter().find(|h| h.state == HealthState::Syncing) {
        return format!("Syncing {}…", syncing.shown_name());
    }
    if live.iter().all(|h| h.state == HealthState::Paused) {
        return PAUSED_LINE.to_string();
    }
    let what = match live {
        [one] => one.shown_name(),
        _ => format!("{} connections", live.len()),
    };
    // RFC 3339 texts in UTC sort as instants.
    match live
        .iter()
        .filter_map(|h| h.last_success_at.as_deref())
        .max()
    {
        Some(last) => format!(
            "{what} synced, last at {} {} UTC",
            last.get(..10).unwrap_or(last),
            clock(last)
        ),
        None => format!("{what}: not synced yet"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn health(connection: &str, platform: &str, state: HealthState) -> ConnectionHealth {
        ConnectionHealth {
            connection: connection.into(),
            platform: platform.into(),
            state,
            paused_by: None,
            sentence: None,
            fix: None,
            waiting_until: None,
            consecutive_failures: 0,
            warning: false,
            last_success_at: Some("2026-12-04T09:41:07.000Z".into()),
            success_rate_24h: None,
            success_rate_7d: None,
            p50_duration_ms: None,
            p95_duration_ms: None,
            requests_per_run: None,
            retries_per_run: None,
            rows_per_run: None,
            credential_expires_at: None,
            next_at: None,
            every_secs: 3600,
            recent_runs: Vec::new(),
        }
    }

    #[test]
    fn nothing_connected_has_no_line() {
        assert_eq!(summarize(&[], false), None);
        let gone = health("gumroad", "gumroad", HealthState::Disconnected);
        assert_eq!(summarize(&[gone], false), None);
    }

    #[test]
    fn the_worst_connection_speaks() {
        let all = [
            health("gumroad", "gumroad", HealthState::NeedsReconnect),
            health("whop", "whop", HealthState::RateLimited),
            health("stripe", "stripe", HealthState::Healthy),
        ];
        let summary = summarize(&all, false).unwrap();
        assert_eq!(summary.level, HealthLevel::Error);
        assert_eq!(summary.line, "Gumroad needs reconnecting");
        assert_eq!(summary.connections, 3);
    }

    #[test]
    fn several_in_trouble_are_counted_by_name() {
        let mut limited = health("shop-2", "gumroad", HealthState::RateLimited);
        limited.waiting_until = Some("2026-12-04T10:05:00.000Z".into());
        let summary = summarize(
            &[limited.clone(), health("whop", "whop", HealthState::Stale)],
            false,
        )
        .unwrap();
        assert_eq!(summary.level, HealthLevel::Attention);
        assert_eq!(
            summary.line,
            "2 connections need attention: Gumroad (shop-2), Whop"
        );
        assert_eq!(
            summarize(&[limited], false).unwrap().line,
            "Gumroad (shop-2) is rate-limited until 10:05 UTC"
        );
    }

    #[test]
    fn a_pause_by_the_person_is_normal_and_one_by_tributary_an_error() {
        let mut paused = health("gumroad", "gumroad", HealthState::Paused);
        paused.paused_by = Some("person".into());
        assert_eq!(paused.level(), HealthLevel::Normal);
        assert_eq!(
            summarize(&[paused.clone()], false).unwrap().line,
            "Syncing paused"
        );
        paused.paused_by = Some("tributary".into());
        assert_eq!(paused.level(), HealthLevel::Error);
        assert_eq!(
            summarize(&[paused], false).unwrap().line,
            "Gumroad paused itself after failing"
        );
    }

    #[test]
    fn all_well_says_when_the_last_sync_was() {
        let mut older = health("whop", "whop", HealthState::Healthy);
        older.last_success_at = Some("2026-12-03T22:00:00.000Z".into());
        let summary = summarize(
            &[older, health("gumroad", "gumroad", HealthState::Healthy)],
            false,
        )
        .unwrap();
        assert_eq!(summary.level, HealthLevel::Normal);
        assert_eq!(
            summary.line,
            "2 connections synced, last at 2026-12-04 09:41 UTC"
        );
        let syncing = health("stripe", "stripe", HealthState::Syncing);
        assert_eq!(
            summarize(&[syncing], false).unwrap().line,
            "Syncing Stripe…"
        );
        let mut new = health("stripe", "stripe", HealthState::Healthy);
        new.last_success_at = None;
        assert_eq!(
            summarize(&[new], false).unwrap().line,
            "Stripe: not synced yet"
        );
    }

    #[test]
    fn a_pause_of_everything_is_the_line_unless_someone_needs_the_person() {
        let fine = [
            health("gumroad", "gumroad", HealthState::Healthy),
            health("whop", "whop", HealthState::Stale),
        ];
        let summary = summarize(&fine, true).unwrap();
        assert_eq!(summary.line, "Syncing paused");
        assert_eq!(summary.level, HealthLevel::Normal);
        assert_eq!(summary.connections, 2);
        let broken = [
            health("gumroad", "gumroad", HealthState::NeedsReconnect),
            health("whop", "whop", HealthState::Healthy),
        ];
        let summary = summarize(&broken, true).unwrap();
        assert_eq!(summary.line, "Gumroad needs reconnecting; syncing paused");
        assert_eq!(summary.level, HealthLevel::Error);
        assert_eq!(
            summarize(&broken, false).unwrap().line,
            "Gumroad needs reconnecting"
        );
    }
}
