//! The authorization stand-in's switches over HTTP, for a person with curl or an end-to-end test:
//! `GET /__admin/oauth/stats` (the counters), `PUT /__admin/oauth/consent` with
//! `{"mode":"approve"|"deny"|"wrong_state"|"no_redirect"}`, `POST /__admin/oauth/expire_tokens`,
//! `POST /__admin/oauth/revoke_all`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use super::{AuthorizationServer, ConsentMode};
use crate::admin::{ok, parse};

#[derive(Deserialize)]
struct Consent {
    mode: ConsentMode,
}

pub(crate) fn routes(server: AuthorizationServer) -> Router {
    Router::new()
        .route("/__admin/oauth/stats", get(stats))
        .route("/__admin/oauth/consent", put(set_consent))
        .route("/__admin/oauth/expire_tokens", post(expire_tokens))
        .route("/__admin/oauth/revoke_all", post(revoke_all))
        .with_state(server)
}

async fn stats(State(server): State<AuthorizationServer>) -> Response {
    ok(&server.counters())
}

async fn set_consent(State(server): State<AuthorizationServer>, body: Bytes) -> Response {
    match parse::<Consent>(&body) {
        Ok(c) => {
            server.set_consent(c.mode);
            ok(&json!({ "mode": c.mode }))
        }
        Err(e) => axum::response::IntoResponse::into_response(e),
    }
}

async fn expire_tokens(State(server): State<AuthorizationServer>) -> Response {
    server.expire_access_tokens();
    ok(&json!({ "expired": true }))
}

async fn revoke_all(State(server): State<AuthorizationServer>) -> Response {
    server.revoke_all();
    ok(&json!({ "revoked": true }))
}
