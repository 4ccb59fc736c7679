//! A connector's failure: the platform, the request and the reason in a sentence, and its class.

use std::fmt;
use tributary_http::HttpError;
use tributary_model::FailureClass;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorError {
    pub class: FailureClass,
    /// The platform's name (`Gumroad`).
    pub platform: String,
    /// The request (`GET /v2/sales?page_key=…`), with the page it was, when there was one.
    pub request: Option<String>,
    pub reason: String,
    pub retry_after: Option<std::time::Duration>,
}

impl ConnectorError {
    pub fn configuration(platform: &str, reason: impl Into<String>) -> Self {
        ConnectorError {
            class: FailureClass::Configuration,
            platform: platform.to_string(),
            request: None,
            reason: reason.into(),
            retry_after: None,
        }
    }

    pub fn unsupported(platform: &str) -> Self {
        ConnectorError::configuration(
            platform,
            format!(
                "Tributary cannot connect to \"{platform}\" (it can connect to {})",
                crate::platforms().map(|p| p.id).join(", ")
            ),
        )
    }

    /// From the HTTP client's error, `what` saying which page it was.
    pub fn http(platform: &str, what: &str, e: HttpError) -> Self {
        ConnectorError {
            class: e.class,
            platform: platform.to_string(),
            request: Some(format!("{} ({what})", e.request)),
            reason: e
                .to_string()
                .split_once(": ")
                .map_or(e.reason.clone(), |(_, r)| r.to_string()),
            retry_after: e.retry_after,
        }
    }

    pub fn unexpected(platform: &str, request: &str, reason: impl Into<String>) -> Self {
        ConnectorError {
            class: FailureClass::UnexpectedData,
            platform: platform.to_string(),
            request: Some(request.to_string()),
            reason: reason.into(),
            retry_after: None,
        }
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.request {
            Some(request) => write!(f, "{}, {request}: {}", self.platform, self.reason),
            None => write!(f, "{}: {}", self.platform, self.reason),
        }
    }
}

impl std::error::Error for ConnectorError {}
