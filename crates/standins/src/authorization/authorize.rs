//! `GET /oauth/authorize`: checks the request as a real server does before any consent (the client
//! is registered; the redirect URI is a loopback one, RFC 8252 §7.3: `http://127.0.0.1:<any
//! port><registered path>` or `[::1]`), and answers an error page without redirecting when they
//! fail; then the rest (`response_type=code`, a S256 `code_challenge` when PKCE is required), as
//! an error redirect; then "consents" as the consent switch says: a code and the same `state`, a
//! denial, a wrong `state`, or a page that never redirects.

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

use super::pkce;
use super::{AuthorizationServer, ConsentMode};
use crate::responses;

pub(crate) async fn authorize(
    State(server): State<AuthorizationServer>,
    RawQuery(query): RawQuery,
) -> Response {
    server.with_store(|s| s.counters.authorize_requests += 1);
    let mut params: HashMap<String, String> = HashMap::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if params
            .insert(k.clone().into_owned(), v.into_owned())
            .is_some()
        {
            return page(
                StatusCode::BAD_REQUEST,
                &format!("The parameter {k} was sent more than once."),
            );
        }
    }
    let get = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };

    let Some(client_id) = get("client_id") else {
        return page(StatusCode::BAD_REQUEST, "The client_id is missing.");
    };
    let Some(client) = server.client(client_id) else {
        return page(
            StatusCode::BAD_REQUEST,
            "The client_id is not a registered client.",
        );
    };
    let Some(redirect_uri) = get("redirect_uri") else {
        return page(StatusCode::BAD_REQUEST, "The redirect_uri is missing.");
    };
    if !is_loopback_redirect(redirect_uri, &client.redirect_path) {
        return page(
            StatusCode::BAD_REQUEST,
            "The redirect_uri is not one this client registered: a native app's must be \
             http://127.0.0.1:<port> (or http://[::1]:<port>) with the registered path.",
        );
    }
    let state = get("state");
    let refuse = |error: &str, description: &str| {
        redirect(
            redirect_uri,
            &[("error", error), ("error_description", description)],
            state,
        )
    };
    if get("response_type") != Some("code") {
        return refuse(
            "unsupported_response_type",
            "Only response_type=code is supported.",
        );
    }
    let challenge = get("code_challenge");
    let method = get("code_challenge_method").unwrap_or("plain");
    match challenge {
        None if server.config().require_pkce => {
            return refuse("invalid_request", "A code_challenge is required (PKCE).");
        }
        Some(_) if method != "S256" => {
            return refuse(
                "invalid_request",
                "Only code_challenge_method=S256 is supported.",
            );
        }
        Some(c) if !pkce::challenge_is_well_formed(c) => {
            return refuse(
                "invalid_request",
                "The code_challenge is not a S256 challenge.",
            );
        }
        _ => {}
    }
    let scope = get("scope")
        .unwrap_or(&server.config().default_scope)
        .to_owned();

    match server.consent() {
        ConsentMode::Approve => {
            let code =
                server.with_store(|s| s.issue_code(client_id, redirect_uri, challenge, &scope));
            redirect(redirect_uri, &[("code", &code)], state)
        }
        ConsentMode::Deny => refuse("access_denied", "The resource owner denied the request."),
        ConsentMode::WrongState => {
            let code =
                server.with_store(|s| s.issue_code(client_id, redirect_uri, challenge, &scope));
            let wrong = format!("{}-not-yours", state.unwrap_or("x"));
            redirect(redirect_uri, &[("code", &code)], Some(&wrong))
        }
        ConsentMode::NoRedirect => page(
            StatusCode::OK,
            "Waiting for the person to consent… (this stand-in never answers: its consent switch \
             is no_redirect)",
        ),
    }
}

/// `http://127.0.0.1:PORT/path` or `http://[::1]:PORT/path`, any port, `path` the registered one.
pub(crate) fn is_loopback_redirect(uri: &str, registered_path: &str) -> bool {
    let Some(rest) = uri
        .strip_prefix("http://127.0.0.1:")
        .or_else(|| uri.strip_prefix("http://[::1]:"))
    else {
        return false;
    };
    let (port, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = path.split('?').next().unwrap_or("");
    !uri.contains('#')
        && port.parse::<u16>().is_ok_and(|p| p != 0)
        && port.bytes().all(|b| b.is_ascii_digit())
        && path == registered_path
}

fn redirect(uri: &str, params: &[(&str, &str)], state: Option<&str>) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        query.append_pair(k, v);
    }
    if let Some(state) = state {
        query.append_pair("state", state);
    }
    let separator = if uri.contains('?') { '&' } else { '?' };
    let location = format!("{uri}{separator}{}", query.finish());
    let mut response = responses::empty(StatusCode::FOUND, None);
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => page(
            StatusCode::BAD_REQUEST,
            "The redirect_uri cannot be redirected to.",
        ),
    }
}

fn page(status: StatusCode, message: &str) -> Response {
    let message = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Authorization \
         stand-in</title></head>\n<body><h1>Authorization stand-in</h1><p>{message}</p></body></html>\n"
    );
    responses::with_body(status, "text/html; charset=utf-8", body.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_redirects_with_the_registered_path_pass() {
        let ok = |u: &str| is_loopback_redirect(u, "/callback");
        assert!(ok("http://127.0.0.1:49152/callback"));
        assert!(ok("http://127.0.0.1:1/callback?x=1"));
        assert!(ok("http://[::1]:8080/callback"));
        assert!(!ok("http://localhost:8080/callback"));
        assert!(!ok("https://127.0.0.1:8080/callback"));
        assert!(!ok("http://127.0.0.1.evil.com:80/callback"));
        assert!(!ok("http://127.0.0.1:80@evil.com/callback"));
        assert!(!ok("http://127.0.0.1:0/callback"));
        assert!(!ok("http://127.0.0.1:8080/other"));
        assert!(!ok("http://127.0.0.1:8080/callback#x"));
        assert!(!ok("http://127.0.0.1/callback"));
    }
}
