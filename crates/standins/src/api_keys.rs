//! The API keys of a stand-in whose platform takes plain keys (Lemon Squeezy, Whop): each key and
//! whether it is still valid, and the admin routes that add one and revoke one
//! (`POST /__admin/keys {"key":"k"}`, `POST /__admin/keys/revoke {"key":"k"}`: 401 from then on).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::admin::{bad_request, ok, parse};
use crate::harness::lock;
use crate::responses;

/// Key → still valid (false once revoked).
pub(crate) type ApiKeys = Mutex<HashMap<String, bool>>;

/// A platform state that holds API keys.
pub(crate) trait HasApiKeys: Send + Sync + 'static {
    fn api_keys(&self) -> &ApiKeys;
}

pub(crate) fn routes<S: HasApiKeys>() -> Router<Arc<S>> {
    Router::new()
        .route("/__admin/keys", post(add::<S>))
        .route("/__admin/keys/revoke", post(revoke::<S>))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyBody {
    key: String,
}

async fn add<S: HasApiKeys>(State(st): State<Arc<S>>, body: Bytes) -> Response {
    match parse::<KeyBody>(&body) {
        Ok(k) if !k.key.is_empty() => {
            lock(st.api_keys()).insert(k.key, true);
            ok(&json!({ "added": true }))
        }
        Ok(_) => bad_request("key must not be empty"),
        Err(r) => r.into_response(),
    }
}

async fn revoke<S: HasApiKeys>(State(st): State<Arc<S>>, body: Bytes) -> Response {
    match parse::<KeyBody>(&body) {
        Ok(k) => match lock(st.api_keys()).get_mut(&k.key) {
            Some(valid) => {
                *valid = false;
                ok(&json!({ "revoked": true }))
            }
            None => responses::json(StatusCode::NOT_FOUND, &json!({ "error": "no such key" })),
        },
        Err(r) => r.into_response(),
    }
}
