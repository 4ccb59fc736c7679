//! The Stripe stand-in (contract §3): charges, refunds and disputes listed newest first with
//! `starting_after` and `created[…]`, balance transactions (Stripe's fee, the settlement currency) by
//! `expand[]`, secret and restricted keys as Bearer tokens with a restricted key's permissions
//! enforced, 25 requests a second (test mode's limit) answered past it with Stripe's 429, and the
//! shared fault switches.

mod admin;
mod charge;
mod generate;
mod json;
mod routes;
mod state;
mod store;
mod totals;

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

pub use admin::ADMIN_ROUTES;
pub use charge::{ChargeStatus, DisputeStatus, StandInCharge, StandInDispute, StandInRefund};
pub use generate::generate_charges;
pub use state::Permission;
pub use totals::StripeTotals;

use crate::error::StandInError;
use crate::faults::DataChange;
use crate::harness::{lock, Harness};
use crate::refund::Refund;
use crate::server::RunningServer;
use state::{Grant, StripeState};
use store::ChargeStore;

/// The restricted key the binary prints and the default configuration accepts (every permission).
pub const DEFAULT_KEY: &str = "rk_test_standinStripeKey0000";

/// The account every key of the stand-in belongs to.
pub const ACCOUNT_ID: &str = "acct_1StandInCreator0";

#[derive(Debug, Clone)]
pub struct StripeConfig {
    /// 0: any free port.
    pub port: u16,
    /// Accepted keys, each with every permission (`add_key` gives fewer).
    pub api_keys: Vec<String>,
    pub charges: Vec<StandInCharge>,
    pub latency: Duration,
    /// Stripe allows 25 requests a second in test mode (100 live); `None` turns the limit off.
    pub rate_limit: Option<(u32, Duration)>,
}

impl Default for StripeConfig {
    fn default() -> Self {
        Self {
            port: 0,
            api_keys: vec![DEFAULT_KEY.into()],
            charges: Vec::new(),
            latency: Duration::ZERO,
            rate_limit: Some((25, Duration::from_secs(1))),
        }
    }
}

/// A running Stripe stand-in; dropping it stops the server.
pub struct StripeStandIn {
    state: Arc<StripeState>,
    server: RunningServer,
}

impl StripeStandIn {
    pub fn spawn(config: StripeConfig) -> io::Result<Self> {
        let harness = Harness::new(config.latency, config.rate_limit, false, routes::throttled);
        let mut store = ChargeStore::default();
        for charge in config.charges {
            store
                .insert(charge)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let keys: HashMap<String, Grant> = config
            .api_keys
            .into_iter()
            .map(|k| {
                let grant = Grant {
                    valid: true,
                    permissions: Permission::ALL.to_vec(),
                };
                (k, grant)
            })
            .collect();
        let state = Arc::new(StripeState {
            store: Mutex::new(store),
            keys: Mutex::new(keys),
        });
        let weak: Weak<StripeState> = Arc::downgrade(&state);
        harness.set_change_hook(Box::new(move |change| {
            let state = weak.upgrade()?;
            apply_change(&state, change)
        }));
        let router = routes::routes()
            .merge(admin::routes())
            .with_state(Arc::clone(&state));
        let server = RunningServer::spawn_platform(
            "standin-stripe",
            config.port,
            router,
            routes::not_found,
            harness,
        )?;
        Ok(Self { state, server })
    }

    /// `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.origin())
    }

    /// A key with only these permissions (a restricted key made with too few).
    pub fn add_key(&self, key: &str, permissions: &[Permission]) {
        lock(&self.state.keys).insert(
            key.to_owned(),
            Grant {
                valid: true,
                permissions: permissions.to_vec(),
            },
        );
    }

    /// From now on `key` gets 401. False when it was never accepted.
    pub fn revoke_key(&self, key: &str) -> bool {
        match lock(&self.state.keys).get_mut(key) {
            Some(grant) => {
                grant.valid = false;
                true
            }
            None => false,
        }
    }

    /// Adds charges (ids given to those without).
    pub fn add_charges(
        &self,
        charges: impl IntoIterator<Item = StandInCharge>,
    ) -> Result<Vec<StandInCharge>, StandInError> {
        let mut store = lock(&self.state.store);
        charges.into_iter().map(|c| store.insert(c)).collect()
    }

    /// Refunds a succeeded charge now; `Refund::Partial` is in the charge currency's minor units.
    pub fn refund(&self, id: &str, refund: Refund) -> Result<StandInCharge, StandInError> {
        lock(&self.state.store).refund(id, refund)
    }

    /// Opens a dispute of the whole charge now.
    pub fn dispute(&self, id: &str) -> Result<StandInCharge, StandInError> {
        lock(&self.state.store).dispute(id)
    }

    pub fn close_dispute(&self, id: &str, won: bool) -> Result<StandInCharge, StandInError> {
        lock(&self.state.store).close_dispute(id, won)
    }

    pub fn charge(&self, id: &str) -> Option<StandInCharge> {
        lock(&self.state.store).get(id).cloned()
    }

    /// Every charge, newest first (the API's order).
    pub fn charges(&self) -> Vec<StandInCharge> {
        lock(&self.state.store).all().cloned().collect()
    }

    /// Per settlement currency (see [`StripeTotals`]).
    pub fn expected_totals(&self) -> BTreeMap<String, StripeTotals> {
        totals::expected_totals(lock(&self.state.store).all())
    }
}

impl std::ops::Deref for StripeStandIn {
    type Target = RunningServer;

    /// The switches and records every stand-in has: faults, latency, rate limit, requests.
    fn deref(&self) -> &RunningServer {
        &self.server
    }
}

fn apply_change(state: &StripeState, change: &DataChange) -> Option<String> {
    let mut store = lock(&state.store);
    match change {
        DataChange::InsertNewestSale => store.insert_newest().ok().map(|c| c.id),
        DataChange::RefundSale { id, amount_cents } => {
            let id = match id {
                Some(id) => id.clone(),
                None => store.oldest_untouched()?,
            };
            let how = amount_cents.map_or(Refund::Full, Refund::Partial);
            store.refund(&id, how).ok().map(|c| c.id)
        }
    }
}
