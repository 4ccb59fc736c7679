//! The Gumroad stand-in's own admin routes, beside the shared ones (`crate::admin`): its sales
//! (listed, added, refunded, charged back), the totals a synced ledger should hold, and tokens
//! (added with scopes, revoked).

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

use super::sale::{default_fee, StandInSale};
use super::state::GumroadState;
use super::store::Refund;
use super::totals::expected_totals;
use crate::admin::{add_records, bad_request, mutation_result, ok, parse, parse_optional};
use crate::harness::lock;
use crate::money;
use crate::responses;

pub(crate) fn routes() -> Router<Arc<GumroadState>> {
    Router::new()
        .route("/__admin", get(index))
        .route("/__admin/sales", get(list).post(add))
        .route("/__admin/sales/{id}/refund", post(refund))
        .route("/__admin/sales/{id}/chargeback", post(chargeback))
        .route("/__admin/sales/{id}/dispute_won", post(dispute_won))
        .route("/__admin/expected_totals", get(totals))
        .route("/__admin/tokens", post(add_token))
        .route("/__admin/tokens/revoke", post(revoke_token))
}

/// The admin routes, for a person who opens `/__admin` in a browser or with curl.
pub const ADMIN_ROUTES: &[(&str, &str)] = &[
    (
        "GET /__admin/stats",
        "counts: requests, by_status, rate_limit_violations, max_concurrent",
    ),
    (
        "GET|DELETE /__admin/requests",
        "the request log (access_token hidden) / clear it and the counts",
    ),
    (
        "GET|POST|PUT|DELETE /__admin/faults",
        "pending faults / add (object or array) / replace / clear",
    ),
    (
        "GET /__admin/changes",
        "data changes faults made (inserted, refunded sales)",
    ),
    ("PUT /__admin/latency", r#"{"ms":250}"#),
    (
        "PUT /__admin/rate_limit",
        r#"{"limit":5,"window_ms":1000} or null"#,
    ),
    (
        "GET|POST /__admin/sales",
        "the sales, newest first / add sales (object or array)",
    ),
    (
        "POST /__admin/sales/{id}/refund",
        r#"{"amount_cents":250} (USD cents) or no body for a full refund"#,
    ),
    (
        "POST /__admin/sales/{id}/chargeback",
        "a chargeback (chargedback and disputed)",
    ),
    (
        "POST /__admin/sales/{id}/dispute_won",
        "the seller won the dispute",
    ),
    (
        "GET /__admin/expected_totals",
        "what a synced ledger should hold, per currency",
    ),
    (
        "POST /__admin/tokens",
        r#"{"token":"t","scopes":["view_sales"]}"#,
    ),
    (
        "POST /__admin/tokens/revoke",
        r#"{"token":"t"} (401 from then on)"#,
    ),
];

async fn index() -> Response {
    crate::admin::index("gumroad", ADMIN_ROUTES)
}

async fn list(State(st): State<Arc<GumroadState>>) -> Response {
    let sales: Vec<StandInSale> = lock(&st.store).all().cloned().collect();
    ok(&sales)
}

const MAX_CENTS: i64 = 1_000_000_000_000_000;

/// A sale to add; everything has a default (a $10 USD sale now).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSale {
    #[serde(default, with = "crate::time_serde::option")]
    created_at: Option<DateTime<Utc>>,
    product_name: Option<String>,
    price_cents: Option<i64>,
    currency: Option<String>,
    display_price_minor: Option<i64>,
    quantity: Option<u32>,
    email: Option<String>,
    full_name: Option<String>,
    gumroad_fee_cents: Option<i64>,
    #[serde(default)]
    refunded_cents: i64,
    #[serde(default)]
    disputed: bool,
    #[serde(default)]
    dispute_won: bool,
}

impl NewSale {
    fn into_sale(self) -> Result<StandInSale, String> {
        let price = self.price_cents.unwrap_or(1000);
        // Tributary's own bound on one amount (model/bounds.rs) is 10^15 minor units.
        if !(0..=MAX_CENTS).contains(&price) {
            return Err(format!("price_cents must be 0..={MAX_CENTS}"));
        }
        if let Some(d) = self
            .display_price_minor
            .filter(|d| !(0..=MAX_CENTS).contains(d))
        {
            return Err(format!("display_price_minor {d} must be 0..={MAX_CENTS}"));
        }
        if let Some(f) = self
            .gumroad_fee_cents
            .filter(|f| !(0..=MAX_CENTS).contains(f))
        {
            return Err(format!("gumroad_fee_cents {f} must be 0..={MAX_CENTS}"));
        }
        let currency = self
            .currency
            .unwrap_or_else(|| "usd".into())
            .to_ascii_lowercase();
        if !money::is_known(&currency) && self.display_price_minor.is_none() {
            return Err(format!(
                "unknown currency {currency:?}: give display_price_minor too"
            ));
        }
        let display = self
            .display_price_minor
            .unwrap_or_else(|| money::usd_to_display(price, &money::currency(&currency)));
        let created_at = self.created_at.unwrap_or_else(Utc::now);
        let mut sale = StandInSale::new(
            created_at,
            self.product_name.as_deref().unwrap_or("Stand-in product"),
            price,
        )
        .in_currency(&currency, display)
        .quantity(self.quantity.unwrap_or(1).max(1))
        .fee(
            self.gumroad_fee_cents
                .unwrap_or_else(|| default_fee(price, false)),
        )
        .refunded_by(self.refunded_cents);
        if let Some(email) = &self.email {
            sale = sale.email(email);
        }
        sale.full_name = self.full_name;
        sale.disputed = self.disputed || self.dispute_won;
        sale.dispute_won = self.dispute_won;
        Ok(sale)
    }
}

async fn add(State(st): State<Arc<GumroadState>>, body: Bytes) -> Response {
    let mut store = lock(&st.store);
    add_records(&body, NewSale::into_sale, |r| store.insert(r))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RefundBody {
    amount_cents: Option<i64>,
}

async fn refund(
    State(st): State<Arc<GumroadState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let body: RefundBody = match parse_optional(&body) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let how = body.amount_cents.map_or(Refund::Full, Refund::Partial);
    mutation_result(lock(&st.store).refund(&id, how))
}

async fn chargeback(State(st): State<Arc<GumroadState>>, Path(id): Path<String>) -> Response {
    mutation_result(lock(&st.store).chargeback(&id))
}

async fn dispute_won(State(st): State<Arc<GumroadState>>, Path(id): Path<String>) -> Response {
    mutation_result(lock(&st.store).win_dispute(&id))
}

async fn totals(State(st): State<Arc<GumroadState>>) -> Response {
    ok(&expected_totals(lock(&st.store).all()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    token: String,
    scopes: Option<Vec<String>>,
}

async fn add_token(State(st): State<Arc<GumroadState>>, body: Bytes) -> Response {
    match parse::<TokenBody>(&body) {
        Ok(t) if !t.token.is_empty() => {
            let scopes = t.scopes.unwrap_or_else(super::default_scopes);
            lock(&st.tokens).add(&t.token, &scopes);
            ok(&json!({ "token": t.token, "scopes": scopes }))
        }
        Ok(_) => bad_request("token must not be empty"),
        Err(r) => r.into_response(),
    }
}

async fn revoke_token(State(st): State<Arc<GumroadState>>, body: Bytes) -> Response {
    match parse::<TokenBody>(&body) {
        Ok(t) => {
            if lock(&st.tokens).revoke(&t.token) {
                ok(&json!({ "revoked": true }))
            } else {
                responses::json(StatusCode::NOT_FOUND, &json!({ "error": "no such token" }))
            }
        }
        Err(r) => r.into_response(),
    }
}
