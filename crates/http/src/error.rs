//! A failed request, in a sentence that names it (method and path, never a query's secrets or a
//! header), with the class that says what would fix it and, for rate limits, how long to wait.

use std::fmt;
use std::time::Duration;
use tributary_model::FailureClass;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub class: FailureClass,
    /// `GET /v2/sales?page_key=…`: what was asked, with secret-looking query values hidden.
    pub request: String,
    /// The last status the server answered, if it answered.
    pub status: Option<u16>,
    /// What went wrong, as a sentence without the request (which `Display` puts first).
    pub reason: String,
    /// For a rate limit: the wait the server asked for, when longer than the client would wait.
    pub retry_after: Option<Duration>,
    /// Retries made before giving up.
    pub retries: u32,
}

impl HttpError {
    pub fn new(class: FailureClass, request: impl Into<String>, reason: impl Into<String>) -> Self {
        HttpError {
            class,
            request: request.into(),
            status: None,
            reason: reason.into(),
            retry_after: None,
            retries: 0,
        }
    }

    /// The server answered, but not with what the contract promises: a body that does not parse, a
    /// field of the wrong type, an HTML page.
    pub fn unexpected(request: impl Into<String>, reason: impl Into<String>) -> Self {
        HttpError::new(FailureClass::UnexpectedData, request, reason)
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
}

/// The class of a final (not retried, or retried to the end) status.
pub fn class_of_status(status: u16) -> FailureClass {
    match status {
        401 => FailureClass::Authentication,
        429 => FailureClass::RateLimit,
        408 | 500..=599 => FailureClass::Transient,
        _ => FailureClass::Configuration,
    }
}

/// Whether another attempt of the same request may succeed.
pub fn status_is_retryable(status: u16) -> bool {
    matches!(status, 408 | 429 | 500..=599)
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.request, self.reason)?;
        if self.retries > 0 {
            let s = if self.retries == 1 { "y" } else { "ies" };
            write!(f, " (after {} retr{s})", self.retries)?;
        }
        Ok(())
    }
}

impl std::error::Error for HttpError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_what_would_fix_them() {
        assert_eq!(class_of_status(401), FailureClass::Authentication);
        assert_eq!(class_of_status(403), FailureClass::Configuration);
        assert_eq!(class_of_status(404), FailureClass::Configuration);
        assert_eq!(class_of_status(429), FailureClass::RateLimit);
        assert_eq!(class_of_status(503), FailureClass::Transient);
        assert!(status_is_retryable(502) && status_is_retryable(429) && !status_is_retryable(401));
        let e = HttpError {
            retries: 2,
            ..HttpError::new(
                FailureClass::Transient,
                "GET /v2/sales",
                "the server failed (503)",
            )
        };
        assert_eq!(
            e.to_string(),
            "GET /v2/sales: the server failed (503) (after 2 retries)"
        );
    }
}
