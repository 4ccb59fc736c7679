//! The record of one request, kept on the sync run: what was asked (secrets hidden), how it ended,
//! how long it took and how many retries it needed.

use std::time::Duration;
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    /// Path and query, with the values of secret-looking query parameters replaced by `***`.
    pub target: String,
    /// The final status; `None` when no response came (connection refused, timeout).
    pub status: Option<u16>,
    pub duration: Duration,
    pub retries: u32,
}

/// Query parameters that carry credentials on some platforms (Gumroad's `access_token`, OAuth's
/// `code` and `client_secret`): never written down even though Tributary sends tokens in headers.
const SECRET_PARAMS: [&str; 8] = [
    "access_token",
    "refresh_token",
    "client_secret",
    "code",
    "token",
    "key",
    "api_key",
    "password",
];

/// `/v2/sales?after=2026-01-01&access_token=***`: the part of a URL that is safe to log.
pub fn redacted_target(url: &Url) -> String {
    let mut target = url.path().to_string();
    if url.query().is_some() {
        let pairs: Vec<String> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret = SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s));
                let v = if secret { "***".into() } else { v };
                format!("{k}={v}")
            })
            .collect();
        target.push('?');
        target.push_str(&pairs.join("&"));
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_query_values_are_hidden_and_the_rest_kept() {
        let url = Url::parse(
            "https://api.example.com/v2/sales?after=2026-01-01&access_token=abc123&page_key=k1",
        )
        .unwrap();
        let target = redacted_target(&url);
        assert_eq!(
            target,
            "/v2/sales?after=2026-01-01&access_token=***&page_key=k1"
        );
        assert!(!target.contains("abc123"));
        assert_eq!(
            redacted_target(&Url::parse("http://h/v1/orders").unwrap()),
            "/v1/orders"
        );
    }
}
