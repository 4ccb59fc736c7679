//! The Whop API v1 routes the stand-in serves (contract §2.1–2.2), under `/api/v1`:
//! `GET /payments` (the cursor envelope `{"data":[…],"page_info":{…}}`, see `query` for the
//! parameters and `cursor` for the cursors), `GET /payments/{id}`, and `GET /accounts/me`, the
//! business account of the API key (the SDK's `accounts.me()`), which Tributary checks a key with.
//! Keys are Bearer tokens; every error is Stainless-style JSON, `{"error":{"type":…,"message":…}}`
//! [I: the contract found no v1 error body].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::cursor;
use super::json::{payment_object, timestamp};
use super::query;
use super::state::WhopState;
use crate::harness::lock;
use crate::responses;

pub(crate) const API_PREFIX: &str = "/api/v1";

pub(crate) fn routes() -> Router<Arc<WhopState>> {
    Router::new()
        .route("/api/v1/payments", get(list_payments))
        .route("/api/v1/payments/{id}", get(show_payment))
        .route("/api/v1/accounts/me", get(show_me))
}

/// `{"error":{"type":"unauthorized","message":"…"}}`.
pub(crate) fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    responses::json(
        status,
        &json!({ "error": { "type": kind, "message": message } }),
    )
}

pub(crate) async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "The requested resource could not be found.",
    )
}

/// The 429 for the rate limit and the `too_many_requests` fault, with `Retry-After`.
pub(crate) fn throttled(retry_after_secs: u64) -> Response {
    let mut r = error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limit_exceeded",
        "You are being rate limited",
    );
    r.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(retry_after_secs),
    );
    r
}

/// Why a request was refused: a 401 with this message.
struct Unauthorized(&'static str);

impl Unauthorized {
    fn response(&self) -> Response {
        error(StatusCode::UNAUTHORIZED, "unauthorized", self.0)
    }
}

fn authorize(st: &WhopState, headers: &HeaderMap) -> Result<(), Unauthorized> {
    if let Some(version) = headers
        .get("api-version-date")
        .and_then(|v| v.to_str().ok())
    {
        lock(&st.versions_seen).insert(version.to_owned());
    }
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim());
    if let (Some(k), Some(oauth)) = (key, &st.oauth) {
        if oauth.token_is_valid(k) {
            return Ok(());
        }
    }
    match key.and_then(|k| lock(&st.keys).get(k).copied()) {
        Some(true) => Ok(()),
        Some(false) => Err(Unauthorized("This API key has been revoked.")),
        None => Err(Unauthorized(
            "You must provide a valid API key or access token in the Authorization header.",
        )),
    }
}

fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    uri.query()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

async fn list_payments(State(st): State<Arc<WhopState>>, uri: Uri, headers: HeaderMap) -> Response {
    if let Err(refused) = authorize(&st, &headers) {
        return refused.response();
    }
    let q = match query::read(&query_pairs(&uri)) {
        Ok(q) => q,
        Err(invalid) => return error(StatusCode::BAD_REQUEST, "bad_request", &invalid.0),
    };
    let store = lock(&st.store);
    let list = q.select(store.all());
    let (start, end) = q.slice(list.len());
    let page = list.get(start..end).unwrap_or_default();
    let (start_cursor, end_cursor) = if page.is_empty() {
        (Value::Null, Value::Null)
    } else {
        (
            json!(cursor::encode(start as u64 + 1)),
            json!(cursor::encode(end as u64)),
        )
    };
    let data: Vec<Value> = page
        .iter()
        .map(|p| payment_object(p, &st.company))
        .collect();
    responses::json(
        StatusCode::OK,
        &json!({
            "data": data,
            "page_info": {
                "end_cursor": end_cursor,
                "start_cursor": start_cursor,
                "has_next_page": end < list.len(),
                "has_previous_page": start > 0,
            }
        }),
    )
}

async fn show_payment(
    State(st): State<Arc<WhopState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = authorize(&st, &headers) {
        return refused.response();
    }
    let store = lock(&st.store);
    match store.get(&id) {
        Some(p) => {
            let mut v = payment_object(p, &st.company);
            // The single read adds these (contract §2.2).
            v["disputes"] = json!([]);
            v["resolutions"] = json!([]);
            v["refunds"] = match p.refunded_at {
                Some(at) => json!([{
                    "id": format!("rfnd_{}", p.id.trim_start_matches("pay_")),
                    "amount": super::amount::major(p.refunded_amount, p.exponent()),
                    "currency": p.currency,
                    "status": "succeeded",
                    "created_at": timestamp(at),
                }]),
                None => json!([]),
            };
            responses::json(StatusCode::OK, &v)
        }
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("No payment with id {id}."),
        ),
    }
}

/// The key's business account, as `GET /accounts/me` answers it (the fields a check needs, and a
/// few more of the SDK's `Account`).
async fn show_me(State(st): State<Arc<WhopState>>, headers: HeaderMap) -> Response {
    if let Err(refused) = authorize(&st, &headers) {
        return refused.response();
    }
    let c = &st.company;
    responses::json(
        StatusCode::OK,
        &json!({
            "id": c.id,
            "title": c.title,
            "route": c.route,
            "email": c.email,
            "country": "US",
            "created_at": "2024-03-02T10:11:12.000Z",
            "status": "active",
            "balances": [],
            "metadata": {},
            "parent_account_id": null,
            "total_usd": null,
        }),
    )
}
