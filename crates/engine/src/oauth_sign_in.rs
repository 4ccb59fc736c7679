//! Signing in with OAuth 2 (Whop, Gumroad): the browser flow of `tributary_connectors::oauth`, the
//! tokens kept as the connection's one secret, and their refresh — ahead of expiry or once on a 401,
//! only by the run that holds the connection's sync lease (a spent refresh token sent again revokes
//! the grant), the new tokens saved before the new access token is used.

use std::time::Duration;

use crate::connections::{runtime, secret_key, ConnectRequest, SavedCredential};
use crate::error::EngineError;
use crate::workspace::Workspace;
use tributary_connectors::oauth::{
    self, AuthorizeOptions, CancellationToken, OAuthDefaults, OAuthErrorKind, OAuthTokens,
};
use tributary_connectors::{connector_for, platforms, ConnectorError, Credential};
use tributary_ledger::{Connected, ConnectionRecord};
use tributary_model::UtcInstant;

/// How long before its expiry an access token is refreshed.
pub(crate) const REFRESH_AHEAD: Duration = Duration::from_secs(120);

/// Told the authorization address and whether a browser was opened on it.
pub type OnSignInUrl = Box<dyn FnOnce(&str, bool) + Send>;

/// How a sign-in runs: whether the browser is opened, how long it waits, its cancel switch, and
/// what to do with the address (print it for a terminal without a browser, show it in the window).
pub struct OAuthSignIn {
    pub open_browser: bool,
    pub timeout: Duration,
    pub cancel: CancellationToken,
    /// The authorization address and whether a browser was opened on it. Never log it: it holds the
    /// flow's `state`.
    pub on_url: OnSignInUrl,
}

/// The authorization server of a platform that signs in with OAuth, or why it does not.
fn defaults(platform: &str) -> Result<(&'static OAuthDefaults, &'static str), EngineError> {
    let info = platforms().into_iter().find(|p| p.id == platform);
    match platform {
        "whop" => Ok((&oauth::WHOP, "WHOP")),
        "gumroad" => Ok((&oauth::GUMROAD, "GUMROAD")),
        _ => Err(ConnectorError::configuration(
            info.map_or(platform, |i| i.name),
            "signs in with a key, not through the browser: connect it with --token-stdin",
        )
        .into()),
    }
}

fn endpoints(platform: &str) -> Result<oauth::OAuthEndpoints, EngineError> {
    let (defaults, env) = defaults(platform)?;
    Ok(oauth::endpoints_from_env(env, defaults).map_err(ConnectorError::from)?)
}

impl Workspace {
    /// Signs in through the browser, checks the tokens with one call, and keeps them: a denial, a
    /// wrong `state`, a timeout or a cancel stores nothing. Reconnecting an account keeps its
    /// connection, history and position.
    pub fn connect_with_oauth(
        &mut self,
        request: &ConnectRequest,
        sign_in: OAuthSignIn,
    ) -> Result<Connected, EngineError> {
        let endpoints = endpoints(&request.platform)?;
        let connector = connector_for(&request.platform)?;
        let rt = runtime()?;
        let on_url = sign_in.on_url;
        let options = AuthorizeOptions {
            timeout: sign_in.timeout,
            cancel: sign_in.cancel,
            open_browser: sign_in.open_browser,
            on_url: Box::new(move |prompt| on_url(prompt.url, prompt.browser_opened)),
        };
        let tokens = rt
            .block_on(oauth::authorize(&endpoints, options))
            .map_err(|e| match e.kind {
                OAuthErrorKind::Denied
                | OAuthErrorKind::StateMismatch
                | OAuthErrorKind::TimedOut
                | OAuthErrorKind::Cancelled => EngineError::SignInIncomplete(e.to_string()),
                _ => ConnectorError::from(e).into(),
            })?;
        let credential = Credential {
            token: tokens.access_token.clone(),
        };
        let account = rt.block_on(connector.check(&credential))?;
        self.save_connection(
            request,
            account,
            &tokens.to_json(),
            "oauth",
            tokens.expires_at,
        )
    }

    /// New tokens for the connection, saved before they are returned. Only a run holding the
    /// connection's lease calls this. A refused refresh is an authentication failure, which puts the
    /// connection in `needs_reconnect` when its run ends.
    pub(crate) fn refresh_oauth(
        &self,
        record: &ConnectionRecord,
        tokens: &OAuthTokens,
    ) -> Result<SavedCredential, ConnectorError> {
        let endpoints = endpoints(&record.platform).map_err(|e| match e {
            EngineError::Connector(c) => c,
            other => ConnectorError::configuration(&record.platform, other.to_string()),
        })?;
        let Some(refresh_token) = &tokens.refresh_token else {
            return Err(ConnectorError {
                class: tributary_model::FailureClass::Authentication,
                platform: endpoints.platform.clone(),
                request: None,
                reason: "the sign-in has expired and gave no way to renew it: reconnect".into(),
                retry_after: None,
            });
        };
        let rt = runtime()
            .map_err(|e| ConnectorError::configuration(&record.platform, e.to_string()))?;
        let fresh = rt.block_on(oauth::refresh(&endpoints, refresh_token))?;
        let saved = self
            .secret_store()
            .and_then(|store| {
                store.set(
                    &secret_key(&record.platform, &record.remote_id),
                    &fresh.to_json(),
                )?;
                Ok(())
            })
            .map_err(|e| {
                ConnectorError::configuration(
                    &record.platform,
                    format!("the renewed sign-in could not be saved: {e}"),
                )
            });
        saved?;
        Ok(SavedCredential::OAuth(fresh))
    }
}

impl SavedCredential {
    /// Whether this is an OAuth sign-in whose access token expires within `REFRESH_AHEAD`.
    pub(crate) fn needs_refresh(&self) -> Option<&OAuthTokens> {
        match self {
            SavedCredential::OAuth(tokens)
                if tokens.expires_within(REFRESH_AHEAD, UtcInstant::now()) =>
            {
                Some(tokens)
            }
            _ => None,
        }
    }

    pub(crate) fn oauth(&self) -> Option<&OAuthTokens> {
        match self {
            SavedCredential::OAuth(tokens) => Some(tokens),
            SavedCredential::Token(_) => None,
        }
    }
}
