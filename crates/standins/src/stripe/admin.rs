//! The Stripe stand-in's own admin routes, beside the shared ones: charges (listed, added, refunded,
//! disputed, disputes closed), the totals a synced ledger should hold, API keys (added with their
//! permissions, revoked).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::charge::{ChargeStatus, StandInCharge};
use super::state::{Grant, Permission, StripeState};
use super::totals::expected_totals;
use crate::admin::{add_records, bad_request, mutation_result, ok, parse, parse_optional};
use crate::harness::lock;
use crate::refund::Refund;
use crate::responses;

pub(crate) fn routes() -> Router<Arc<StripeState>> {
    Router::new()
        .route("/__admin", get(index))
        .route("/__admin/charges", get(list).post(add))
        .route("/__admin/charges/{id}/refund", post(refund))
        .route("/__admin/charges/{id}/dispute", post(dispute))
        .route("/__admin/charges/{id}/dispute/close", post(close_dispute))
        .route("/__admin/expected_totals", get(totals))
        .route("/__admin/keys", post(add_key))
        .route("/__admin/keys/revoke", post(revoke_key))
}

/// The admin routes, for a person with curl.
pub const ADMIN_ROUTES: &[(&str, &str)] = &[
    (
        "GET /__admin/stats",
        "counts: requests, by_status, rate_limit_violations, max_concurrent",
    ),
    (
        "GET|DELETE /__admin/requests",
        "the request log / clear it and the counts",
    ),
    (
        "GET|POST|PUT|DELETE /__admin/faults",
        "pending faults / add (object or array) / replace / clear",
    ),
    (
        "GET /__admin/changes",
        "data changes faults made (inserted, refunded charges)",
    ),
    ("PUT /__admin/latency", r#"{"ms":250}"#),
    (
        "PUT /__admin/rate_limit",
        r#"{"limit":25,"window_ms":1000} or null"#,
    ),
    (
        "GET|POST /__admin/charges",
        "the charges, newest first / add charges (object or array)",
    ),
    (
        "POST /__admin/charges/{id}/refund",
        r#"{"amount":250} (charge currency minor units) or no body for all"#,
    ),
    (
        "POST /__admin/charges/{id}/dispute",
        "opens a dispute of the whole charge",
    ),
    (
        "POST /__admin/charges/{id}/dispute/close",
        r#"{"won":true}"#,
    ),
    (
        "GET /__admin/expected_totals",
        "what a synced ledger should hold, per settlement currency",
    ),
    (
        "POST /__admin/keys",
        r#"{"key":"rk_test_x","permissions":["charges","refunds","disputes","balance_transactions"]} (no permissions: all)"#,
    ),
    (
        "POST /__admin/keys/revoke",
        r#"{"key":"k"} (401 from then on)"#,
    ),
];

async fn index() -> Response {
    crate::admin::index("stripe", ADMIN_ROUTES)
}

async fn list(State(st): State<Arc<StripeState>>) -> Response {
    let charges: Vec<StandInCharge> = lock(&st.store).all().cloned().collect();
    ok(&charges)
}

const MAX_MINOR: i64 = 1_000_000_000_000_000;

/// A charge to add; everything has a default (a succeeded $20.00 charge now).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCharge {
    #[serde(default, with = "crate::time_serde::option")]
    created: Option<DateTime<Utc>>,
    description: Option<String>,
    amount: Option<i64>,
    currency: Option<String>,
    /// With `settlement_per_10000`: converted into this currency.
    settlement_currency: Option<String>,
    settlement_per_10000: Option<i64>,
    status: Option<ChargeStatus>,
    email: Option<String>,
}

impl NewCharge {
    fn into_charge(self) -> Result<StandInCharge, String> {
        let amount = self.amount.unwrap_or(2000);
        if !(1..=MAX_MINOR).contains(&amount) {
            return Err(format!("amount must be 1..={MAX_MINOR}"));
        }
        let at = super::store::whole_second(self.created.unwrap_or_else(Utc::now));
        let mut c = StandInCharge::new(at, self.description.as_deref().unwrap_or("Ebook"), amount)
            .in_currency(self.currency.as_deref().unwrap_or("usd"))
            .status(self.status.unwrap_or(ChargeStatus::Succeeded));
        match (self.settlement_currency, self.settlement_per_10000) {
            (Some(code), Some(rate)) if rate > 0 => c = c.settled_in(&code, rate),
            (None, None) => {}
            _ => {
                return Err(
                    "settlement_currency needs settlement_per_10000 (> 0), and the other way"
                        .into(),
                )
            }
        }
        if let Some(email) = &self.email {
            c = c.email(email);
        }
        Ok(c)
    }
}

async fn add(State(st): State<Arc<StripeState>>, body: Bytes) -> Response {
    let mut store = lock(&st.store);
    add_records(&body, NewCharge::into_charge, |c| store.insert(c))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RefundBody {
    amount: Option<i64>,
}

async fn refund(
    State(st): State<Arc<StripeState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let body: RefundBody = match parse_optional(&body) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let how = body.amount.map_or(Refund::Full, Refund::Partial);
    mutation_result(lock(&st.store).refund(&id, how))
}

async fn dispute(State(st): State<Arc<StripeState>>, Path(id): Path<String>) -> Response {
    mutation_result(lock(&st.store).dispute(&id))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseBody {
    won: bool,
}

async fn close_dispute(
    State(st): State<Arc<StripeState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    match parse::<CloseBody>(&body) {
        Ok(b) => mutation_result(lock(&st.store).close_dispute(&id, b.won)),
        Err(r) => r.into_response(),
    }
}

async fn totals(State(st): State<Arc<StripeState>>) -> Response {
    ok(&json!({ "by_settlement_currency": expected_totals(lock(&st.store).all()) }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyBody {
    key: String,
    #[serde(default)]
    permissions: Option<Vec<String>>,
}

fn permission(name: &str) -> Option<Permission> {
    Some(match name {
        "charges" => Permission::Charges,
        "refunds" => Permission::Refunds,
        "disputes" => Permission::Disputes,
        "balance_transactions" => Permission::BalanceTransactions,
        "account" => Permission::Account,
        _ => return None,
    })
}

async fn add_key(State(st): State<Arc<StripeState>>, body: Bytes) -> Response {
    let k = match parse::<KeyBody>(&body) {
        Ok(k) if !k.key.is_empty() => k,
        Ok(_) => return bad_request("key must not be empty"),
        Err(r) => return r.into_response(),
    };
    let permissions = match k.permissions {
        None => Permission::ALL.to_vec(),
        Some(names) => match names
            .iter()
            .map(|n| permission(n))
            .collect::<Option<Vec<_>>>()
        {
            Some(p) => p,
            None => {
                return bad_request(
                    "permissions: charges, refunds, disputes, balance_transactions, account",
                )
            }
        },
    };
    lock(&st.keys).insert(
        k.key,
        Grant {
            valid: true,
            permissions,
        },
    );
    ok(&json!({ "added": true }))
}

async fn revoke_key(State(st): State<Arc<StripeState>>, body: Bytes) -> Response {
    match parse::<KeyBody>(&body) {
        Ok(k) => match lock(&st.keys).get_mut(&k.key) {
            Some(grant) => {
                grant.valid = false;
                ok(&json!({ "revoked": true }))
            }
            None => responses::json(StatusCode::NOT_FOUND, &json!({ "error": "no such key" })),
        },
        Err(r) => r.into_response(),
    }
}
