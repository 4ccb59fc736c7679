//! Sending through Resend: `POST /emails` with the API key as a bearer token and the email's key as
//! `Idempotency-Key`, so that a retry (ours, or the job queue's after a crash) within Resend's 24 hours
//! sends one email. Answers `{"id": …}`. A 429 is a rate limit (wait and try again) unless it says a
//! daily or monthly quota is spent, which waiting minutes does not fix.

use crate::{Email, SendError};
use serde::Deserialize;
use tributary_http::header::{HeaderMap, HeaderValue};
use tributary_http::{HttpClient, HttpError, Method, Url};
use tributary_model::{FailureClass, Sensitive};

/// Resend's API; a test points `TRIBUTARY_RESEND_BASE_URL` at its stand-in instead.
pub const RESEND_BASE_URL: &str = "https://api.resend.com";

#[derive(Deserialize)]
struct Sent {
    id: String,
}

/// Sends `email` through the Resend API at `base` (no trailing slash needed); the id Resend gave it.
pub async fn send_resend(
    client: &HttpClient,
    base: &Url,
    key: &Sensitive<String>,
    email: &Email,
) -> Result<String, SendError> {
    let via = "Resend (POST /emails)";
    let url = base.join("emails").map_err(|e| {
        SendError::new(
            via,
            FailureClass::Configuration,
            format!("bad address: {e}"),
        )
    })?;
    let mut headers = HeaderMap::new();
    let bearer = HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
        SendError::new(
            via,
            FailureClass::Configuration,
            "the API key has characters no header can carry",
        )
    })?;
    headers.insert("authorization", bearer);
    if let Ok(value) = HeaderValue::from_str(&email.idempotency_key) {
        headers.insert("idempotency-key", value);
    }
    let body = serde_json::json!({
        "from": email.from,
        "to": [email.to],
        "subject": email.subject,
        "text": email.text,
        "html": email.html,
    });
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    // Safe to repeat: the idempotency key makes a second POST answer the first one's result.
    let response = client
        .send_with(
            Method::POST,
            url,
            headers,
            Some(("application/json", bytes)),
            true,
        )
        .await
        .map_err(|e| send_error(via, e))?;
    let sent: Sent = response.json().map_err(|e| send_error(via, e))?;
    Ok(sent.id)
}

fn send_error(via: &str, e: HttpError) -> SendError {
    let quota = e.status == Some(429) && e.reason.contains("quota");
    let class = match e.class {
        // A spent daily or monthly quota: no retry within minutes helps.
        FailureClass::RateLimit if quota => FailureClass::Configuration,
        // 403: a key Resend does not know, or a sender domain it has not verified.
        class => class,
    };
    SendError {
        via: via.to_string(),
        reason: e.reason,
        class,
        retry_after_ms: e.retry_after.map(|d| d.as_millis() as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spent_quota_is_not_waited_out_but_a_rate_limit_is() {
        let limited = |reason: &str| {
            HttpError::new(FailureClass::RateLimit, "POST /emails", reason).with_status(429)
        };
        let quota = send_error(
            "Resend",
            limited("the server asked to slow down (429): \"You have reached your daily email sending quota.\""),
        );
        assert_eq!(quota.class, FailureClass::Configuration);
        assert!(!quota.is_worth_retrying());
        let busy = send_error("Resend", limited("the server asked to slow down (429)"));
        assert!(busy.is_worth_retrying());
    }
}
