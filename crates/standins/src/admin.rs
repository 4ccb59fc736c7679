//! The admin routes every stand-in serves under `/__admin/` on its own port, so that a person with
//! curl or a Node end-to-end test can drive what Rust tests drive through the handle: faults, the
//! rate limit, latency, the request log and the counters. Platform routes (sales, tokens) are added
//! by each platform's own admin module.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::faults::Fault;
use crate::harness::Harness;
use crate::responses;

pub(crate) fn routes(harness: Arc<Harness>) -> Router {
    Router::new()
        .route("/__admin/stats", get(stats))
        .route("/__admin/requests", get(requests).delete(clear_requests))
        .route(
            "/__admin/faults",
            get(faults)
                .post(push_faults)
                .put(set_faults)
                .delete(clear_faults),
        )
        .route("/__admin/changes", get(changes))
        .route("/__admin/latency", axum::routing::put(set_latency))
        .route("/__admin/rate_limit", axum::routing::put(set_rate_limit))
        .with_state(harness)
}

/// Why an admin request was refused; answered as a 400 with `{"error": …}`.
#[derive(Debug)]
pub(crate) struct BadRequest(pub String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        bad_request(&self.0)
    }
}

/// Reads a JSON body, answering a readable 400 when it is not what the route takes.
pub(crate) fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, BadRequest> {
    serde_json::from_slice(body).map_err(|e| BadRequest(format!("invalid JSON body: {e}")))
}

pub(crate) fn bad_request(message: &str) -> Response {
    responses::json(StatusCode::BAD_REQUEST, &json!({ "error": message }))
}

pub(crate) fn ok<T: serde::Serialize>(value: &T) -> Response {
    responses::json(StatusCode::OK, value)
}

async fn stats(State(h): State<Arc<Harness>>) -> Response {
    ok(&h.stats())
}

async fn requests(State(h): State<Arc<Harness>>) -> Response {
    ok(&h.requests())
}

async fn clear_requests(State(h): State<Arc<Harness>>) -> Response {
    h.clear_requests();
    ok(&json!({ "cleared": true }))
}

async fn faults(State(h): State<Arc<Harness>>) -> Response {
    ok(&h.pending_faults())
}

/// One fault object or an array of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<Fault>),
    One(Fault),
}

fn read_faults(body: &Bytes) -> Result<Vec<Fault>, BadRequest> {
    let faults = match parse::<OneOrMany>(body)? {
        OneOrMany::Many(v) => v,
        OneOrMany::One(f) => vec![f],
    };
    if let Some(why) = faults.iter().find_map(|f| f.kind.invalid()) {
        return Err(BadRequest(why));
    }
    Ok(faults)
}

async fn push_faults(State(h): State<Arc<Harness>>, body: Bytes) -> Response {
    match read_faults(&body) {
        Ok(faults) => {
            for f in faults {
                h.push_fault(f);
            }
            ok(&h.pending_faults())
        }
        Err(r) => r.into_response(),
    }
}

async fn set_faults(State(h): State<Arc<Harness>>, body: Bytes) -> Response {
    match read_faults(&body) {
        Ok(faults) => {
            h.clear_faults();
            for f in faults {
                h.push_fault(f);
            }
            ok(&h.pending_faults())
        }
        Err(r) => r.into_response(),
    }
}

async fn clear_faults(State(h): State<Arc<Harness>>) -> Response {
    h.clear_faults();
    ok(&h.pending_faults())
}

async fn changes(State(h): State<Arc<Harness>>) -> Response {
    ok(&h.applied_changes())
}

#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

async fn set_latency(State(h): State<Arc<Harness>>, body: Bytes) -> Response {
    match parse::<Latency>(&body) {
        Ok(l) => {
            h.set_latency(Duration::from_millis(l.ms));
            ok(&json!({ "latency_ms": l.ms }))
        }
        Err(r) => r.into_response(),
    }
}

/// `{"limit":300,"window_ms":60000}`, or `null` for no limit.
#[derive(Deserialize)]
struct RateLimit {
    limit: u32,
    window_ms: u64,
}

async fn set_rate_limit(State(h): State<Arc<Harness>>, body: Bytes) -> Response {
    match parse::<Option<RateLimit>>(&body) {
        Ok(limit) => {
            let as_json = limit
                .as_ref()
                .map(|l| json!({ "limit": l.limit, "window_ms": l.window_ms }));
            h.set_rate_limit(limit.map(|l| (l.limit, Duration::from_millis(l.window_ms))));
            ok(&json!({ "rate_limit": as_json }))
        }
        Err(r) => r.into_response(),
    }
}
