//! Why an OAuth flow or a refresh gave nothing: a kind the caller branches on (a denial is not a
//! timeout; a refused refresh means "reconnect"), its `FailureClass`, and a sentence naming the
//! platform. No token, code, verifier, state or authorization URL is ever put in one.

use std::fmt;
use std::time::Duration;
use tributary_model::FailureClass;

use crate::ConnectorError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuthErrorKind {
    /// The endpoints or the client are not usable (no client id, a bad URL, an address the
    /// listener cannot bind); or the server refused the client or the request itself
    /// (`invalid_client`, `invalid_scope`, `unauthorized_client`, `invalid_request`…).
    Configuration,
    /// The person declined in the browser (`error=access_denied`).
    Denied,
    /// A callback came with another `state` than this flow's: it was ignored and the flow ended.
    StateMismatch,
    /// No callback came in time.
    TimedOut,
    /// The caller cancelled the flow.
    Cancelled,
    /// The server refused the code or the refresh token (`invalid_grant`): expired, used already,
    /// revoked, or a PKCE verifier that does not match. For a refresh: the connection needs to be
    /// authorized again.
    InvalidGrant,
    /// The authorization server answered an error the flow cannot act on (5xx, 429, a body that is
    /// not a token response, another OAuth error code in the redirect).
    Server,
    /// The token endpoint could not be reached, or the answer broke off.
    Transport,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    pub kind: OAuthErrorKind,
    pub class: FailureClass,
    /// The platform's name (`Whop`).
    pub platform: String,
    /// What happened, as a sentence without the platform (which `Display` puts first).
    pub reason: String,
}

impl OAuthError {
    pub(crate) fn new(
        kind: OAuthErrorKind,
        class: FailureClass,
        platform: &str,
        reason: impl Into<String>,
    ) -> Self {
        OAuthError {
            kind,
            class,
            platform: platform.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn configuration(platform: &str, reason: impl Into<String>) -> Self {
        Self::new(
            OAuthErrorKind::Configuration,
            FailureClass::Configuration,
            platform,
            reason,
        )
    }

    pub(crate) fn denied(platform: &str) -> Self {
        Self::new(
            OAuthErrorKind::Denied,
            FailureClass::Authentication,
            platform,
            "the authorization was declined in the browser, so nothing was connected",
        )
    }

    pub(crate) fn state_mismatch(platform: &str) -> Self {
        Self::new(
            OAuthErrorKind::StateMismatch,
            FailureClass::Authentication,
            platform,
            "the answer that reached Tributary belonged to another connection attempt (its state \
             did not match), so it was ignored and nothing was connected; connect again",
        )
    }

    pub(crate) fn timed_out(platform: &str, after: Duration) -> Self {
        Self::new(
            OAuthErrorKind::TimedOut,
            FailureClass::Transient,
            platform,
            format!(
                "no answer came back from the browser within {}, so nothing was connected; connect \
                 again",
                spoken(after)
            ),
        )
    }

    pub(crate) fn cancelled(platform: &str) -> Self {
        Self::new(
            OAuthErrorKind::Cancelled,
            FailureClass::Transient,
            platform,
            "connecting was cancelled, so nothing was connected",
        )
    }

    pub(crate) fn invalid_grant(platform: &str, what: &str, said: &str) -> Self {
        Self::new(
            OAuthErrorKind::InvalidGrant,
            FailureClass::Authentication,
            platform,
            format!(
                "{platform} refused the {what} (invalid_grant{said}): it has expired, was used \
                 already or was revoked; connect {platform} again"
            ),
        )
    }

    pub(crate) fn server(platform: &str, class: FailureClass, reason: impl Into<String>) -> Self {
        Self::new(OAuthErrorKind::Server, class, platform, reason)
    }

    pub(crate) fn transport(platform: &str, reason: impl Into<String>) -> Self {
        Self::new(
            OAuthErrorKind::Transport,
            FailureClass::Transient,
            platform,
            reason,
        )
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.platform, self.reason)
    }
}

impl std::error::Error for OAuthError {}

/// For the engine, which reports every connector failure the same way (the kind is lost: branch on
/// it before converting).
impl From<OAuthError> for ConnectorError {
    fn from(e: OAuthError) -> Self {
        ConnectorError {
            class: e.class,
            platform: e.platform,
            request: None,
            reason: e.reason,
            retry_after: None,
        }
    }
}

/// "5 minutes", "90 seconds".
fn spoken(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 && secs.is_multiple_of(60) {
        let m = secs / 60;
        format!("{m} minute{}", if m == 1 { "" } else { "s" })
    } else if secs >= 1 {
        format!("{secs} second{}", if secs == 1 { "" } else { "s" })
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// Text from a server (an `error_description`), made safe to show: printable characters only,
/// at most 200 of them, and any of `secrets` that it repeats replaced.
pub(crate) fn scrubbed(text: &str, secrets: &[&str]) -> String {
    let mut clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        clean = clean.replace(secret, "<hidden>");
    }
    match clean.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &clean[..i]),
        None => clean,
    }
}

/// An OAuth error code as sent (`access_denied`), kept only if it looks like one.
pub(crate) fn error_code(text: &str) -> String {
    if !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        text.to_string()
    } else {
        "an unreadable error code".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_server_text_read_well() {
        assert_eq!(spoken(Duration::from_secs(300)), "5 minutes");
        assert_eq!(spoken(Duration::from_secs(90)), "90 seconds");
        assert_eq!(spoken(Duration::from_millis(200)), "200 ms");
        assert_eq!(
            scrubbed("code abcd1234 expired\n", &["abcd1234"]),
            "code <hidden> expired "
        );
        assert_eq!(error_code("access_denied"), "access_denied");
        assert_eq!(error_code("<script>"), "an unreadable error code");
    }

    #[test]
    fn a_refused_refresh_means_reconnect() {
        let e = OAuthError::invalid_grant("Whop", "refresh token", "");
        assert_eq!(e.class, FailureClass::Authentication);
        let c: ConnectorError = e.clone().into();
        assert_eq!(c.class, FailureClass::Authentication);
        assert!(
            e.to_string()
                .starts_with("Whop: Whop refused the refresh token"),
            "{e}"
        );
    }
}
