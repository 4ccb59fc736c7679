//! A stand-in OAuth 2 authorization server, for any platform's OAuth (Whop's OAuth 2.1 with PKCE,
//! Gumroad's Doorkeeper): `GET /oauth/authorize` and `POST /oauth/token` as RFC 6749, RFC 7636
//! (S256) and RFC 8252 (loopback redirects, any port) have them, with a consent that happens by
//! itself and switches to deny it, answer a wrong `state` or never answer; authorization codes that
//! work once; refresh tokens that rotate or not, a spent one sent again revoking the whole grant;
//! access tokens with a lifetime, and a way for a platform stand-in to ask whether one is valid.
//!
//! Standalone (`AuthorizationStandIn::spawn`, its own port, the shared fault switches and request
//! log), or merged into a platform stand-in's router (`AuthorizationServer::routes`), which then
//! checks its API's Bearer tokens with `AuthorizationServer::token_is_valid`.

mod admin;
mod authorize;
mod pkce;
mod store;
mod token;

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};

pub use store::AuthorizationCounters;

use crate::harness::{lock, Harness};
use crate::server::RunningServer;
use store::{Policy, Store};

/// The client id the binary prints and the default configuration registers.
pub const DEFAULT_CLIENT_ID: &str = "standin-oauth-client";

/// A registered client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    pub id: String,
    /// `None`: a public client (PKCE is its proof); `Some`: confidential, the secret is required.
    pub secret: Option<String>,
    /// The redirect path it registered; any loopback port is allowed (RFC 8252 §7.3).
    pub redirect_path: String,
}

impl OAuthClient {
    pub fn public(id: &str) -> Self {
        OAuthClient {
            id: id.to_owned(),
            secret: None,
            redirect_path: "/callback".into(),
        }
    }

    pub fn confidential(id: &str, secret: &str) -> Self {
        OAuthClient {
            secret: Some(secret.to_owned()),
            ..OAuthClient::public(id)
        }
    }
}

/// What the "person" does at the consent screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMode {
    /// Redirects to the client with a code and the request's `state`.
    #[default]
    Approve,
    /// Redirects with `error=access_denied` and the `state`.
    Deny,
    /// Redirects with a code and another `state` (what a forged callback looks like).
    WrongState,
    /// Answers a page and never redirects (the person walked away): for timeouts.
    NoRedirect,
}

#[derive(Debug, Clone)]
pub struct AuthorizationConfig {
    /// 0: any free port (standalone only).
    pub port: u16,
    pub clients: Vec<OAuthClient>,
    /// `None`: access tokens never expire (Gumroad), and the answer has no `expires_in`.
    pub access_token_lifetime: Option<Duration>,
    /// RFC 6749 recommends at most 10 minutes.
    pub code_lifetime: Duration,
    pub issue_refresh_tokens: bool,
    /// Each refresh answers a new refresh token and spends the old one (Whop); without rotation
    /// the answer has no refresh token and the old one stays good.
    pub rotate_refresh_tokens: bool,
    /// Whether `code_challenge` (S256) is required; without, one sent is still checked.
    pub require_pkce: bool,
    /// The scope granted when the request names none.
    pub default_scope: String,
    pub consent: ConsentMode,
    pub latency: Duration,
}

impl AuthorizationConfig {
    /// Whop's OAuth 2.1 (contract §2.1): a public client, PKCE required, 1-hour access tokens,
    /// refresh tokens rotating on every use.
    pub fn whop() -> Self {
        AuthorizationConfig {
            port: 0,
            clients: vec![OAuthClient::public(DEFAULT_CLIENT_ID)],
            access_token_lifetime: Some(Duration::from_secs(3600)),
            code_lifetime: Duration::from_secs(600),
            issue_refresh_tokens: true,
            rotate_refresh_tokens: true,
            require_pkce: true,
            default_scope: "openid".into(),
            consent: ConsentMode::Approve,
            latency: Duration::ZERO,
        }
    }

    /// Gumroad's Doorkeeper (contract §1.1): a confidential client, tokens that never expire,
    /// refresh tokens that do not rotate, PKCE accepted but not required.
    pub fn gumroad(client_secret: &str) -> Self {
        AuthorizationConfig {
            clients: vec![OAuthClient::confidential(DEFAULT_CLIENT_ID, client_secret)],
            access_token_lifetime: None,
            rotate_refresh_tokens: false,
            require_pkce: false,
            default_scope: "view_sales".into(),
            ..AuthorizationConfig::whop()
        }
    }
}

impl Default for AuthorizationConfig {
    fn default() -> Self {
        AuthorizationConfig::whop()
    }
}

/// The server itself, shared by its routes and its handle (cloning shares it).
#[derive(Clone)]
pub struct AuthorizationServer {
    inner: Arc<Inner>,
}

struct Inner {
    config: AuthorizationConfig,
    store: Mutex<Store>,
    clients: Mutex<Vec<OAuthClient>>,
    consent: Mutex<ConsentMode>,
}

impl AuthorizationServer {
    pub fn new(config: AuthorizationConfig) -> Self {
        let policy = Policy {
            access_lifetime: config.access_token_lifetime,
            code_lifetime: config.code_lifetime,
            issue_refresh_tokens: config.issue_refresh_tokens,
            rotate_refresh_tokens: config.rotate_refresh_tokens,
        };
        AuthorizationServer {
            inner: Arc::new(Inner {
                store: Mutex::new(Store::new(policy)),
                clients: Mutex::new(config.clients.clone()),
                consent: Mutex::new(config.consent),
                config,
            }),
        }
    }

    /// `GET /oauth/authorize` and `POST /oauth/token` over this server, to serve alone or to merge
    /// into a platform stand-in's router (after its own `with_state`, beside its other routes).
    pub fn routes(&self) -> Router {
        Router::new()
            .route("/oauth/authorize", get(authorize::authorize))
            .route("/oauth/token", post(token::token))
            .with_state(self.clone())
    }

    /// The switches over HTTP under `/__admin/oauth/` (consent, expire, revoke, stats).
    pub fn admin_routes(&self) -> Router {
        admin::routes(self.clone())
    }

    pub fn config(&self) -> &AuthorizationConfig {
        &self.inner.config
    }

    /// Whether `access_token` was issued here, has not expired and its grant is not revoked: what
    /// a platform stand-in checks an API call's Bearer token with.
    pub fn token_is_valid(&self, access_token: &str) -> bool {
        self.token_scope(access_token).is_some()
    }

    /// The scope granted to a valid access token (space-separated).
    pub fn token_scope(&self, access_token: &str) -> Option<String> {
        self.with_store(|s| s.access_scope(access_token).map(str::to_owned))
    }

    /// Every access token issued so far expires now (the "expired token" 401); their refresh
    /// tokens still work.
    pub fn expire_access_tokens(&self) {
        self.with_store(Store::expire_access_tokens);
    }

    /// Every grant is revoked (the person disconnected the app on the platform): access and
    /// refresh tokens stop working.
    pub fn revoke_all(&self) {
        self.with_store(Store::revoke_all);
    }

    /// `Some(true)` once the grant of this refresh token is revoked (a reuse, `revoke_all`);
    /// `None` for a token never issued here.
    pub fn refresh_token_revoked(&self, refresh_token: &str) -> Option<bool> {
        self.with_store(|s| s.refresh_grant_revoked(refresh_token))
    }

    pub fn set_consent(&self, mode: ConsentMode) {
        *lock(&self.inner.consent) = mode;
    }

    pub fn consent(&self) -> ConsentMode {
        *lock(&self.inner.consent)
    }

    pub fn add_client(&self, client: OAuthClient) {
        let mut clients = lock(&self.inner.clients);
        clients.retain(|c| c.id != client.id);
        clients.push(client);
    }

    pub fn counters(&self) -> AuthorizationCounters {
        self.with_store(|s| s.counters.clone())
    }

    pub(crate) fn client(&self, id: &str) -> Option<OAuthClient> {
        lock(&self.inner.clients)
            .iter()
            .find(|c| c.id == id)
            .cloned()
    }

    pub(crate) fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut lock(&self.inner.store))
    }
}

/// A standalone authorization stand-in on its own port; dropping it stops the server.
pub struct AuthorizationStandIn {
    authority: AuthorizationServer,
    server: RunningServer,
}

impl AuthorizationStandIn {
    pub fn spawn(config: AuthorizationConfig) -> io::Result<Self> {
        let harness = Harness::new(
            config.latency,
            None,
            false,
            crate::responses::too_many_requests,
        );
        let port = config.port;
        let authority = AuthorizationServer::new(config);
        let router = authority
            .routes()
            .merge(authority.admin_routes())
            .merge(crate::admin::routes(Arc::clone(&harness)))
            .layer(middleware::from_fn_with_state(
                Arc::clone(&harness),
                crate::gate::gate,
            ));
        let server = RunningServer::spawn("standin-oauth", port, router, harness)?;
        Ok(AuthorizationStandIn { authority, server })
    }

    /// The server's switches and state (consent, expiry, counters, token checks).
    pub fn authority(&self) -> &AuthorizationServer {
        &self.authority
    }

    /// `http://127.0.0.1:PORT/oauth/authorize`.
    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.origin())
    }

    /// `http://127.0.0.1:PORT/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.origin())
    }
}

impl std::ops::Deref for AuthorizationStandIn {
    type Target = RunningServer;

    /// The switches and records every stand-in has: faults, latency, requests.
    fn deref(&self) -> &RunningServer {
        &self.server
    }
}
