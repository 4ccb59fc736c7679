//! OAuth 2 for a native app (RFC 8252), without Tauri, so the CLI, the daemon and the window share
//! it: the authorization code flow with PKCE S256 and `state`, through the system browser and a
//! one-shot loopback listener on `127.0.0.1` (`authorize`), and the refresh of an access token
//! (`refresh`). Built on `oauth2` 5 with our own HTTP function on reqwest 0.13.
//!
//! Nothing here stores anything: a flow hands back `OAuthTokens` (or an `OAuthError`, and then
//! nothing), and the caller keeps them in the secret store (`OAuthTokens::to_json`). No token,
//! code, verifier, state or authorization URL is logged or put in an error; the URL is handed to
//! the caller once, through `on_url`, to show a person whose terminal has no browser.
//!
//! ```no_run
//! # async fn connect() -> Result<(), tributary_connectors::oauth::OAuthError> {
//! use tributary_connectors::oauth::{self, AuthorizeOptions};
//! let endpoints = oauth::endpoints_from_env("WHOP", &oauth::WHOP)?;
//! let options = AuthorizeOptions::new(|prompt| {
//!     if !prompt.browser_opened {
//!         eprintln!("Open this address to connect Whop: {}", prompt.url);
//!     }
//! });
//! let tokens = oauth::authorize(&endpoints, options).await?;
//! // Save tokens.to_json() in the secret store before using tokens.access_token.
//! # let _ = tokens; Ok(()) }
//! ```

mod browser;
mod client;
mod endpoints;
mod error;
mod http_adapter;
mod loopback;
mod pages;
mod tokens;

use std::time::Duration;

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, RefreshToken, Scope};
use tributary_model::Sensitive;

pub use endpoints::{endpoints_from_env, OAuthDefaults, OAuthEndpoints, GUMROAD, WHOP};
pub use error::{OAuthError, OAuthErrorKind};
pub use tokens::OAuthTokens;
/// Re-exported so callers need not depend on tokio-util for the one type.
pub use tokio_util::sync::CancellationToken;

use loopback::Loopback;

/// How long a flow waits for the browser by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// What the caller is told once the authorization URL exists, before the flow waits for the
/// browser: the URL (it holds the flow's state and PKCE challenge: show it to the person, never
/// log it) and whether a browser was launched on it.
#[derive(Debug)]
pub struct AuthorizationPrompt<'a> {
    pub url: &'a str,
    pub browser_opened: bool,
}

/// How a flow runs.
pub struct AuthorizeOptions {
    /// How long to wait for the browser's answer (the listener is closed after it).
    pub timeout: Duration,
    /// Cancelling it ends the flow with `OAuthErrorKind::Cancelled` (a window's Cancel button,
    /// Ctrl-C in the CLI); it is not cancelled by the flow itself.
    pub cancel: CancellationToken,
    /// Whether to launch the system browser (`$BROWSER`, else `xdg-open`/`open`/`start`).
    pub open_browser: bool,
    /// Called once with the URL, after the browser was (or was not) launched.
    pub on_url: Box<dyn FnOnce(&AuthorizationPrompt<'_>) + Send>,
}

impl AuthorizeOptions {
    /// The default timeout, a fresh cancel token, the browser opened.
    pub fn new(on_url: impl FnOnce(&AuthorizationPrompt<'_>) + Send + 'static) -> Self {
        AuthorizeOptions {
            timeout: DEFAULT_TIMEOUT,
            cancel: CancellationToken::new(),
            open_browser: true,
            on_url: Box::new(on_url),
        }
    }
}

impl std::fmt::Debug for AuthorizeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizeOptions")
            .field("timeout", &self.timeout)
            .field("cancelled", &self.cancel.is_cancelled())
            .field("open_browser", &self.open_browser)
            .finish_non_exhaustive()
    }
}

/// The whole flow: listens on `127.0.0.1:<free port>/callback`, builds the authorization URL
/// (code, S256 challenge, random state, the endpoints' scopes and extra parameters), opens the
/// browser when asked, tells `on_url`, waits for the callback (timeout, cancel), and exchanges the
/// code with the verifier. Any failure returns an error and no token; the listener is closed
/// either way.
pub async fn authorize(
    endpoints: &OAuthEndpoints,
    options: AuthorizeOptions,
) -> Result<OAuthTokens, OAuthError> {
    let platform = endpoints.platform.as_str();
    let AuthorizeOptions {
        timeout,
        cancel,
        open_browser,
        on_url,
    } = options;
    let loopback = Loopback::bind(platform).await?;
    let client = client::build(endpoints, Some(&loopback.redirect_uri()))?;
    let http = http_adapter::client().map_err(|e| OAuthError::configuration(platform, e.reason))?;

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge);
    for scope in &endpoints.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    for (name, value) in &endpoints.extra_authorize_params {
        request = request.add_extra_param(name.clone(), value.clone());
    }
    let (url, state) = request.url();
    let url = Sensitive::new(url.to_string());
    let state = Sensitive::new(state.into_secret());

    let browser_opened = open_browser && {
        let url = url.clone();
        tokio::task::spawn_blocking(move || browser::open(url.expose()))
            .await
            .unwrap_or(false)
    };
    on_url(&AuthorizationPrompt {
        url: url.expose(),
        browser_opened,
    });

    let code = loopback.wait(platform, &state, timeout, &cancel).await?;
    let verifier_text = Sensitive::new(verifier.secret().clone());
    let mut exchange = client
        .exchange_code(AuthorizationCode::new(code.expose().clone()))
        .set_pkce_verifier(verifier);
    for (name, value) in &endpoints.extra_token_params {
        exchange = exchange.add_extra_param(name.clone(), value.clone());
    }
    let send = |request| http_adapter::send(http.clone(), request);
    let answer = tokio::select! {
        _ = cancel.cancelled() => return Err(OAuthError::cancelled(platform)),
        answer = exchange.request_async(&send) => answer,
    };
    let response = answer.map_err(|e| {
        client::token_error(
            platform,
            "authorization code",
            e,
            &[code.expose(), verifier_text.expose(), state.expose()],
        )
    })?;
    Ok(client::tokens(&response, &endpoints.scopes, None))
}

/// A new access token for `refresh_token`. Never retried here: with a rotating server (Whop) a
/// refresh that reached the server spent the token, and sending it again revokes the grant, so
/// the caller saves the answer before anything else and serializes refreshes per connection. A
/// refused token is `OAuthErrorKind::InvalidGrant` (the connection needs authorizing again). An
/// answer without a refresh token keeps `refresh_token` (RFC 6749 §6).
pub async fn refresh(
    endpoints: &OAuthEndpoints,
    refresh_token: &Sensitive<String>,
) -> Result<OAuthTokens, OAuthError> {
    let platform = endpoints.platform.as_str();
    let client = client::build(endpoints, None)?;
    let http = http_adapter::client().map_err(|e| OAuthError::configuration(platform, e.reason))?;
    let token = RefreshToken::new(refresh_token.expose().clone());
    let mut request = client.exchange_refresh_token(&token);
    for (name, value) in &endpoints.extra_token_params {
        request = request.add_extra_param(name.clone(), value.clone());
    }
    let send = |request| http_adapter::send(http.clone(), request);
    let response = request.request_async(&send).await.map_err(|e| {
        client::token_error(platform, "refresh token", e, &[refresh_token.expose()])
    })?;
    Ok(client::tokens(
        &response,
        &endpoints.scopes,
        Some(refresh_token),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_send<T: Send>(_: &T) {}
    fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}

    #[test]
    fn the_futures_can_run_on_any_runtime_thread() {
        let endpoints = OAuthEndpoints {
            platform: "Whop".into(),
            authorize_url: "http://127.0.0.1:1/oauth/authorize".parse().unwrap(),
            token_url: "http://127.0.0.1:1/oauth/token".parse().unwrap(),
            client_id: "app".into(),
            client_secret: None,
            scopes: vec![],
            extra_authorize_params: vec![],
            extra_token_params: vec![],
        };
        let token = Sensitive::new("rt".to_string());
        is_send(&authorize(&endpoints, AuthorizeOptions::new(|_| {})));
        is_send(&refresh(&endpoints, &token));
        // What tokio::spawn asks (higher-ranked lifetimes included).
        spawnable(async move {
            let _ = authorize(&endpoints, AuthorizeOptions::new(|_| {})).await;
            let _ = refresh(&endpoints, &token).await;
        });
    }
}
