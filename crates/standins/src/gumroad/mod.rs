//! The Gumroad stand-in (contract §1): `GET /v2/user`, `GET /v2/sales` with Gumroad's filters and
//! `page_key` pagination, `GET /v2/sales/:id`, Doorkeeper's 401/403, and the shared fault switches —
//! run from a test with [`GumroadStandIn::spawn`], or from the `tributary-standins gumroad` binary.

mod admin;
mod auth;
mod generate;
mod ids;
mod json;
mod pagination;
mod params;
mod routes;
mod sale;
mod state;
mod store;
mod totals;

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};

pub use admin::ADMIN_ROUTES;
pub use generate::{generate_sales, last_year};
pub use sale::{default_fee, StandInSale};
pub use state::GumroadUser;
pub use store::Refund;
pub use totals::GumroadTotals;

use crate::error::StandInError;
use crate::faults::DataChange;
use crate::harness::{lock, Harness};
use crate::server::RunningServer;
use auth::Tokens;
use state::GumroadState;
use store::SaleStore;

/// The token the binary prints and `GumroadConfig::default()` accepts: obviously not a real one.
pub const DEFAULT_TOKEN: &str = "standin-gumroad-token";

/// The scopes the configured tokens have unless told otherwise.
pub fn default_scopes() -> Vec<String> {
    vec!["view_sales".into(), "view_profile".into()]
}

/// How a Gumroad stand-in starts.
#[derive(Debug, Clone)]
pub struct GumroadConfig {
    /// 0: any free port.
    pub port: u16,
    /// Accepted tokens (as `Authorization: Bearer …` or `?access_token=…`), all with `scopes`.
    pub tokens: Vec<String>,
    pub scopes: Vec<String>,
    /// The sales at the start; numbers and ids are given to those without (see `StandInSale`).
    pub sales: Vec<StandInSale>,
    /// Added to every request before it is answered.
    pub latency: Duration,
    /// `(requests, window)`: more than `requests` within any `window` are refused with 429 and
    /// counted in `Stats::rate_limit_violations`. Gumroad publishes no limit, so `None` by default.
    pub rate_limit: Option<(u32, Duration)>,
    pub user: GumroadUser,
    pub seller_id: String,
    /// The seller's time zone for `daystamp`, as a fixed offset (Gumroad's default zone is Pacific;
    /// no summer time here).
    pub seller_utc_offset_minutes: i32,
    /// Thousands separators in amounts (`"4,500"`), as the Money gem writes them with English
    /// formatting. Off gives `"4500"`.
    pub thousands_separators: bool,
    /// Gumroad's OAuth server (Doorkeeper: `/oauth/authorize`, `/oauth/token`) on the same port,
    /// whose access tokens the API accepts with their granted scopes; `None`: personal tokens only.
    pub oauth: Option<crate::authorization::AuthorizationConfig>,
}

impl Default for GumroadConfig {
    fn default() -> Self {
        Self {
            port: 0,
            tokens: vec![DEFAULT_TOKEN.into()],
            scopes: default_scopes(),
            sales: Vec::new(),
            latency: Duration::ZERO,
            rate_limit: None,
            user: GumroadUser::default(),
            seller_id: "kL0paVL2SdmJSYsNs-OCMg==".into(),
            seller_utc_offset_minutes: -8 * 60,
            thousands_separators: true,
            oauth: None,
        }
    }
}

impl GumroadConfig {
    /// The default configuration with `generate_sales(n, seed, from, to)`.
    pub fn with_generated_sales(
        n: usize,
        seed: u64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Self {
        Self {
            sales: generate_sales(n, seed, from, to),
            ..Self::default()
        }
    }
}

/// A running Gumroad stand-in. Every method is a plain synchronous call; dropping the handle stops
/// the server and joins its thread.
pub struct GumroadStandIn {
    state: Arc<GumroadState>,
    server: RunningServer,
}

impl GumroadStandIn {
    /// Starts serving on 127.0.0.1 and returns once the port is listening.
    pub fn spawn(config: GumroadConfig) -> io::Result<Self> {
        // Gumroad publishes no limit and sends no rate-limit headers; its throttle is Rack::Attack's.
        let harness = Harness::new(
            config.latency,
            config.rate_limit,
            false,
            crate::responses::too_many_requests,
        );
        let mut store = SaleStore::default();
        for sale in config.sales {
            store
                .insert(sale)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let mut tokens = Tokens::default();
        tokens.oauth = config
            .oauth
            .map(crate::authorization::AuthorizationServer::new);
        for token in &config.tokens {
            tokens.add(token, &config.scopes);
        }
        let oauth_routes = tokens
            .oauth
            .as_ref()
            .map(|o| o.routes().merge(o.admin_routes()));
        let offset =
            FixedOffset::east_opt(config.seller_utc_offset_minutes * 60).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "seller_utc_offset_minutes out of range",
                )
            })?;
        let state = Arc::new(GumroadState {
            store: Mutex::new(store),
            tokens: Mutex::new(tokens),
            user: config.user,
            seller_id: config.seller_id,
            offset,
            thousands: config.thousands_separators,
        });
        // Weak: the harness (in the router) holds this hook; a strong reference to the state would keep it alive for ever.
        let weak: Weak<GumroadState> = Arc::downgrade(&state);
        harness.set_change_hook(Box::new(move |change| {
            let state = weak.upgrade()?;
            apply_change(&state, change)
        }));

        let mut router = routes::routes()
            .merge(admin::routes())
            .with_state(Arc::clone(&state));
        if let Some(oauth) = oauth_routes {
            router = router.merge(oauth);
        }
        let server = RunningServer::spawn_platform(
            "standin-gumroad",
            config.port,
            router,
            routes::not_found,
            harness,
        )?;
        Ok(Self { state, server })
    }

    /// The OAuth server on this port, when the configuration has one.
    pub fn oauth(&self) -> Option<crate::authorization::AuthorizationServer> {
        lock(&self.state.tokens).oauth.clone()
    }

    /// `http://127.0.0.1:PORT/oauth/authorize` and `…/oauth/token`.
    pub fn oauth_urls(&self) -> (String, String) {
        let origin = self.origin();
        (
            format!("{origin}/oauth/authorize"),
            format!("{origin}/oauth/token"),
        )
    }

    /// `http://127.0.0.1:PORT/v2`: the API base as the contract writes it (join `/sales`, `/user`).
    pub fn base_url(&self) -> String {
        format!("{}/v2", self.origin())
    }

    // Tokens.

    /// Accepts `token` with exactly these scopes (replacing what it had).
    pub fn add_token(&self, token: &str, scopes: &[&str]) {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        lock(&self.state.tokens).add(token, &scopes);
    }

    /// From now on `token` gets 401. False when it was never accepted.
    pub fn revoke_token(&self, token: &str) -> bool {
        lock(&self.state.tokens).revoke(token)
    }

    // Sales.

    /// Adds sales (numbers and ids are given to those without); returns them as stored.
    pub fn add_sales(
        &self,
        sales: impl IntoIterator<Item = StandInSale>,
    ) -> Result<Vec<StandInSale>, StandInError> {
        let mut store = lock(&self.state.store);
        sales.into_iter().map(|s| store.insert(s)).collect()
    }

    pub fn refund(&self, id: &str, refund: Refund) -> Result<StandInSale, StandInError> {
        lock(&self.state.store).refund(id, refund)
    }

    /// A chargeback: `chargedback` and `disputed` become true.
    pub fn chargeback(&self, id: &str) -> Result<StandInSale, StandInError> {
        lock(&self.state.store).chargeback(id)
    }

    /// The seller won the dispute: `chargedback` false again, `dispute_won` true.
    pub fn win_dispute(&self, id: &str) -> Result<StandInSale, StandInError> {
        lock(&self.state.store).win_dispute(id)
    }

    pub fn sale(&self, id: &str) -> Option<StandInSale> {
        lock(&self.state.store).get(id).cloned()
    }

    /// Every sale, newest first (the API's order).
    pub fn sales(&self) -> Vec<StandInSale> {
        lock(&self.state.store).all().cloned().collect()
    }

    /// What a ledger synced from here should hold, per currency (`"USD"`); see [`GumroadTotals`]
    /// for exactly what each figure sums.
    pub fn expected_totals(&self) -> BTreeMap<String, GumroadTotals> {
        totals::expected_totals(lock(&self.state.store).all())
    }
}

impl std::ops::Deref for GumroadStandIn {
    type Target = RunningServer;

    /// The switches and records every stand-in has: faults, latency, rate limit, requests.
    fn deref(&self) -> &RunningServer {
        &self.server
    }
}

fn apply_change(state: &GumroadState, change: &DataChange) -> Option<String> {
    let mut store = lock(&state.store);
    match change {
        DataChange::InsertNewestSale => store.insert_newest().ok().map(|s| s.id),
        DataChange::RefundSale { id, amount_cents } => {
            let id = id.clone().or_else(|| store.oldest_untouched())?;
            let how = amount_cents.map_or(Refund::Full, Refund::Partial);
            store.refund(&id, how).ok().map(|s| s.id)
        }
    }
}
