//! The emails alerts and digests become: each transition the email channel owes (`alerts.rs`, its own
//! marks) and, once a day after the chosen time in the ledger's zone, a digest of yesterday ("Yesterday:
//! 412.30 USD from 3 platforms; Whop needs reconnecting"), queued as `email` jobs in the ledger's job
//! queue. The scheduler that holds the runner lease queues them and sends them, so one process sends
//! each; a send that fails for a reason worth waiting out (a server down, a rate limit) is retried with
//! the queue's backoff, and the email's idempotency key keeps a retry after a crash from sending twice.

use crate::alerts::{and_list, Alert};
use crate::email_settings::{EmailSettings, EMAIL};
use crate::error::EngineError;
use crate::health::HealthState;
use crate::health_summary::shown_name;
use crate::workspace::Workspace;
use std::collections::BTreeSet;
use std::path::Path;
use tributary_email::Email;
use tributary_ledger::{GroupBy, NewJob, ReportQuery};
use tributary_model::{Currency, Day, Money, UtcInstant};

/// Tries per email before it is dead (1 + 4 retries: about 30 s, 1, 2 and 4 minutes apart).
pub(crate) const EMAIL_ATTEMPTS: u32 = 5;
const DIGEST: &str = "digest";

impl Workspace {
    /// Queues the emails owed at `now` (none when email alerts are not set up); how many. The
    /// channel's marks move even with connection alerts off, so turning them on replays nothing.
    pub fn queue_email_alerts(&mut self, now: UtcInstant) -> Result<usize, EngineError> {
        let Some(settings) = self.email_settings()? else {
            return Ok(0);
        };
        let mut emails = Vec::new();
        let alerts = self.take_alerts(EMAIL, now, false)?;
        if settings.alerts {
            emails.extend(alerts.iter().map(|a| alert_email(&settings, a, now)));
        }
        if let Some(at) = settings.digest_at {
            emails.extend(self.digest_due(&settings, at, now)?);
        }
        for email in &emails {
            let job = NewJob {
                kind: "email".into(),
                payload: serde_json::to_string(email).map_err(|e| EngineError::Query {
                    reason: format!("could not write the email job: {e}"),
                })?,
                dedupe_key: Some(format!("email:{}", email.idempotency_key)),
                run_at: now,
                max_attempts: EMAIL_ATTEMPTS,
            };
            self.ledger.enqueue_job(&job, now)?;
        }
        Ok(emails.len())
    }

    /// Yesterday's digest, once `at` (minutes after midnight in the ledger's zone) has passed today
    /// and it has not been sent today.
    fn digest_due(
        &mut self,
        settings: &EmailSettings,
        at: u16,
        now: UtcInstant,
    ) -> Result<Option<Email>, EngineError> {
        let zone = self.zone()?;
        if zone.minute_of_day(now) < u32::from(at) {
            return Ok(None);
        }
        let today = zone.day(now).iso();
        let sent = self.ledger.alert_marks(EMAIL)?.remove(DIGEST);
        if sent.as_deref() == Some(today.as_str())
            || !self
                .ledger
                .move_alert_mark(EMAIL, DIGEST, sent.as_deref(), &today, now)?
        {
            return Ok(None);
        }
        let yesterday = zone.day(now).pred();
        Ok(Some(self.digest(settings, yesterday, zone.name(), now)?))
    }

    /// The digest of `day`: its net income per currency and the platforms it came from, and what
    /// needs the person now.
    pub(crate) fn digest(
        &self,
        settings: &EmailSettings,
        day: Day,
        zone: &str,
        now: UtcInstant,
    ) -> Result<Email, EngineError> {
        let report = self.report(&ReportQuery {
            from: Some(day),
            to: Some(day),
            by: Some(GroupBy::Platform),
        })?;
        let amounts: Vec<String> = report
            .totals
            .iter()
            .filter(|t| t.events > 0)
            .map(|t| money(t.net_minor, &t.currency))
            .collect();
        let platforms: BTreeSet<String> = report
            .groups
            .iter()
            .filter(|g| g.figures.events > 0)
            .map(|g| shown_name(&g.key, &g.key))
            .collect();
        let troubles: Vec<String> = self
            .health(now)?
            .into_iter()
            .filter(|h| !matches!(h.state, HealthState::Healthy | HealthState::Syncing))
            .filter(|h| {
                h.state != HealthState::Paused || h.paused_by.as_deref() == Some("tributary")
            })
            .filter_map(|h| h.sentence)
            .collect();
        let income = match (amounts.as_slice(), platforms.len()) {
            ([], _) => "no new income".to_string(),
            (_, 1) => format!("{} from {}", and_list(&amounts), first(&platforms)),
            (_, n) => format!("{} from {n} platforms", and_list(&amounts)),
        };
        let subject = match troubles.as_slice() {
            [] => format!("Yesterday: {income}"),
            [one] => format!("Yesterday: {income}; {}", headline(one)),
            many => format!(
                "Yesterday: {income}; {} connections need attention",
                many.len()
            ),
        };
        let mut paragraphs = vec![format!(
            "{} ({zone}), net of fees and refunds:",
            long_day(day)
        )];
        let lines: Vec<String> = report
            .groups
            .iter()
            .filter(|g| g.figures.events > 0)
            .map(|g| {
                format!(
                    "{}: {}",
                    shown_name(&g.key, &g.key),
                    money(g.figures.net_minor, &g.figures.currency)
                )
            })
            .collect();
        paragraphs.push(match lines.is_empty() {
            true => "Nothing new came in.".to_string(),
            false => lines.join("\n"),
        });
        paragraphs.push(match troubles.is_empty() {
            true => "Every connection is fine.".to_string(),
            false => troubles.join("\n"),
        });
        paragraphs.push("Tributary".into());
        Ok(Email::of(
            &settings.from,
            &settings.to,
            &subject,
            &paragraphs,
            &format!("digest-{}", day.iso()),
        ))
    }
}

fn first(set: &BTreeSet<String>) -> String {
    set.iter().next().cloned().unwrap_or_default()
}

/// "Whop needs reconnecting: …" → "Whop needs reconnecting".
fn headline(sentence: &str) -> String {
    let cut = sentence.find([':', ';']).unwrap_or(sentence.len());
    sentence[..cut].trim_end_matches('.').to_string()
}

fn money(minor: i64, code: &str) -> String {
    match Currency::from_code(code) {
        Ok(currency) => Money::from_minor(minor, currency).to_string(),
        Err(_) => format!("{minor} {code} (minor units)"),
    }
}

/// "Saturday 5 December 2026".
fn long_day(day: Day) -> String {
    let iso = day.iso();
    jiff::civil::Date::strptime("%Y-%m-%d", &iso)
        .map(|d| d.strftime("%A %-d %B %Y").to_string())
        .unwrap_or(iso)
}

/// An email of one alert.
fn alert_email(settings: &EmailSettings, alert: &Alert, now: UtcInstant) -> Email {
    let what = alert.connection.as_deref().unwrap_or("sales");
    Email::of(
        &settings.from,
        &settings.to,
        &alert.title,
        &[
            alert.body.clone(),
            "Open Tributary's Health page for the runs and what to do.".into(),
            "Tributary".into(),
        ],
        &format!("alert-{:?}-{what}-{}", alert.kind, now.millis()),
    )
}

/// Sends email job `payload` (an `Email`) the way the settings now say.
pub(crate) fn send_email_job(dir: &Path, payload: &str) -> Result<String, EngineError> {
    let email: Email = serde_json::from_str(payload).map_err(|e| EngineError::Query {
        reason: format!("the email job does not read ({e})"),
    })?;
    let workspace = Workspace::open(dir)?;
    let settings = workspace
        .email_settings()?
        .ok_or_else(|| EngineError::EmailInvalid("email alerts were turned off".into()))?;
    workspace.deliver(&settings, &email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_names_the_day_and_the_trouble_as_people_say_them() {
        assert_eq!(
            long_day(Day::parse("2026-12-05").unwrap()),
            "Saturday 5 December 2026"
        );
        assert_eq!(
            headline("Whop needs reconnecting: the key was refused."),
            "Whop needs reconnecting"
        );
        assert_eq!(
            headline(
                "Gumroad failed 3 times in a row: 503; it is retried on its own, or retry now."
            ),
            "Gumroad failed 3 times in a row"
        );
    }
}
