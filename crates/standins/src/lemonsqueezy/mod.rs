//! The Lemon Squeezy stand-in (contract §4): `GET /v1/orders` (JSON:API, `page[number]`/`page[size]`,
//! sorted `-createdAt`, no date filter) and `GET /v1/orders/:id`, API keys as Bearer tokens, 300
//! requests a minute with `X-Ratelimit-Limit`/`X-Ratelimit-Remaining`, and the shared fault switches.

mod admin;
mod generate;
mod json;
mod order;
mod routes;
mod state;
mod store;
mod totals;

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

pub use admin::ADMIN_ROUTES;
pub use generate::generate_orders;
pub use order::{Payment, StandInOrder};
pub use totals::LemonSqueezyTotals;

use crate::error::StandInError;
use crate::faults::DataChange;
use crate::harness::{lock, Harness};
use crate::refund::Refund;
use crate::server::RunningServer;
use state::LemonSqueezyState;
use store::OrderStore;

/// The API key the binary prints and the default configuration accepts.
pub const DEFAULT_KEY: &str = "standin-lemonsqueezy-key";

#[derive(Debug, Clone)]
pub struct LemonSqueezyConfig {
    /// 0: any free port.
    pub port: u16,
    /// Accepted API keys (`Authorization: Bearer …`).
    pub api_keys: Vec<String>,
    pub orders: Vec<StandInOrder>,
    pub latency: Duration,
    /// Lemon Squeezy publishes 300 calls a minute; `None` turns the limit off.
    pub rate_limit: Option<(u32, Duration)>,
}

impl Default for LemonSqueezyConfig {
    fn default() -> Self {
        Self {
            port: 0,
            api_keys: vec![DEFAULT_KEY.into()],
            orders: Vec::new(),
            latency: Duration::ZERO,
            rate_limit: Some((300, Duration::from_secs(60))),
        }
    }
}

/// A running Lemon Squeezy stand-in; dropping it stops the server.
pub struct LemonSqueezyStandIn {
    state: Arc<LemonSqueezyState>,
    server: RunningServer,
}

impl LemonSqueezyStandIn {
    pub fn spawn(config: LemonSqueezyConfig) -> io::Result<Self> {
        let harness = Harness::new(config.latency, config.rate_limit, true, routes::throttled);
        let mut store = OrderStore::default();
        for order in config.orders {
            store
                .insert(order)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let keys: HashMap<String, bool> = config.api_keys.into_iter().map(|k| (k, true)).collect();
        let state = Arc::new(LemonSqueezyState {
            store: Mutex::new(store),
            keys: Mutex::new(keys),
            users: Mutex::new(HashMap::new()),
            addr: OnceLock::new(),
        });
        let weak: Weak<LemonSqueezyState> = Arc::downgrade(&state);
        harness.set_change_hook(Box::new(move |change| {
            let state = weak.upgrade()?;
            apply_change(&state, change)
        }));
        let router = routes::routes()
            .merge(admin::routes())
            .with_state(Arc::clone(&state));
        let server = RunningServer::spawn_platform(
            "standin-lemonsqueezy",
            config.port,
            router,
            routes::not_found,
            harness,
        )?;
        let _ = state.addr.set(server.addr());
        Ok(Self { state, server })
    }

    /// `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.origin())
    }

    pub fn add_key(&self, key: &str) {
        lock(&self.state.keys).insert(key.to_owned(), true);
    }

    /// Accepts `key` as user `user`'s: `/v1/users/me` answers that user, so connecting with it makes
    /// a connection of its own (a key without a user is user 1's).
    pub fn add_key_of_user(&self, key: &str, user: u64) {
        self.add_key(key);
        lock(&self.state.users).insert(key.to_owned(), user);
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

    /// Adds orders (ids, order numbers and identifiers given to those without).
    pub fn add_orders(
        &self,
        orders: impl IntoIterator<Item = StandInOrder>,
    ) -> Result<Vec<StandInOrder>, StandInError> {
        let mut store = lock(&self.state.store);
        orders.into_iter().map(|o| store.insert(o)).collect()
    }

    /// Refunds a paid order; `Refund::Partial` is in the order currency's minor units.
    pub fn refund(&self, id: u64, refund: Refund) -> Result<StandInOrder, StandInError> {
        lock(&self.state.store).refund(id, refund)
    }

    pub fn order(&self, id: u64) -> Option<StandInOrder> {
        lock(&self.state.store).get(id).cloned()
    }

    /// Every order, newest first (the API's order).
    pub fn orders(&self) -> Vec<StandInOrder> {
        lock(&self.state.store).all().cloned().collect()
    }

    /// Per order currency, from the order-currency amounts (see [`LemonSqueezyTotals`]).
    pub fn expected_totals(&self) -> BTreeMap<String, LemonSqueezyTotals> {
        totals::expected_totals(lock(&self.state.store).all())
    }

    /// Every order's `_usd` twins summed under `"USD"`.
    pub fn expected_totals_usd(&self) -> BTreeMap<String, LemonSqueezyTotals> {
        totals::expected_totals_usd(lock(&self.state.store).all())
    }
}

impl std::ops::Deref for LemonSqueezyStandIn {
    type Target = RunningServer;

    /// The switches and records every stand-in has: faults, latency, rate limit, requests.
    fn deref(&self) -> &RunningServer {
        &self.server
    }
}

fn apply_change(state: &LemonSqueezyState, change: &DataChange) -> Option<String> {
    let mut store = lock(&state.store);
    match change {
        DataChange::InsertNewestSale => store.insert_newest().ok().map(|o| o.id.to_string()),
        DataChange::RefundSale { id, amount_cents } => {
            let id = match id {
                Some(id) => id.parse::<u64>().ok()?,
                None => store.oldest_untouched()?,
            };
            let how = amount_cents.map_or(Refund::Full, Refund::Partial);
            store.refund(id, how).ok().map(|o| o.id.to_string())
        }
    }
}
