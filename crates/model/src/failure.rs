//! Why a request to a platform, or a whole sync, failed — the classes the health view shows and the
//! fix each one asks for. The HTTP client sets the class from what the server said; the engine keeps it
//! on the sync run.

use std::fmt;
use std::str::FromStr;

/// What kind of failure it was, which decides what the person (or the scheduler) should do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// The platform refused the credentials (401, a refused refresh, a revoked key): reconnect.
    Authentication,
    /// The credentials work but may not do this (403, a missing scope), or a setting is wrong: check the
    /// key's permissions or the connection's settings. Retrying does not help.
    Configuration,
    /// The platform asked us to slow down (429) and we ran out of patience waiting: wait, then retry.
    RateLimit,
    /// The network or the server failed (connection refused, timeout, 5xx): retry later.
    Transient,
    /// The server answered something we cannot read (malformed JSON, an HTML page, a field of the wrong
    /// type): nothing from that page was written; retrying may not help until the platform or Tributary
    /// changes.
    UnexpectedData,
}

impl FailureClass {
    pub const ALL: [FailureClass; 5] = [
        FailureClass::Authentication,
        FailureClass::Configuration,
        FailureClass::RateLimit,
        FailureClass::Transient,
        FailureClass::UnexpectedData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Authentication => "authentication",
            FailureClass::Configuration => "configuration",
            FailureClass::RateLimit => "rate_limit",
            FailureClass::Transient => "transient",
            FailureClass::UnexpectedData => "unexpected_data",
        }
    }

    /// Whether the same request could succeed if simply tried again later.
    pub fn is_retryable(self) -> bool {
        matches!(self, FailureClass::RateLimit | FailureClass::Transient)
    }
}

impl fmt::Display for FailureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a failure class")]
pub struct UnknownFailureClass(pub String);

impl FromStr for FailureClass {
    type Err = UnknownFailureClass;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FailureClass::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownFailureClass(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_only_waiting_helps_rate_limits_and_outages() {
        for class in FailureClass::ALL {
            assert_eq!(class.as_str().parse::<FailureClass>(), Ok(class));
        }
        assert!("auth".parse::<FailureClass>().is_err());
        let retryable: Vec<_> = FailureClass::ALL
            .into_iter()
            .filter(|c| c.is_retryable())
            .collect();
        assert_eq!(
            retryable,
            [FailureClass::RateLimit, FailureClass::Transient]
        );
    }
}
