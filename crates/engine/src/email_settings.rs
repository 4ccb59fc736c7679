//! How the person wants alerts by email: to and from which address, through Resend (an API key) or an
//! SMTP server (a host, a port, how it is protected, a login), whether connection alerts go out, and
//! when the daily digest does. Kept in the ledger (`ledger/src/alert_settings.rs`: every process reads
//! it); the API key or SMTP password in the secret store, never beside it. A test email goes out at once
//! through the same path the alerts take, so that its error is the one an alert would meet.

use crate::error::EngineError;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use tributary_email::{check_address, Email, SmtpServer};
use tributary_model::{Sensitive, UtcInstant};

/// The alert channel of emails (its own marks: an alert told on the desktop is still owed by email).
pub const EMAIL: &str = "email";

/// The secret store's key of the way emails go out.
const RESEND_SECRET: &str = "email-resend-api-key";
const SMTP_SECRET: &str = "email-smtp-password";

/// The way emails go out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EmailVia {
    /// Resend's HTTP API; its key is in the secret store.
    Resend,
    /// An SMTP server; its password (if it asks for a login) is in the secret store.
    Smtp(SmtpServer),
}

impl EmailVia {
    fn secret_key(&self) -> &'static str {
        match self {
            EmailVia::Resend => RESEND_SECRET,
            EmailVia::Smtp(_) => SMTP_SECRET,
        }
    }

    /// "Resend", "SMTP smtp.example.com:587".
    pub fn words(&self) -> String {
        match self {
            EmailVia::Resend => "Resend".into(),
            EmailVia::Smtp(s) => format!("SMTP {}:{}", s.host, s.port),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EmailSettings {
    pub to: String,
    pub from: String,
    pub via: EmailVia,
    /// Connection alerts: failing, needs reconnecting, paused itself, syncs again.
    #[serde(default = "yes")]
    pub alerts: bool,
    /// The daily digest's time, minutes after midnight in the ledger's time zone; none: no digest.
    #[serde(default)]
    pub digest_at: Option<u16>,
}

fn yes() -> bool {
    true
}

impl EmailSettings {
    fn check(&self) -> Result<(), EngineError> {
        check_address(&self.to).map_err(|e| EngineError::EmailInvalid(format!("to: {e}")))?;
        check_address(&self.from).map_err(|e| EngineError::EmailInvalid(format!("from: {e}")))?;
        if let EmailVia::Smtp(s) = &self.via {
            if s.host.trim().is_empty() || s.port == 0 {
                return Err(EngineError::EmailInvalid(
                    "the SMTP server needs a host and a port".into(),
                ));
            }
        }
        if self.digest_at.is_some_and(|m| m >= 24 * 60) {
            return Err(EngineError::EmailInvalid(
                "the digest's time is a time of day, 00:00 to 23:59".into(),
            ));
        }
        Ok(())
    }
}

/// "08:30" → 510 minutes after midnight.
pub fn parse_time_of_day(text: &str) -> Result<u16, EngineError> {
    let refused = || {
        EngineError::EmailInvalid(format!(
            "\"{text}\" is not a time of day (HH:MM, 00:00 to 23:59)"
        ))
    };
    let (h, m) = text.trim().split_once(':').ok_or_else(refused)?;
    let (h, m): (u16, u16) = (
        h.parse().map_err(|_| refused())?,
        m.parse().map_err(|_| refused())?,
    );
    if h > 23 || m > 59 || minute_digits(text) != 2 {
        return Err(refused());
    }
    Ok(h * 60 + m)
}

/// Digits after the colon: "8:30" and "08:30" are times, "08:3" is not.
fn minute_digits(text: &str) -> usize {
    text.trim().split_once(':').map_or(0, |(_, m)| m.len())
}

impl Workspace {
    /// The email settings, if email alerts are set up.
    pub fn email_settings(&self) -> Result<Option<EmailSettings>, EngineError> {
        let Some(json) = self.ledger.email_alerts()? else {
            return Ok(None);
        };
        serde_json::from_str(&json).map(Some).map_err(|e| {
            EngineError::EmailInvalid(format!("the saved email settings do not read ({e})"))
        })
    }

    /// Saves `settings`, with the key or password `secret` when one is given (else the one saved
    /// before is kept: Resend needs one).
    pub fn set_email(
        &mut self,
        settings: &EmailSettings,
        secret: Option<Sensitive<String>>,
    ) -> Result<(), EngineError> {
        settings.check()?;
        let store = self.secret_store()?;
        let key = settings.via.secret_key();
        match secret.filter(|s| !s.expose().trim().is_empty()) {
            Some(secret) => store.set(key, &secret)?,
            None if settings.via == EmailVia::Resend && store.get(key)?.is_none() => {
                return Err(EngineError::EmailInvalid(
                    "Resend needs its API key (re_…)".into(),
                ))
            }
            None => {}
        }
        let json = serde_json::to_string(settings).map_err(|e| EngineError::Query {
            reason: format!("could not write the email settings: {e}"),
        })?;
        Ok(self.ledger.set_email_alerts(Some(&json))?)
    }

    /// Turns email alerts off and forgets their key and password.
    pub fn remove_email(&mut self) -> Result<(), EngineError> {
        let store = self.secret_store()?;
        store.delete(RESEND_SECRET)?;
        store.delete(SMTP_SECRET)?;
        Ok(self.ledger.set_email_alerts(None)?)
    }

    /// Sends a test email now; what the server answered (Resend's id, the SMTP server's line).
    pub fn send_test_email(&self, now: UtcInstant) -> Result<String, EngineError> {
        let settings = self
            .email_settings()?
            .ok_or_else(|| EngineError::EmailInvalid("email alerts are not set up".into()))?;
        let email = Email::of(
            &settings.from,
            &settings.to,
            "Tributary's test email",
            &[
                format!(
                    "This is the test email you asked for, sent through {}. Alerts and digests will come the same way.",
                    settings.via.words()
                ),
                "Tributary".into(),
            ],
            &format!("test-{}", now.millis()),
        );
        self.deliver(&settings, &email)
    }

    /// Sends `email` the way `settings` says, with its secret from the store.
    pub(crate) fn deliver(
        &self,
        settings: &EmailSettings,
        email: &Email,
    ) -> Result<String, EngineError> {
        let secret = self.secret_store()?.get(settings.via.secret_key())?;
        crate::email_delivery::deliver(&settings.via, secret.as_ref(), email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_read_as_people_write_them() {
        assert_eq!(parse_time_of_day("08:30").unwrap(), 510);
        assert_eq!(parse_time_of_day("00:00").unwrap(), 0);
        assert_eq!(parse_time_of_day("23:59").unwrap(), 1439);
        assert_eq!(parse_time_of_day("8:30").unwrap(), 510);
        for bad in ["24:00", "08:3", "08:60", "noon", "08-30", "", "123:00"] {
            assert!(parse_time_of_day(bad).is_err(), "{bad}");
        }
    }
}
