//! One email out, the way the settings say: Resend's API (at `TRIBUTARY_RESEND_BASE_URL` when set, for
//! the stand-in in tests) on a runtime of this thread, or SMTP on this thread. Callers are the test
//! email (at once, the error shown) and the job queue's email jobs (retried when worth it).

use crate::connections::runtime;
use crate::email_settings::EmailVia;
use crate::error::EngineError;
use std::time::Duration;
use tributary_email::{send_resend, send_smtp, Email, SendError, RESEND_BASE_URL};
use tributary_http::{ClientConfig, HttpClient, Url};
use tributary_model::{FailureClass, Sensitive};

/// Where Resend's API is, for a stand-in.
pub const RESEND_BASE_URL_ENV: &str = "TRIBUTARY_RESEND_BASE_URL";

pub(crate) fn deliver(
    via: &EmailVia,
    secret: Option<&Sensitive<String>>,
    email: &Email,
) -> Result<String, EngineError> {
    match via {
        EmailVia::Smtp(server) => Ok(send_smtp(server, secret, email)?),
        EmailVia::Resend => {
            let via = "Resend (POST /emails)";
            let key = secret.ok_or_else(|| {
                SendError::new(via, FailureClass::Authentication, "no API key is saved")
            })?;
            let text =
                std::env::var(RESEND_BASE_URL_ENV).unwrap_or_else(|_| RESEND_BASE_URL.into());
            let base = Url::parse(&format!("{}/", text.trim_end_matches('/'))).map_err(|e| {
                SendError::new(via, FailureClass::Configuration, format!("{text}: {e}"))
            })?;
            // A couple of quick retries; the job queue retries later ones.
            let client = HttpClient::new(ClientConfig {
                retries: 2,
                request_timeout: Duration::from_secs(30),
                ..ClientConfig::default()
            })
            .map_err(|e| SendError::new(via, e.class, e.reason))?;
            Ok(runtime()?.block_on(send_resend(&client, &base, key, email))?)
        }
    }
}
