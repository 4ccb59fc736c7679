//! Doorkeeper's side of a request: the token from `Authorization: Bearer …`, else the
//! `access_token` (or `bearer_token`) query parameter; an unknown, missing or revoked token is a 401
//! with an empty body, a token without the action's scope a 403 with an empty body and
//! `WWW-Authenticate: … error="insufficient_scope"` (contract §1.1). Every v2 action also accepts the
//! `account` scope.

use std::collections::HashMap;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::params::Params;
use crate::responses;

/// The scopes `GET /v2/sales` and `GET /v2/sales/:id` take.
pub(crate) const SALES_SCOPES: &[&str] = &["view_sales"];
/// The scopes `GET /v2/user` takes: Doorkeeper's public read scopes and `view_public`.
pub(crate) const USER_SCOPES: &[&str] = &[
    "view_public",
    "view_profile",
    "view_sales",
    "view_payouts",
    "edit_products",
    "view_tax_data",
];

#[derive(Debug, Clone)]
struct Token {
    scopes: Vec<String>,
    revoked: bool,
}

#[derive(Default)]
pub(crate) struct Tokens {
    tokens: HashMap<String, Token>,
    /// Gumroad's OAuth server when the stand-in serves one: its access tokens are accepted too, with
    /// the scopes they were granted.
    pub oauth: Option<crate::authorization::AuthorizationServer>,
}

impl Tokens {
    pub fn add(&mut self, token: &str, scopes: &[String]) {
        self.tokens.insert(
            token.to_owned(),
            Token {
                scopes: scopes.to_vec(),
                revoked: false,
            },
        );
    }

    /// Revokes a token: 401 from the next request on. False when the token is unknown.
    pub fn revoke(&mut self, token: &str) -> bool {
        match self.tokens.get_mut(token) {
            Some(t) => {
                t.revoked = true;
                true
            }
            None => false,
        }
    }

    /// `Ok` when the request's token is live and has one of `scopes` (or `account`).
    pub fn authorize(
        &self,
        headers: &HeaderMap,
        params: &Params,
        scopes: &[&str],
    ) -> Result<(), Denied> {
        let given = token_of(headers, params);
        if let (Some(t), Some(oauth)) = (given, &self.oauth) {
            if let Some(granted) = oauth.token_scope(t) {
                let allowed = granted
                    .split_whitespace()
                    .any(|s| s == "account" || scopes.contains(&s));
                return if allowed {
                    Ok(())
                } else {
                    Err(Denied::InsufficientScope)
                };
            }
        }
        let Some(token) = given.and_then(|t| self.tokens.get(t)) else {
            return Err(Denied::Unauthorized);
        };
        if token.revoked {
            return Err(Denied::Unauthorized);
        }
        let allowed = token
            .scopes
            .iter()
            .any(|s| s == "account" || scopes.contains(&s.as_str()));
        if allowed {
            Ok(())
        } else {
            Err(Denied::InsufficientScope)
        }
    }
}

/// Why Doorkeeper turned a request away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// No token, an unknown one or a revoked one: 401.
    Unauthorized,
    /// A live token without the action's scope: 403.
    InsufficientScope,
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::Unauthorized => responses::empty(
                StatusCode::UNAUTHORIZED,
                Some(r#"Bearer realm="Doorkeeper", error="invalid_token""#),
            ),
            Denied::InsufficientScope => responses::empty(
                StatusCode::FORBIDDEN,
                Some(r#"Bearer realm="Doorkeeper", error="insufficient_scope""#),
            ),
        }
    }
}

/// Doorkeeper's default order: the `Authorization` header when it is a Bearer one, then the
/// `access_token` parameter, then `bearer_token`.
fn token_of<'a>(headers: &'a HeaderMap, params: &'a Params) -> Option<&'a str> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .filter(|t| !t.is_empty());
    from_header
        .or_else(|| params.get("access_token").filter(|t| !t.is_empty()))
        .or_else(|| params.get("bearer_token").filter(|t| !t.is_empty()))
}
