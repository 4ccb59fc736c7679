//! The alerts a channel (desktop notifications, email) owes the person: a connection started failing,
//! needs reconnecting, paused itself, or syncs again; a pasted key expires within two weeks; scheduled
//! syncs brought in new sales while the window was closed. Told on transitions, not on every run: each
//! channel keeps a mark per connection in the ledger (`alert_marks`) and an alert is owed only when the
//! mark moves, so that the app and the tray process, both looking, tell each one once. Debounced: one
//! transient failure (retried on its own) is not "failing"; two in a row, or one that needs the person,
//! is.

use crate::error::EngineError;
use crate::health::{ConnectionHealth, HealthFix, HealthState};
use crate::health_summary::shown_name;
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tributary_model::{Currency, Money, UtcInstant};

/// The desktop notifications' channel (the app's and the tray process's, one set of marks).
pub const DESKTOP: &str = "desktop";

/// A failing connection is told of after this many failures in a row, when it retries on its own.
pub const ALERT_AFTER_FAILURES: u32 = 2;

const OK: &str = "ok";
const SALES: &str = "sales";

/// What happened, as the alert's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Failing,
    NeedsReconnect,
    PausedItself,
    Recovered,
    NewSales,
    /// A pasted key expires within two weeks: a new one is the person's to make.
    KeyExpiring,
}

/// One alert: a title and a line, in the creator's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub kind: AlertKind,
    /// The connection it is about; none for the sales summary.
    pub connection: Option<String>,
    pub title: String,
    pub body: String,
}

/// The trouble `health` is in, as a mark; none when it says nothing new (syncing, rate-limited and
/// waiting, paused by the person, stale, one failure that retries itself).
fn condition(health: &ConnectionHealth) -> Option<&'static str> {
    match health.state {
        // Reconnected after a refused key, not synced since: "syncs again" waits for the sync.
        HealthState::Healthy if last_run_failed(health) => None,
        // Healthy but asking for a new key before the old one expires.
        HealthState::Healthy if health.fix == Some(HealthFix::Reconnect) => Some(KEY_EXPIRING),
        HealthState::Healthy => Some(OK),
        HealthState::NeedsReconnect => Some("needs_reconnect"),
        HealthState::Paused if health.paused_by.as_deref() == Some("tributary") => {
            Some("paused_itself")
        }
        HealthState::Failing
            if health.consecutive_failures >= ALERT_AFTER_FAILURES
                || health.fix != Some(HealthFix::RetryNow) =>
        {
            Some("failing")
        }
        _ => None,
    }
}

const KEY_EXPIRING: &str = "key_expiring";

/// Whether the newest finished run of `health` failed.
fn last_run_failed(health: &ConnectionHealth) -> bool {
    health
        .recent_runs
        .iter()
        .find(|r| r.status == "succeeded" || r.status == "failed")
        .is_some_and(|r| r.status == "failed")
}

/// The alert owed when `health`'s mark moves from `from` to `to`; none for a first look that finds
/// it fine, and for a recovery nobody was told the trouble of.
fn transition(health: &ConnectionHealth, from: Option<&str>, to: &str) -> Option<Alert> {
    let shown = shown_name(&health.connection, &health.platform);
    let sentence = health.sentence.clone().unwrap_or_default();
    let (kind, title, body) = match to {
        OK => {
            // A key renewed in time never stopped syncing: nothing to tell.
            from.filter(|f| *f != OK && *f != KEY_EXPIRING)?;
            (
                AlertKind::Recovered,
                format!("{shown} syncs again"),
                "Its last sync succeeded.".to_string(),
            )
        }
        "needs_reconnect" => {
            let title = format!("{shown} needs reconnecting");
            // The sentence repeats the title; the body says why, and what to do.
            let reason = sentence
                .strip_prefix(&format!("{title}: "))
                .unwrap_or(&sentence)
                .trim_end_matches('.');
            let mut chars = reason.chars();
            let reason: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            (
                AlertKind::NeedsReconnect,
                title,
                format!("{reason}. Reconnect it under Integrations; its history is kept."),
            )
        }
        KEY_EXPIRING => (
            AlertKind::KeyExpiring,
            format!("{shown}'s API key expires soon"),
            sentence,
        ),
        "paused_itself" => (
            AlertKind::PausedItself,
            format!("{shown} paused itself"),
            sentence,
        ),
        _ => (
            AlertKind::Failing,
            format!("{shown} is failing to sync"),
            sentence,
        ),
    };
    Some(Alert {
        kind,
        connection: Some(health.connection.clone()),
        title,
        body,
    })
}

/// "412.30 USD and 19.99 EUR from Gumroad and Stripe" of the sales per (platform, currency); none
/// when there were none.
fn sales_summary(by_platform: &BTreeMap<(String, String), (i64, i64)>) -> Option<Alert> {
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    let mut platforms: BTreeSet<String> = BTreeSet::new();
    for ((platform, currency), (sales, _)) in by_platform {
        if *sales <= 0 {
            continue;
        }
        let total = totals.entry(currency).or_default();
        *total = total.saturating_add(*sales);
        platforms.insert(shown_name(platform, platform));
    }
    if totals.is_empty() {
        return None;
    }
    let amounts: Vec<String> = totals
        .into_iter()
        .map(|(code, minor)| match Currency::from_code(code) {
            Ok(currency) => Money::from_minor(minor, currency).to_string(),
            Err(_) => format!("{minor} {code} (minor units)"),
        })
        .collect();
    let platforms: Vec<String> = platforms.into_iter().collect();
    Some(Alert {
        kind: AlertKind::NewSales,
        connection: None,
        title: "New sales while Tributary was closed".into(),
        body: format!("{} from {}", and_list(&amounts), and_list(&platforms)),
    })
}

/// "a", "a and b", "a, b and c".
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Workspace {
    /// The alerts channel `channel` owes at `now`, each marked told as it is taken: a second caller
    /// (the other process) gets none of them. With `with_sales`, a summary of the sales that syncs
    /// finished since the last look brought in; without, those sales are marked seen (the window was
    /// open: the person saw them come in).
    pub fn take_alerts(
        &mut self,
        channel: &str,
        now: UtcInstant,
        with_sales: bool,
    ) -> Result<Vec<Alert>, EngineError> {
        let health = self.health(now)?;
        let ids: BTreeMap<String, i64> = self
            .ledger
            .connections()?
            .into_iter()
            .map(|c| (c.name, c.id))
            .collect();
        let mut marks = self.ledger.alert_marks(channel)?;
        let mut alerts = Vec::new();
        for h in &health {
            let (Some(to), Some(id)) = (condition(h), ids.get(&h.connection)) else {
                continue;
            };
            let subject = format!("connection:{id}");
            let from = marks.remove(&subject);
            if from.as_deref() == Some(to) {
                continue;
            }
            if self
                .ledger
                .move_alert_mark(channel, &subject, from.as_deref(), to, now)?
            {
                alerts.extend(transition(h, from.as_deref(), to));
            }
        }
        let from = marks.remove(SALES);
        let after = from.as_deref().and_then(|m| m.parse::<i64>().ok());
        let sales = self.ledger.sales_after_run(after)?;
        let to = sales.last_run.or(after).unwrap_or(0).to_string();
        if from.as_deref() != Some(to.as_str())
            && self
                .ledger
                .move_alert_mark(channel, SALES, from.as_deref(), &to, now)?
            && with_sales
            && from.is_some()
        {
            alerts.extend(sales_summary(&sales.by_platform));
        }
        Ok(alerts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&s(&["a"])), "a");
        assert_eq!(and_list(&s(&["a", "b"])), "a and b");
        assert_eq!(and_list(&s(&["a", "b", "c"])), "a, b and c");
    }

    #[test]
    fn sales_sum_per_currency_across_platforms() {
        let mut by = BTreeMap::new();
        by.insert(("gumroad".to_string(), "USD".to_string()), (30_000, 3));
        by.insert(("stripe".to_string(), "USD".to_string()), (11_230, 1));
        by.insert(("stripe".to_string(), "EUR".to_string()), (1_999, 1));
        by.insert(("whop".to_string(), "USD".to_string()), (0, 2));
        let alert = sales_summary(&by).expect("an alert");
        assert_eq!(
            alert.body,
            "19.99 EUR and 412.30 USD from Gumroad and Stripe"
        );
        by.clear();
        by.insert(("whop".to_string(), "USD".to_string()), (-500, 1));
        assert_eq!(sales_summary(&by), None);
    }
}
