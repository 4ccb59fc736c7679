//! The Whop stand-in's own admin routes, beside the shared ones: payments (listed, added, refunded),
//! the totals a synced ledger should hold, API keys (added, revoked).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::payment::{StandInPayment, Status};
use super::state::WhopState;
use super::totals::expected_totals;
use crate::admin::{add_records, mutation_result, ok, parse_optional};
use crate::harness::lock;
use crate::refund::Refund;

pub(crate) fn routes() -> Router<Arc<WhopState>> {
    Router::new()
        .route("/__admin", get(index))
        .route("/__admin/payments", get(list).post(add))
        .route("/__admin/payments/{id}/refund", post(refund))
        .route("/__admin/expected_totals", get(totals))
        .merge(crate::api_keys::routes::<WhopState>())
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
        "data changes faults made (inserted, refunded payments)",
    ),
    ("PUT /__admin/latency", r#"{"ms":250}"#),
    (
        "PUT /__admin/rate_limit",
        r#"{"limit":100,"window_ms":10000} or null"#,
    ),
    (
        "GET|POST /__admin/payments",
        "the payments, oldest first / add payments (object or array)",
    ),
    (
        "POST /__admin/payments/{id}/refund",
        r#"{"amount":250} (currency minor units) or no body for all"#,
    ),
    (
        "GET /__admin/expected_totals",
        "what a synced ledger should hold, per currency (minor units)",
    ),
    ("POST /__admin/keys", r#"{"key":"k"}"#),
    (
        "POST /__admin/keys/revoke",
        r#"{"key":"k"} (401 from then on)"#,
    ),
];

async fn index() -> Response {
    crate::admin::index("whop", ADMIN_ROUTES)
}

async fn list(State(st): State<Arc<WhopState>>) -> Response {
    let payments: Vec<StandInPayment> = lock(&st.store).all().cloned().collect();
    ok(&payments)
}

const MAX_MINOR: i64 = 1_000_000_000_000_000;

/// A payment to add; everything has a default (a paid $49.99 USD payment now).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPayment {
    #[serde(default, with = "crate::time_serde::option")]
    created_at: Option<DateTime<Utc>>,
    product_title: Option<String>,
    /// Minor units of `currency`.
    subtotal: Option<i64>,
    currency: Option<String>,
    tax_rate_bp: Option<u32>,
    fees: Option<i64>,
    user_email: Option<String>,
    status: Option<Status>,
    #[serde(default)]
    refunded_amount: i64,
}

impl NewPayment {
    fn into_payment(self) -> Result<StandInPayment, String> {
        let subtotal = self.subtotal.unwrap_or(4999);
        if !(0..=MAX_MINOR).contains(&subtotal) {
            return Err(format!("subtotal must be 0..={MAX_MINOR}"));
        }
        if self.tax_rate_bp.is_some_and(|r| r > 10_000) {
            return Err("tax_rate_bp must be at most 10000 (100%)".into());
        }
        if let Some(code) = &self.currency {
            if !crate::money::is_known(code) {
                return Err(format!("currency \"{code}\" is not one the stand-in knows"));
            }
        }
        let mut p = StandInPayment::new(
            self.created_at.unwrap_or_else(Utc::now),
            self.product_title.as_deref().unwrap_or("Stand-in product"),
            subtotal,
        )
        .in_currency(self.currency.as_deref().unwrap_or("usd"));
        if let Some(rate) = self.tax_rate_bp {
            p = p.taxed(rate);
        }
        if let Some(fees) = self.fees {
            p = p.with_fees(fees);
        }
        if let Some(email) = &self.user_email {
            p = p.email(email);
        }
        p = p.status(self.status.unwrap_or(Status::Paid));
        Ok(p.refunded_by(self.refunded_amount))
    }
}

async fn add(State(st): State<Arc<WhopState>>, body: Bytes) -> Response {
    let mut store = lock(&st.store);
    add_records(&body, NewPayment::into_payment, |r| store.insert(r))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RefundBody {
    amount: Option<i64>,
}

async fn refund(State(st): State<Arc<WhopState>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body: RefundBody = match parse_optional(&body) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let how = body.amount.map_or(Refund::Full, Refund::Partial);
    mutation_result(lock(&st.store).refund(&id, how))
}

async fn totals(State(st): State<Arc<WhopState>>) -> Response {
    let store = lock(&st.store);
    ok(&json!({ "by_currency": expected_totals(store.all()) }))
}
