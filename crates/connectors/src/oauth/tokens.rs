//! What a successful flow or refresh hands back: the access token, the refresh token when there is
//! one, when the access token expires, and the scopes granted. Kept whole in the secret store as
//! JSON text (`to_json`/`from_json`), never anywhere else: `Debug` shows no token, and there is no
//! `Serialize`, so writing one out is always this explicit call.

use serde::{Deserialize, Serialize};
use std::time::Duration;
use tributary_model::{Sensitive, UtcInstant};

use super::error::OAuthError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthTokens {
    pub access_token: Sensitive<String>,
    /// `None` when the server issues none. After a refresh whose answer had none, the refresh token
    /// sent (RFC 6749 §6); a rotating server (Whop) always sends a new one, and the old one is dead.
    pub refresh_token: Option<Sensitive<String>>,
    /// From `expires_in`; `None` when the server gave none (Gumroad's tokens never expire).
    pub expires_at: Option<UtcInstant>,
    /// Granted scopes: the answer's `scope`, or those asked for when it had none.
    pub scopes: Vec<String>,
}

/// The stored shape. Field names are part of the secret store's format: change them with care.
#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
}

impl OAuthTokens {
    /// Whether the access token is expired, or expires within `margin` of `now` (refresh ahead of
    /// expiry). A token without an expiry never is.
    pub fn expires_within(&self, margin: Duration, now: UtcInstant) -> bool {
        let margin = i64::try_from(margin.as_millis()).unwrap_or(i64::MAX);
        self.expires_at
            .is_some_and(|at| at.millis() <= now.millis().saturating_add(margin))
    }

    /// The JSON text for the secret store, itself `Sensitive`.
    pub fn to_json(&self) -> Sensitive<String> {
        let stored = Stored {
            access_token: self.access_token.expose().clone(),
            refresh_token: self.refresh_token.as_ref().map(|t| t.expose().clone()),
            expires_at: self.expires_at.map(UtcInstant::to_rfc3339),
            scopes: self.scopes.clone(),
        };
        // Strings and a list of strings always serialize.
        Sensitive::new(serde_json::to_string(&stored).unwrap_or_default())
    }

    /// Reads what `to_json` wrote; `platform` names whose credential it is in the error, which
    /// says where the text stopped making sense but never quotes it.
    pub fn from_json(platform: &str, text: &str) -> Result<OAuthTokens, OAuthError> {
        let unreadable = |what: String| {
            OAuthError::configuration(
                platform,
                format!(
                    "the saved OAuth credential cannot be read ({what}); connect {platform} again"
                ),
            )
        };
        let stored: Stored = serde_json::from_str(text)
            .map_err(|e| unreadable(format!("line {} column {}", e.line(), e.column())))?;
        let expires_at = stored
            .expires_at
            .map(|t| UtcInstant::parse_rfc3339(&t))
            .transpose()
            .map_err(|_| unreadable("its expiry is not a date".into()))?;
        Ok(OAuthTokens {
            access_token: Sensitive::new(stored.access_token),
            refresh_token: stored.refresh_token.map(Sensitive::new),
            expires_at,
            scopes: stored.scopes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_json_and_debug_shows_none() {
        let tokens = OAuthTokens {
            access_token: Sensitive::new("at_secret_1".into()),
            refresh_token: Some(Sensitive::new("rt_secret_2".into())),
            expires_at: Some(UtcInstant::from_millis(1_800_000_000_000)),
            scopes: vec!["read".into()],
        };
        let json = tokens.to_json();
        assert_eq!(
            OAuthTokens::from_json("Whop", json.expose()).unwrap(),
            tokens
        );
        let shown = format!("{tokens:?} {json:?}");
        assert!(!shown.contains("secret"), "{shown}");
        let e = OAuthTokens::from_json("Whop", r#"{"access_token": "at_secret_1", "#).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
        let bare = OAuthTokens::from_json("Gumroad", r#"{"access_token":"x"}"#).unwrap();
        assert!(bare.refresh_token.is_none() && bare.expires_at.is_none());
    }

    #[test]
    fn expiry_is_checked_with_a_margin() {
        let now = UtcInstant::from_millis(1_000_000);
        let mut t = OAuthTokens {
            access_token: Sensitive::new("a".into()),
            refresh_token: None,
            expires_at: Some(UtcInstant::from_millis(1_000_000 + 60_000)),
            scopes: vec![],
        };
        assert!(!t.expires_within(Duration::from_secs(30), now));
        assert!(t.expires_within(Duration::from_secs(60), now));
        t.expires_at = None;
        assert!(!t.expires_within(Duration::from_secs(3600), now));
    }
}
