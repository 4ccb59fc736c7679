//! The `oauth2` client for one platform's endpoints: a `BasicClient` with the authorize and token
//! URLs, the client id, the secret of a confidential client, and credentials in the request body
//! (`AuthType::RequestBody`: a public client has no secret for Basic auth, and Doorkeeper takes
//! both); the token answers made `OAuthTokens`, and its errors made `OAuthError`s that quote no
//! secret.

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AuthType, AuthUrl, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RedirectUrl,
    RequestTokenError, TokenResponse, TokenUrl,
};
use tributary_model::{FailureClass, Sensitive, UtcInstant};

use super::endpoints::{check_endpoint, OAuthEndpoints};
use super::error::{error_code, scrubbed, OAuthError, OAuthErrorKind};
use super::http_adapter::TransportError;
use super::tokens::OAuthTokens;

pub(crate) type Client =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

pub(crate) fn build(
    endpoints: &OAuthEndpoints,
    redirect_uri: Option<&str>,
) -> Result<Client, OAuthError> {
    let platform = endpoints.platform.as_str();
    if endpoints.client_id.trim().is_empty() {
        return Err(OAuthError::configuration(
            platform,
            "no OAuth client id is configured",
        ));
    }
    for (what, url) in [
        ("authorize", &endpoints.authorize_url),
        ("token", &endpoints.token_url),
    ] {
        check_endpoint(url).map_err(|why| {
            OAuthError::configuration(
                platform,
                format!("the {what} endpoint is not usable: {why}"),
            )
        })?;
    }
    let mut client = BasicClient::new(ClientId::new(endpoints.client_id.clone()))
        .set_auth_uri(AuthUrl::from_url(endpoints.authorize_url.clone()))
        .set_token_uri(TokenUrl::from_url(endpoints.token_url.clone()))
        .set_auth_type(AuthType::RequestBody);
    if let Some(secret) = &endpoints.client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose().clone()));
    }
    if let Some(uri) = redirect_uri {
        let uri = RedirectUrl::new(uri.to_string()).map_err(|_| {
            OAuthError::configuration(platform, "the loopback redirect address is not usable")
        })?;
        client = client.set_redirect_uri(uri);
    }
    Ok(client)
}

/// The token answer as `OAuthTokens`: `expires_in` from now, the scopes granted (or `asked` when
/// the answer names none), and `previous_refresh` when the answer carries no refresh token.
pub(crate) fn tokens(
    response: &BasicTokenResponse,
    asked: &[String],
    previous_refresh: Option<&Sensitive<String>>,
) -> OAuthTokens {
    let expires_at = response.expires_in().map(|d| {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2);
        UtcInstant::from_millis(UtcInstant::now().millis().saturating_add(ms))
    });
    let scopes = match response.scopes() {
        Some(granted) => granted.iter().map(|s| s.to_string()).collect(),
        None => asked.to_vec(),
    };
    OAuthTokens {
        access_token: Sensitive::new(response.access_token().secret().clone()),
        refresh_token: response
            .refresh_token()
            .map(|t| Sensitive::new(t.secret().clone()))
            .or_else(|| previous_refresh.cloned()),
        expires_at,
        scopes,
    }
}

/// A token request's failure. `what` is what was sent (`authorization code`, `refresh token`);
/// `secrets` are the values the server's text must not be allowed to repeat.
pub(crate) fn token_error(
    platform: &str,
    what: &str,
    e: RequestTokenError<TransportError, BasicErrorResponse>,
    secrets: &[&str],
) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let said = r
                .error_description()
                .map(|d| format!(": \"{}\"", scrubbed(d, secrets)))
                .unwrap_or_default();
            let code = |c: &str| error_code(c);
            match r.error() {
                BasicErrorResponseType::InvalidGrant => {
                    OAuthError::invalid_grant(platform, what, &said)
                }
                BasicErrorResponseType::Extension(c)
                    if c == "server_error" || c == "temporarily_unavailable" =>
                {
                    OAuthError::server(
                        platform,
                        FailureClass::Transient,
                        format!("the token endpoint failed ({}){said}", code(c)),
                    )
                }
                other => OAuthError::new(
                    OAuthErrorKind::Configuration,
                    FailureClass::Configuration,
                    platform,
                    format!(
                        "{platform} refused the {what} ({}){said}; check the OAuth client's settings",
                        code(other.as_ref())
                    ),
                ),
            }
        }
        RequestTokenError::Request(t) => match t.status {
            Some(429) => OAuthError::server(
                platform,
                FailureClass::RateLimit,
                format!("the token endpoint asked to slow down ({t})"),
            ),
            Some(_) => OAuthError::server(
                platform,
                FailureClass::Transient,
                format!("the token endpoint failed ({t})"),
            ),
            None => OAuthError::transport(
                platform,
                format!("the token endpoint could not be reached: {t}"),
            ),
        },
        // The body is kept by oauth2 but never shown (it may hold a token); only where parsing
        // stopped is.
        RequestTokenError::Parse(p, _) => OAuthError::server(
            platform,
            FailureClass::UnexpectedData,
            format!(
                "the token endpoint answered something that is not a token response (at `{}`)",
                p.path()
            ),
        ),
        RequestTokenError::Other(text) => OAuthError::server(
            platform,
            FailureClass::UnexpectedData,
            format!(
                "the token endpoint's answer was not usable ({})",
                scrubbed(&text, secrets)
            ),
        ),
    }
}
