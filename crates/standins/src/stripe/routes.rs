//! The Stripe routes the stand-in serves (contract §3.2–3.3): `GET /v1/account`, `/v1/charges`,
//! `/v1/charges/:id`, `/v1/refunds` and `/v1/disputes`, lists newest first with `limit` (1–100,
//! default 10), `starting_after`/`ending_before`, `created[gt|gte|lt|lte]` and `expand[]`; secret
//! (`sk_`) and restricted (`rk_`) keys as Bearer tokens, a restricted key refused (403) what its
//! permissions do not cover, expanded objects included; every error Stripe's envelope
//! `{"error":{"type","code","message","param"}}` with a `Request-Id`.

// Handlers answer an axum `Response` on every path, refusals included; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::json::{self, Expand, CHARGE_EXPANDABLE, DISPUTE_EXPANDABLE, REFUND_EXPANDABLE};
use super::state::{Permission, StripeState};
use super::store::Of;
use crate::harness::lock;
use crate::responses;

const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 100;

pub(crate) fn routes() -> Router<Arc<StripeState>> {
    Router::new()
        .route("/v1/account", get(show_account))
        .route("/v1/charges", get(list_charges))
        .route("/v1/charges/{id}", get(show_charge))
        .route("/v1/refunds", get(list_refunds))
        .route("/v1/disputes", get(list_disputes))
}

/// Stripe's error envelope.
pub(crate) fn error(
    status: StatusCode,
    kind: &str,
    code: Option<&str>,
    message: &str,
    param: Option<&str>,
) -> Response {
    let mut e = json!({ "type": kind, "message": message });
    if let Some(code) = code {
        e["code"] = json!(code);
        e["doc_url"] = json!(format!(
            "https://stripe.com/docs/error-codes/{}",
            code.replace('_', "-")
        ));
    }
    if let Some(p) = param {
        e["param"] = json!(p);
    }
    let mut r = responses::json(status, &json!({ "error": e }));
    r.headers_mut()
        .insert("request-id", HeaderValue::from_static("req_StandIn0000000"));
    r
}

pub(crate) async fn not_found(uri: Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "invalid_request_error",
        None,
        &format!("Unrecognized request URL (GET: {}).", uri.path()),
        None,
    )
}

/// Stripe's 429: no `Retry-After` (Stripe sends none), `Stripe-Should-Retry: true`.
pub(crate) fn throttled(_retry_after_secs: u64) -> Response {
    let mut r = error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limit_error",
        Some("rate_limit"),
        "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
        None,
    );
    r.headers_mut()
        .insert("stripe-should-retry", HeaderValue::from_static("true"));
    r
}

/// The request's key, if it is one the stand-in knows and has not revoked; else the 401.
fn authorize(st: &StripeState, headers: &HeaderMap, needs: &[Permission]) -> Result<(), Response> {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim().to_owned());
    let Some(key) = key else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            None,
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth.",
            None,
        ));
    };
    let keys = lock(&st.keys);
    let Some(grant) = keys.get(&key).filter(|g| g.valid) else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            Some("api_key_invalid"),
            &format!("Invalid API Key provided: {}", masked(&key)),
            None,
        ));
    };
    if let Some(missing) = needs.iter().find(|p| !grant.allows(**p)) {
        return Err(error(
            StatusCode::FORBIDDEN,
            "invalid_request_error",
            None,
            &format!(
                "The provided key '{}' does not have the required permissions for this endpoint on account '{}'. Having the '{}' permission would allow this request to continue.",
                masked(&key),
                super::ACCOUNT_ID,
                missing.rak_name()
            ),
            None,
        ));
    }
    Ok(())
}

/// `rk_test_****************1234`, as Stripe shows a key back.
fn masked(key: &str) -> String {
    let prefix: String = key.chars().take(8).collect();
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{prefix}********{tail}")
}

fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    uri.query()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// What a list request asked for.
struct ListQuery {
    limit: usize,
    starting_after: Option<String>,
    ending_before: Option<String>,
    /// `created` bounds, inclusive, in Unix seconds.
    created_from: Option<i64>,
    created_to: Option<i64>,
    charge: Option<String>,
    expand: Expand,
}

fn invalid(param: &str, message: String) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "invalid_request_error",
        Some("parameter_invalid"),
        &message,
        Some(param),
    )
}

/// Reads the list parameters, refusing unknown ones (`parameter_unknown`) as Stripe does.
fn read_list(
    pairs: &[(String, String)],
    expandable: &[&str],
    extra: &[&str],
) -> Result<ListQuery, Response> {
    let mut q = ListQuery {
        limit: DEFAULT_LIMIT,
        starting_after: None,
        ending_before: None,
        created_from: None,
        created_to: None,
        charge: None,
        expand: Expand::default(),
    };
    let mut expand = Vec::new();
    for (k, v) in pairs {
        let seconds = || {
            v.trim()
                .parse::<i64>()
                .map_err(|_| invalid(k, format!("Invalid integer: {v}")))
        };
        match k.as_str() {
            "limit" => {
                q.limit = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        invalid(
                            "limit",
                            format!("This value must be greater than or equal to 1 and less than or equal to {MAX_LIMIT} (it was {v})."),
                        )
                    })?;
            }
            "starting_after" => q.starting_after = Some(v.clone()),
            "ending_before" => q.ending_before = Some(v.clone()),
            "created" => {
                let t = seconds()?;
                q.created_from = Some(t);
                q.created_to = Some(t);
            }
            "created[gte]" => q.created_from = Some(seconds()?),
            "created[gt]" => q.created_from = Some(seconds()?.saturating_add(1)),
            "created[lte]" => q.created_to = Some(seconds()?),
            "created[lt]" => q.created_to = Some(seconds()?.saturating_sub(1)),
            "expand[]" => {
                let path = v.strip_prefix("data.").unwrap_or(v);
                if !expandable.contains(&path) {
                    return Err(invalid(
                        "expand",
                        format!("This property cannot be expanded ({v})."),
                    ));
                }
                expand.push(path.to_owned());
            }
            "charge" if extra.contains(&"charge") => q.charge = Some(v.clone()),
            other if extra.contains(&other) => {}
            other => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    Some("parameter_unknown"),
                    &format!("Received unknown parameter: {other}"),
                    Some(other),
                ))
            }
        }
    }
    if q.starting_after.is_some() && q.ending_before.is_some() {
        return Err(invalid(
            "ending_before",
            "You may only specify one of these parameters: ending_before, starting_after.".into(),
        ));
    }
    q.expand = Expand::new(expand);
    Ok(q)
}

fn no_such(what: &str, id: &str, param: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "invalid_request_error",
        Some("resource_missing"),
        &format!("No such {what}: '{id}'"),
        Some(param),
    )
}

impl ListQuery {
    fn created_ok(&self, at: i64) -> bool {
        self.created_from.is_none_or(|f| at >= f) && self.created_to.is_none_or(|t| at <= t)
    }

    /// One page of `items` (newest first, with their ids): after `starting_after`, or the `limit`
    /// just before `ending_before`; and whether more follow in that direction.
    fn page<'a, T>(
        &self,
        items: impl Iterator<Item = (&'a str, T)>,
        what: &str,
    ) -> Result<(Vec<T>, bool), Response> {
        if let Some(before) = &self.ending_before {
            let all: Vec<(&str, T)> = items.collect();
            let Some(at) = all.iter().position(|(id, _)| *id == before) else {
                return Err(no_such(what, before, "ending_before"));
            };
            let start = at.saturating_sub(self.limit);
            let has_more = start > 0;
            let page = all
                .into_iter()
                .skip(start)
                .take(at - start)
                .map(|(_, t)| t)
                .collect();
            return Ok((page, has_more));
        }
        let mut items = items.peekable();
        if let Some(after) = &self.starting_after {
            loop {
                match items.next() {
                    Some((id, _)) if id == after => break,
                    Some(_) => {}
                    None => return Err(no_such(what, after, "starting_after")),
                }
            }
        }
        Ok(self.take_page(items))
    }

    /// The first `limit` of `items` and whether more follow.
    fn take_page<'a, T>(&self, items: impl Iterator<Item = (&'a str, T)>) -> (Vec<T>, bool) {
        let mut items = items.peekable();
        let page: Vec<T> = items.by_ref().take(self.limit).map(|(_, t)| t).collect();
        (page, items.peek().is_some())
    }
}

fn permissions_for(expand: &Expand, base: Permission) -> Vec<Permission> {
    let mut needs = vec![base];
    if expand
        .paths()
        .iter()
        .any(|p| p.contains("balance_transaction"))
    {
        needs.push(Permission::BalanceTransactions);
    }
    if expand.paths().iter().any(|p| p.starts_with("charge")) {
        needs.push(Permission::Charges);
    }
    if expand.paths().iter().any(|p| p.starts_with("refunds")) {
        needs.push(Permission::Refunds);
    }
    needs
}

async fn list_charges(
    State(st): State<Arc<StripeState>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pairs = query_pairs(&uri);
    let q = match read_list(&pairs, &CHARGE_EXPANDABLE, &["customer", "payment_intent"]) {
        Ok(q) => q,
        Err(r) => return r,
    };
    if let Err(r) = authorize(
        &st,
        &headers,
        &permissions_for(&q.expand, Permission::Charges),
    ) {
        return r;
    }
    let store = lock(&st.store);
    let created_ok = |c: &&super::charge::StandInCharge| q.created_ok(c.created.timestamp());
    // `starting_after` starts at the charge's place in the list instead of walking to it.
    let page = match &q.starting_after {
        Some(id) => match store.older_than(id) {
            Some(older) => Ok(q.take_page(older.filter(created_ok).map(|c| (c.id.as_str(), c)))),
            None => Err(no_such("charge", id, "starting_after")),
        },
        None => q.page(
            store.all().filter(created_ok).map(|c| (c.id.as_str(), c)),
            "charge",
        ),
    };
    match page {
        Ok((page, has_more)) => {
            let data = page
                .into_iter()
                .map(|c| json::charge(c, &q.expand))
                .collect();
            responses::json(StatusCode::OK, &json::list("/v1/charges", data, has_more))
        }
        Err(r) => r,
    }
}

async fn show_charge(
    State(st): State<Arc<StripeState>>,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let pairs = query_pairs(&uri);
    let mut expand = Vec::new();
    for (k, v) in &pairs {
        if k != "expand[]" || !CHARGE_EXPANDABLE.contains(&v.as_str()) {
            return invalid(
                k,
                format!("Received unknown parameter or expansion: {k}={v}"),
            );
        }
        expand.push(v.clone());
    }
    let expand = Expand::new(expand);
    if let Err(r) = authorize(
        &st,
        &headers,
        &permissions_for(&expand, Permission::Charges),
    ) {
        return r;
    }
    match lock(&st.store).get(&id) {
        Some(c) => responses::json(StatusCode::OK, &json::charge(c, &expand)),
        None => error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            Some("resource_missing"),
            &format!("No such charge: '{id}'"),
            Some("id"),
        ),
    }
}

fn list_of<'a, T: 'a>(
    q: &ListQuery,
    items: Vec<Of<'a, T>>,
    id: impl Fn(&T) -> &str,
    created: impl Fn(&T) -> i64,
    what: &str,
) -> Result<(Vec<Of<'a, T>>, bool), Response> {
    let filtered = items
        .into_iter()
        .filter(|o| q.created_ok(created(o.item)))
        .filter(|o| q.charge.as_ref().is_none_or(|c| *c == o.charge.id))
        .map(|o| (id(o.item), o));
    // The ids borrow from the store, not from the `Of`s, so they outlive the iterator.
    q.page(filtered, what)
}

async fn list_refunds(
    State(st): State<Arc<StripeState>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pairs = query_pairs(&uri);
    let q = match read_list(&pairs, &REFUND_EXPANDABLE, &["charge", "payment_intent"]) {
        Ok(q) => q,
        Err(r) => return r,
    };
    if let Err(r) = authorize(
        &st,
        &headers,
        &permissions_for(&q.expand, Permission::Refunds),
    ) {
        return r;
    }
    let store = lock(&st.store);
    match list_of(
        &q,
        store.refunds(),
        |r| r.id.as_str(),
        |r| r.created.timestamp(),
        "refund",
    ) {
        Ok((page, has_more)) => {
            let data: Vec<Value> = page
                .into_iter()
                .map(|o| json::refund(o.charge, o.item, &q.expand))
                .collect();
            responses::json(StatusCode::OK, &json::list("/v1/refunds", data, has_more))
        }
        Err(r) => r,
    }
}

async fn list_disputes(
    State(st): State<Arc<StripeState>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pairs = query_pairs(&uri);
    let q = match read_list(&pairs, &DISPUTE_EXPANDABLE, &["charge", "payment_intent"]) {
        Ok(q) => q,
        Err(r) => return r,
    };
    if let Err(r) = authorize(
        &st,
        &headers,
        &permissions_for(&q.expand, Permission::Disputes),
    ) {
        return r;
    }
    let store = lock(&st.store);
    match list_of(
        &q,
        store.disputes(),
        |d| d.id.as_str(),
        |d| d.created.timestamp(),
        "dispute",
    ) {
        Ok((page, has_more)) => {
            let data: Vec<Value> = page
                .into_iter()
                .map(|o| json::dispute(o.charge, o.item, &q.expand))
                .collect();
            responses::json(StatusCode::OK, &json::list("/v1/disputes", data, has_more))
        }
        Err(r) => r,
    }
}

/// The account the keys belong to.
async fn show_account(State(st): State<Arc<StripeState>>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&st, &headers, &[Permission::Account]) {
        return r;
    }
    responses::json(
        StatusCode::OK,
        &json!({
            "id": super::ACCOUNT_ID, "object": "account", "country": "US", "default_currency": "usd",
            "email": "creator@standin.example", "type": "standard", "charges_enabled": true,
            "business_profile": { "name": "Stand-in Creator", "url": null },
            "settings": { "dashboard": { "display_name": "Stand-in Creator", "timezone": "Etc/UTC" } }
        }),
    )
}
