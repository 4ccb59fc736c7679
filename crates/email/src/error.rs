//! Why an email did not go: in a sentence naming the way it was sent (never the key or password),
//! and whether trying again later can help (a server down or busy) or not (a refused key, an address
//! the server will not take).

use tributary_model::FailureClass;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{via}: {reason}")]
pub struct SendError {
    /// `Resend (POST /emails)`, `SMTP smtp.example.com:587`.
    pub via: String,
    pub reason: String,
    pub class: FailureClass,
    /// The wait a server asked for (a rate limit).
    pub retry_after_ms: Option<u64>,
}

impl SendError {
    pub fn new(via: impl Into<String>, class: FailureClass, reason: impl Into<String>) -> Self {
        SendError {
            via: via.into(),
            reason: reason.into(),
            class,
            retry_after_ms: None,
        }
    }

    /// Whether the same email may go through later without the person changing anything.
    pub fn is_worth_retrying(&self) -> bool {
        matches!(
            self.class,
            FailureClass::Transient | FailureClass::RateLimit
        )
    }
}
