//! `POST /oauth/token` (a form body): the client authenticated (its id in the body or Basic auth;
//! a confidential client's secret too), then `authorization_code` or `refresh_token`; errors as
//! RFC 6749 §5.2 JSON (`{"error":"invalid_grant","error_description":"…"}`, 400, or 401 for
//! `invalid_client`), answers with `Cache-Control: no-store`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::store::{Issued, TokenError};
use super::AuthorizationServer;
use crate::responses;

pub(crate) async fn token(
    State(server): State<AuthorizationServer>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match answer(&server, &headers, &body) {
        Ok(issued) => issued_response(&issued),
        Err(e) => {
            server.with_store(|s| s.counters.token_errors += 1);
            error_response(&e)
        }
    }
}

fn answer(
    server: &AuthorizationServer,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Issued, TokenError> {
    let mut form: HashMap<String, String> = HashMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        if form
            .insert(k.clone().into_owned(), v.into_owned())
            .is_some()
        {
            return Err(TokenError::new(
                "invalid_request",
                format!("The parameter {k} was sent more than once."),
            ));
        }
    }
    let get = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
    let Some(grant_type) = get("grant_type") else {
        return Err(TokenError::new(
            "invalid_request",
            "The grant_type is missing.",
        ));
    };
    let client_id = authenticate(server, headers, get("client_id"), get("client_secret"))?;
    match grant_type {
        "authorization_code" => {
            let Some(code) = get("code") else {
                return Err(TokenError::new("invalid_request", "The code is missing."));
            };
            server.with_store(|s| {
                s.exchange_code(&client_id, code, get("redirect_uri"), get("code_verifier"))
            })
        }
        "refresh_token" => {
            let Some(token) = get("refresh_token") else {
                return Err(TokenError::new(
                    "invalid_request",
                    "The refresh_token is missing.",
                ));
            };
            server.with_store(|s| s.refresh(&client_id, token))
        }
        _ => Err(TokenError::new(
            "unsupported_grant_type",
            "Only authorization_code and refresh_token are supported.",
        )),
    }
}

/// The client's id once it is authenticated: registered, and a confidential client's secret right
/// (in the body or as HTTP Basic, RFC 6749 §2.3.1).
fn authenticate(
    server: &AuthorizationServer,
    headers: &HeaderMap,
    body_id: Option<&str>,
    body_secret: Option<&str>,
) -> Result<String, TokenError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |s: &str| {
                form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
            };
            Some((decode(id)?, decode(secret)?))
        });
    let (id, secret) = match &basic {
        Some((id, secret)) => (Some(id.as_str()), Some(secret.as_str())),
        None => (body_id, body_secret),
    };
    let unknown = || TokenError::new("invalid_client", "The client is not known.");
    let id = id.ok_or_else(unknown)?;
    let client = server.client(id).ok_or_else(unknown)?;
    if let Some(expected) = &client.secret {
        if secret != Some(expected.as_str()) {
            return Err(TokenError::new(
                "invalid_client",
                "The client could not be authenticated.",
            ));
        }
    }
    Ok(client.id)
}

fn issued_response(issued: &Issued) -> Response {
    let mut body = Map::new();
    body.insert("access_token".into(), json!(issued.access_token));
    body.insert("token_type".into(), json!("Bearer"));
    if let Some(expires_in) = issued.expires_in {
        body.insert("expires_in".into(), json!(expires_in));
    }
    if let Some(refresh) = &issued.refresh_token {
        body.insert("refresh_token".into(), json!(refresh));
    }
    body.insert("scope".into(), json!(issued.scope));
    body.insert("created_at".into(), json!(chrono::Utc::now().timestamp()));
    no_store(responses::json(StatusCode::OK, &Value::Object(body)))
}

fn error_response(e: &TokenError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = no_store(responses::json(
        status,
        &json!({ "error": e.error, "error_description": e.description }),
    ));
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"oauth\""),
        );
    }
    response
}

fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
