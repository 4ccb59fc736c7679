//! How patient a client is: timeouts, how many retries and how long between them, and the platform's
//! published rate limit.

use std::time::Duration;

/// A platform's published limit: at most `requests` in any `per`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub per: Duration,
}

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Until the TCP and TLS handshakes are done.
    pub connect_timeout: Duration,
    /// For one whole attempt, headers and body.
    pub request_timeout: Duration,
    /// Retries after the first attempt (so `retries + 1` attempts at most).
    pub retries: usize,
    /// The first backoff's ceiling; each retry doubles it, up to `max_delay`.
    pub min_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` waited for within a request; a longer one fails the request as a rate
    /// limit carrying the time to wait, for the scheduler to honour.
    pub max_retry_after: Duration,
    pub rate_limit: Option<RateLimit>,
    pub user_agent: String,
}

impl ClientConfig {
    /// The defaults, within at most `requests` in any `per` (a platform's published limit).
    pub fn within(requests: u32, per: Duration) -> Self {
        ClientConfig {
            rate_limit: Some(RateLimit { requests, per }),
            ..ClientConfig::default()
        }
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            // What dlt does by default (shared/notes/connections-crates.md): a handful, 1 s to 16 s.
            retries: 4,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(16),
            max_retry_after: Duration::from_secs(120),
            rate_limit: None,
            user_agent: concat!("Tributary/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}
