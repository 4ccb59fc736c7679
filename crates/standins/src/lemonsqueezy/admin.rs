//! The Lemon Squeezy stand-in's own admin routes, beside the shared ones: orders (listed, added,
//! refunded), the totals a synced ledger should hold, API keys (added, revoked).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::order::{Payment, StandInOrder};
use super::state::LemonSqueezyState;
use super::totals::{expected_totals, expected_totals_usd};
use crate::admin::{add_records, mutation_error, mutation_result, ok, parse_optional};
use crate::error::StandInError;
use crate::harness::lock;
use crate::refund::Refund;

pub(crate) fn routes() -> Router<Arc<LemonSqueezyState>> {
    Router::new()
        .route("/__admin", get(index))
        .route("/__admin/orders", get(list).post(add))
        .route("/__admin/orders/{id}/refund", post(refund))
        .route("/__admin/expected_totals", get(totals))
        .merge(crate::api_keys::routes::<LemonSqueezyState>())
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
        "data changes faults made (inserted, refunded orders)",
    ),
    ("PUT /__admin/latency", r#"{"ms":250}"#),
    (
        "PUT /__admin/rate_limit",
        r#"{"limit":300,"window_ms":60000} or null"#,
    ),
    (
        "GET|POST /__admin/orders",
        "the orders, newest first / add orders (object or array)",
    ),
    (
        "POST /__admin/orders/{id}/refund",
        r#"{"amount":250} (order currency minor units) or no body for all"#,
    ),
    (
        "GET /__admin/expected_totals",
        "what a synced ledger should hold: by_currency and usd",
    ),
    ("POST /__admin/keys", r#"{"key":"k"}"#),
    (
        "POST /__admin/keys/revoke",
        r#"{"key":"k"} (401 from then on)"#,
    ),
];

async fn index() -> Response {
    crate::admin::index("lemonsqueezy", ADMIN_ROUTES)
}

async fn list(State(st): State<Arc<LemonSqueezyState>>) -> Response {
    let orders: Vec<StandInOrder> = lock(&st.store).all().cloned().collect();
    ok(&orders)
}

const MAX_MINOR: i64 = 1_000_000_000_000_000;

/// An order to add; everything has a default (a paid $19.00 USD order now).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewOrder {
    #[serde(default, with = "crate::time_serde::option")]
    created_at: Option<DateTime<Utc>>,
    product_name: Option<String>,
    subtotal: Option<i64>,
    currency: Option<String>,
    discount_total: Option<i64>,
    tax_rate_bp: Option<u32>,
    user_email: Option<String>,
    payment: Option<Payment>,
    #[serde(default)]
    refunded_amount: i64,
}

impl NewOrder {
    fn into_order(self) -> Result<StandInOrder, String> {
        let subtotal = self.subtotal.unwrap_or(1900);
        if !(0..=MAX_MINOR).contains(&subtotal) {
            return Err(format!("subtotal must be 0..={MAX_MINOR}"));
        }
        if self.tax_rate_bp.is_some_and(|r| r > 10_000) {
            return Err("tax_rate_bp must be at most 10000 (100%)".into());
        }
        let mut order = StandInOrder::new(
            self.created_at.unwrap_or_else(Utc::now),
            self.product_name.as_deref().unwrap_or("Stand-in product"),
            subtotal,
        )
        .in_currency(self.currency.as_deref().unwrap_or("USD"))
        .discounted(self.discount_total.unwrap_or(0))
        .payment(self.payment.unwrap_or(Payment::Paid));
        if let Some(rate) = self.tax_rate_bp {
            order = order.taxed("VAT", rate);
        }
        if let Some(email) = &self.user_email {
            order = order.email(email);
        }
        Ok(order.refunded_by(self.refunded_amount))
    }
}

async fn add(State(st): State<Arc<LemonSqueezyState>>, body: Bytes) -> Response {
    let mut store = lock(&st.store);
    add_records(&body, NewOrder::into_order, |r| store.insert(r))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RefundBody {
    amount: Option<i64>,
}

async fn refund(
    State(st): State<Arc<LemonSqueezyState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return mutation_error(&StandInError::UnknownSale(id));
    };
    let body: RefundBody = match parse_optional(&body) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let how = body.amount.map_or(Refund::Full, Refund::Partial);
    mutation_result(lock(&st.store).refund(id, how))
}

async fn totals(State(st): State<Arc<LemonSqueezyState>>) -> Response {
    let store = lock(&st.store);
    ok(&json!({
        "by_currency": expected_totals(store.all()),
        "usd": expected_totals_usd(store.all()),
    }))
}
