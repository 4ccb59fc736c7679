//! The answers every stand-in builds by hand: JSON with the content type Rails sends, empty bodies
//! with headers (Doorkeeper's 401/403), and the faults' answers (Rack::Attack's 429, proxy error
//! pages, broken bodies).

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;

/// A JSON answer. Serializing our own types cannot fail; if it ever did, the answer is a 500.
pub(crate) fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    json_with_type(status, value, "application/json; charset=utf-8")
}

pub(crate) fn json_with_type<T: Serialize>(
    status: StatusCode,
    value: &T,
    content_type: &'static str,
) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => with_body(status, content_type, body),
        Err(_) => with_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain; charset=utf-8",
            b"stand-in could not serialize its answer\n".to_vec(),
        ),
    }
}

pub(crate) fn with_body(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// An empty body, optionally with a `WWW-Authenticate` challenge.
pub(crate) fn empty(status: StatusCode, www_authenticate: Option<&'static str>) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    if let Some(challenge) = www_authenticate {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
    }
    response
}

/// Rack::Attack's throttled answer: 429, `Retry-After` in seconds, `Retry later\n` as text/plain.
pub(crate) fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut response = with_body(
        StatusCode::TOO_MANY_REQUESTS,
        "text/plain",
        b"Retry later\n".to_vec(),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// What a proxy in front of the platform answers when the app behind it fails: an HTML page.
pub(crate) fn proxy_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(StatusCode::is_server_error)
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Server Error")
    );
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    with_body(status, "text/html", page.into_bytes())
}

/// 200 with a JSON content type and a body that stops in the middle of a string.
pub(crate) fn malformed_json() -> Response {
    with_body(
        StatusCode::OK,
        "application/json; charset=utf-8",
        br#"{"success":true,"sales":[{"id":"B28UKN-dvxYabdavG97Y-Q==","email":"buy"#.to_vec(),
    )
}

/// 200 with an HTML page where the API's JSON should be (a bot check, a captive portal).
pub(crate) fn html_page() -> Response {
    with_body(
        StatusCode::OK,
        "text/html; charset=utf-8",
        b"<!DOCTYPE html>\n<html lang=\"en\"><head><title>Just a moment...</title></head>\n\
          <body><h1>Checking your browser before accessing the site.</h1>\n\
          <p>This process is automatic. Your browser will redirect shortly.</p></body></html>\n"
            .to_vec(),
    )
}
