//! A Resend stand-in (contract §14): `POST /emails` with `Authorization: Bearer <key>` and a JSON
//! `{from, to, subject, html, text}` answers `{"id": …}`; `Idempotency-Key` (1–256 characters) within
//! the stand-in's life returns the first answer for the same payload without sending again, and 409
//! `invalid_idempotent_request` for another payload; errors are `{"statusCode", "message", "name"}`
//! (401 `missing_api_key`, 403 `invalid_api_key`, 422 `missing_required_field`, 400
//! `invalid_idempotency_key`); 429 is `rate_limit_exceeded` with `retry-after`. The emails it took are
//! listed at `GET /__admin/emails`; faults, latency and the rate limit are every stand-in's.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::api_keys::{self, ApiKeys, HasApiKeys};
use crate::harness::{lock, Harness};
use crate::responses;
use crate::server::RunningServer;

/// The admin routes, for a person with curl.
pub const ADMIN_ROUTES: &[(&str, &str)] = &[
    ("GET /__admin/emails", "the emails taken, oldest first"),
    ("POST /__admin/keys", r#"{"key":"re_k"}"#),
    (
        "POST /__admin/keys/revoke",
        r#"{"key":"re_k"} (403 from then on)"#,
    ),
    (
        "GET|POST|PUT|DELETE /__admin/faults",
        "pending faults / add (object or array) / replace / clear",
    ),
];

/// The key the stand-in accepts unless told otherwise.
pub const DEFAULT_KEY: &str = "re_standin_key";

/// One email the stand-in took.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentEmail {
    pub id: String,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: Option<String>,
    pub html: Option<String>,
    pub idempotency_key: Option<String>,
}

#[derive(Default)]
pub(crate) struct ResendState {
    keys: ApiKeys,
    sent: Mutex<Vec<SentEmail>>,
    /// Idempotency key → (the payload it came with, the answer given).
    answered: Mutex<HashMap<String, (Value, String)>>,
}

impl HasApiKeys for ResendState {
    fn api_keys(&self) -> &ApiKeys {
        &self.keys
    }
}

pub struct ResendStandIn {
    state: Arc<ResendState>,
    server: RunningServer,
}

impl ResendStandIn {
    /// On a free port, accepting `DEFAULT_KEY`.
    pub fn spawn() -> io::Result<Self> {
        Self::spawn_on(0)
    }

    pub fn spawn_on(port: u16) -> io::Result<Self> {
        let harness = Harness::new(std::time::Duration::ZERO, None, true, throttled);
        let state = Arc::new(ResendState::default());
        lock(&state.keys).insert(DEFAULT_KEY.to_string(), true);
        let router = Router::new()
            .route("/emails", post(send))
            .route("/__admin/emails", get(list))
            .merge(api_keys::routes())
            .with_state(Arc::clone(&state));
        let server =
            RunningServer::spawn_platform("standin-resend", port, router, not_found, harness)?;
        Ok(Self { state, server })
    }

    /// `http://127.0.0.1:PORT` (Resend's API has no version prefix).
    pub fn base_url(&self) -> String {
        self.server.origin()
    }

    /// The emails taken, oldest first.
    pub fn sent(&self) -> Vec<SentEmail> {
        lock(&self.state.sent).clone()
    }

    pub fn revoke_key(&self, key: &str) -> bool {
        lock(&self.state.keys)
            .insert(key.to_string(), false)
            .is_some()
    }
}

impl std::ops::Deref for ResendStandIn {
    type Target = RunningServer;

    fn deref(&self) -> &RunningServer {
        &self.server
    }
}

fn error(status: StatusCode, name: &str, message: &str) -> Response {
    responses::json(
        status,
        &json!({ "statusCode": status.as_u16(), "message": message, "name": name }),
    )
}

fn throttled(retry_after_secs: u64) -> Response {
    let mut r = error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limit_exceeded",
        "Too many requests. You can only make 2 requests per second.",
    );
    r.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(retry_after_secs),
    );
    r
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "The requested endpoint does not exist.",
    )
}

async fn list(State(st): State<Arc<ResendState>>) -> Response {
    responses::json(StatusCode::OK, &json!({ "emails": *lock(&st.sent) }))
}

#[derive(Deserialize)]
struct NewEmail {
    from: Option<String>,
    to: Option<Value>,
    subject: Option<String>,
    text: Option<String>,
    html: Option<String>,
}

async fn send(State(st): State<Arc<ResendState>>, headers: HeaderMap, body: Bytes) -> Response {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(key) = key else {
        return error(
            StatusCode::UNAUTHORIZED,
            "missing_api_key",
            "Missing API key in the authorization header.",
        );
    };
    if lock(&st.keys).get(key) != Some(&true) {
        return error(
            StatusCode::FORBIDDEN,
            "invalid_api_key",
            "API key is invalid.",
        );
    }
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            "The body is not valid JSON.",
        );
    };
    let Ok(email) = serde_json::from_value::<NewEmail>(payload.clone()) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
            "The body has fields of the wrong type.",
        );
    };
    let to: Vec<String> = match &email.to {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(many)) => many
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let (Some(from), Some(subject), false) = (email.from, email.subject, to.is_empty()) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_required_field",
            "The `from`, `to` and `subject` fields are required.",
        );
    };
    if email.text.is_none() && email.html.is_none() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_required_field",
            "Either `text` or `html` is required.",
        );
    }
    let idempotency = headers
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::to_string));
    let idempotency = match idempotency {
        None => None,
        Some(Ok(k)) if (1..=256).contains(&k.len()) => Some(k),
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_idempotency_key",
                "The key must be between 1-256 chars.",
            );
        }
    };
    let mut answered = lock(&st.answered);
    if let Some(k) = &idempotency {
        if let Some((first, id)) = answered.get(k) {
            return if *first == payload {
                responses::json(StatusCode::OK, &json!({ "id": id }))
            } else {
                error(
                    StatusCode::CONFLICT,
                    "invalid_idempotent_request",
                    "Same idempotency key used with a different request payload.",
                )
            };
        }
    }
    let mut sent = lock(&st.sent);
    let id = format!("00000000-0000-4000-8000-{:012x}", sent.len() + 1);
    sent.push(SentEmail {
        id: id.clone(),
        from,
        to,
        subject,
        text: email.text,
        html: email.html,
        idempotency_key: idempotency.clone(),
    });
    if let Some(k) = idempotency {
        answered.insert(k, (payload, id.clone()));
    }
    responses::json(StatusCode::OK, &json!({ "id": id }))
}
