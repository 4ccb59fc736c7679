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

use crate::error::StandInError;
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

/// `GET /__admin`: a platform's admin routes, for a person with curl.
pub(crate) fn index(platform: &str, routes: &[(&str, &str)]) -> Response {
    let routes: Vec<_> = routes
        .iter()
        .map(|(route, what)| json!({ "route": route, "what": what }))
        .collect();
    ok(&json!({ "platform": platform, "routes": routes }))
}

pub(crate) fn ok<T: serde::Serialize>(value: &T) -> Response {
    responses::json(StatusCode::OK, value)
}

/// A body that may be left empty (then `T::default()`), such as a refund's optional amount.
pub(crate) fn parse_optional<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, BadRequest> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        parse(body)
    }
}

/// Adds the records a body holds (one object or an array): every one is built before the first is
/// stored, so a bad one adds nothing; answers 201 with them as stored.
pub(crate) fn add_records<N, T, S>(
    body: &Bytes,
    build: impl Fn(N) -> Result<T, String>,
    mut insert: impl FnMut(T) -> Result<S, StandInError>,
) -> Response
where
    N: DeserializeOwned,
    S: serde::Serialize,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<N> {
        Many(Vec<N>),
        One(Box<N>),
    }
    let new = match parse::<OneOrMany<N>>(body) {
        Ok(OneOrMany::Many(v)) => v,
        Ok(OneOrMany::One(one)) => vec![*one],
        Err(r) => return r.into_response(),
    };
    let built = match new.into_iter().map(build).collect::<Result<Vec<_>, _>>() {
        Ok(b) => b,
        Err(why) => return bad_request(&why),
    };
    match built
        .into_iter()
        .map(&mut insert)
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(added) => responses::json(StatusCode::CREATED, &added),
        Err(e) => mutation_error(&e),
    }
}

/// A change of the stand-in's data answered: the record as it is now, 404 for an unknown id, 409
/// for a change the record's state refuses.
pub(crate) fn mutation_result<S: serde::Serialize>(result: Result<S, StandInError>) -> Response {
    match result {
        Ok(record) => ok(&record),
        Err(e) => mutation_error(&e),
    }
}

pub(crate) fn mutation_error(e: &StandInError) -> Response {
    let status = match e {
        StandInError::UnknownSale(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::CONFLICT,
    };
    responses::json(status, &json!({ "error": e.to_string() }))
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
