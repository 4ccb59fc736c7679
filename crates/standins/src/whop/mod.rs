//! The Whop stand-in (contract §2): API v1 under `/api/v1` — `GET /payments` with the cursor
//! envelope (`data` + `page_info`), `first`/`after` (and `last`/`before`), the date, status and
//! currency filters and `order`/`direction`; `GET /payments/{id}`; `GET /accounts/me` to check a key.
//! Amounts are JSON numbers in major units (`49.99`), currencies lowercase. Company API keys as
//! Bearer tokens, revocable (401). The rate limit of v1 is unpublished: the stand-in holds clients
//! to v2's 100 requests per 10 seconds [I], configurable, with 429 + `Retry-After` and no rate-limit
//! headers; and the shared fault switches.
//!
//! Assumptions [I], each in the module it concerns: the cursor is the base64 of a position
//! (`cursor`); page size 10 by default, 100 at most; newest first by default; `_after`/`_before`
//! filters strict (`query`); the error body (`routes`); the float text (`amount`); the substatus of
//! unpaid payments (`payment`). `GET /accounts/me` is the SDK's `accounts.me()` ("the business
//! account associated with the current API key"), not in the contract's tables.

mod admin;
mod amount;
mod cursor;
mod generate;
mod json;
mod payment;
mod query;
mod routes;
mod state;
mod store;
mod totals;

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

pub use admin::ADMIN_ROUTES;
pub use generate::generate_payments;
pub use payment::{DisputeOutcome, StandInPayment, Status, WhopDispute};
pub use state::Company;
pub use totals::WhopTotals;

use crate::error::StandInError;
use crate::faults::DataChange;
use crate::harness::{lock, Harness};
use crate::refund::Refund;
use crate::server::RunningServer;
use state::WhopState;
use store::PaymentStore;

/// The API key the binary prints and the default configuration accepts.
pub const DEFAULT_KEY: &str = "standin-whop-key";

/// The `Api-Version-Date` the SDK pins (contract §2.1); the stand-in accepts any.
pub const API_VERSION_DATE: &str = "2026-07-20";

#[derive(Debug, Clone)]
pub struct WhopConfig {
    /// 0: any free port.
    pub port: u16,
    /// Accepted company API keys (`Authorization: Bearer …`).
    pub api_keys: Vec<String>,
    pub payments: Vec<StandInPayment>,
    pub company: Company,
    pub latency: Duration,
    /// v1 publishes none; v2's 100 requests per 10 s by default. `None` turns the limit off.
    pub rate_limit: Option<(u32, Duration)>,
    /// Whop's OAuth 2.1 server on the same port (`/oauth/authorize`, `/oauth/token`), whose access
    /// tokens the API accepts; `None`: API keys only.
    pub oauth: Option<crate::authorization::AuthorizationConfig>,
}

impl Default for WhopConfig {
    fn default() -> Self {
        Self {
            port: 0,
            api_keys: vec![DEFAULT_KEY.into()],
            payments: Vec::new(),
            company: Company::default(),
            latency: Duration::ZERO,
            rate_limit: Some((100, Duration::from_secs(10))),
            oauth: None,
        }
    }
}

/// A running Whop stand-in; dropping it stops the server.
pub struct WhopStandIn {
    state: Arc<WhopState>,
    server: RunningServer,
}

impl WhopStandIn {
    pub fn spawn(config: WhopConfig) -> io::Result<Self> {
        let harness = Harness::new(config.latency, config.rate_limit, false, routes::throttled);
        let mut store = PaymentStore::default();
        for p in config.payments {
            store
                .insert(p)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let keys: HashMap<String, bool> = config.api_keys.into_iter().map(|k| (k, true)).collect();
        let state = Arc::new(WhopState {
            store: Mutex::new(store),
            keys: Mutex::new(keys),
            company: config.company,
            versions_seen: Mutex::default(),
            oauth: config
                .oauth
                .map(crate::authorization::AuthorizationServer::new),
        });
        let weak: Weak<WhopState> = Arc::downgrade(&state);
        harness.set_change_hook(Box::new(move |change| {
            let state = weak.upgrade()?;
            apply_change(&state, change)
        }));
        let mut router = routes::routes()
            .merge(admin::routes())
            .with_state(Arc::clone(&state));
        if let Some(oauth) = &state.oauth {
            router = router.merge(oauth.routes()).merge(oauth.admin_routes());
        }
        let server = RunningServer::spawn_platform(
            "standin-whop",
            config.port,
            router,
            routes::not_found,
            harness,
        )?;
        Ok(Self { state, server })
    }

    /// `http://127.0.0.1:PORT/api/v1`.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.origin(), routes::API_PREFIX)
    }

    pub fn add_key(&self, key: &str) {
        lock(&self.state.keys).insert(key.to_owned(), true);
    }

    /// From now on `key` gets 401. False when it was never accepted.
    pub fn revoke_key(&self, key: &str) -> bool {
        match lock(&self.state.keys).get_mut(key) {
            Some(valid) => {
                *valid = false;
                true
            }
            None => false,
        }
    }

    /// Adds payments (ids given to those without).
    pub fn add_payments(
        &self,
        payments: impl IntoIterator<Item = StandInPayment>,
    ) -> Result<Vec<StandInPayment>, StandInError> {
        let mut store = lock(&self.state.store);
        payments.into_iter().map(|p| store.insert(p)).collect()
    }

    /// Refunds a paid payment; `Refund::Partial` is in its currency's minor units. `refunded_at`
    /// and `updated_at` become now.
    pub fn refund(&self, id: &str, refund: Refund) -> Result<StandInPayment, StandInError> {
        lock(&self.state.store).refund(id, refund)
    }

    /// Opens a dispute on a paid payment now, or settles its dispute (`Won`, `Lost`).
    pub fn dispute(
        &self,
        id: &str,
        outcome: DisputeOutcome,
    ) -> Result<StandInPayment, StandInError> {
        lock(&self.state.store).dispute(id, outcome)
    }

    pub fn payment(&self, id: &str) -> Option<StandInPayment> {
        lock(&self.state.store).get(id).cloned()
    }

    /// Every payment, oldest first.
    pub fn payments(&self) -> Vec<StandInPayment> {
        lock(&self.state.store).all().cloned().collect()
    }

    /// Per currency (lowercase), in minor units (see [`WhopTotals`]).
    pub fn expected_totals(&self) -> BTreeMap<String, WhopTotals> {
        totals::expected_totals(lock(&self.state.store).all())
    }

    /// The `Api-Version-Date` values requests to the API routes have sent.
    pub fn api_versions_seen(&self) -> Vec<String> {
        lock(&self.state.versions_seen).iter().cloned().collect()
    }

    /// The OAuth server on this port, when the configuration has one.
    pub fn oauth(&self) -> Option<&crate::authorization::AuthorizationServer> {
        self.state.oauth.as_ref()
    }

    /// `http://127.0.0.1:PORT/oauth/authorize` and `…/oauth/token`.
    pub fn oauth_urls(&self) -> (String, String) {
        let origin = self.origin();
        (
            format!("{origin}/oauth/authorize"),
            format!("{origin}/oauth/token"),
        )
    }

    pub fn company(&self) -> &Company {
        &self.state.company
    }
}

impl std::ops::Deref for WhopStandIn {
    type Target = RunningServer;

    /// The switches and records every stand-in has: faults, latency, rate limit, requests.
    fn deref(&self) -> &RunningServer {
        &self.server
    }
}

fn apply_change(state: &WhopState, change: &DataChange) -> Option<String> {
    let mut store = lock(&state.store);
    match change {
        DataChange::InsertNewestSale => store.insert_newest().ok().map(|p| p.id),
        DataChange::RefundSale { id, amount_cents } => {
            let id = match id {
                Some(id) => id.clone(),
                None => store.oldest_untouched()?,
            };
            let how = amount_cents.map_or(Refund::Full, Refund::Partial);
            store.refund(&id, how).ok().map(|p| p.id)
        }
    }
}
