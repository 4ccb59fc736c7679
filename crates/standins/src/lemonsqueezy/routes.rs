//! The Lemon Squeezy routes the stand-in serves (contract §4.1–4.2): `GET /v1/orders` (filters,
//! `page[number]`/`page[size]`, `meta.page`, `links` with `next` only before the last page and
//! `prev` only after the first), `GET /v1/orders/:id` and `GET /v1/users/me` (the key's owner, which
//! Tributary checks a key with); API keys as Bearer tokens; every error a
//! JSON:API error document; answers as `application/vnd.api+json`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use serde_json::{json, Value};

use super::json::{order_resource, OrderResource};
use super::state::LemonSqueezyState;
use super::store::Filter;
use crate::harness::lock;
use crate::responses;

const JSON_API: &str = "application/vnd.api+json";
const DEFAULT_PAGE_SIZE: u64 = 10;
const MAX_PAGE_SIZE: u64 = 100;

pub(crate) fn routes() -> Router<Arc<LemonSqueezyState>> {
    Router::new()
        .route("/v1/orders", get(list_orders))
        .route("/v1/orders/{id}", get(show_order))
        .route("/v1/users/me", get(show_me))
}

/// A JSON:API error document: `{"jsonapi":{"version":"1.0"},"errors":[{…}]}`.
pub(crate) fn error(
    status: StatusCode,
    title: &str,
    detail: &str,
    parameter: Option<&str>,
) -> Response {
    let mut e = json!({ "detail": detail, "status": status.as_u16().to_string(), "title": title });
    if let Some(p) = parameter {
        e["source"] = json!({ "parameter": p });
    }
    responses::json_with_type(
        status,
        &json!({ "jsonapi": { "version": "1.0" }, "errors": [e] }),
        JSON_API,
    )
}

pub(crate) async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Not Found",
        "The route could not be found.",
        None,
    )
}

/// Laravel's throttle, as a JSON:API error, with `Retry-After`.
pub(crate) fn throttled(retry_after_secs: u64) -> Response {
    let mut r = error(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests",
        "Too Many Attempts.",
        None,
    );
    r.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(retry_after_secs),
    );
    r
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim())
}

fn authorize(st: &LemonSqueezyState, headers: &HeaderMap) -> Result<(), Unauthenticated> {
    match bearer(headers).and_then(|k| lock(&st.keys).get(k).copied()) {
        Some(true) => Ok(()),
        _ => Err(Unauthenticated),
    }
}

struct Unauthenticated;

impl Unauthenticated {
    fn response(&self) -> Response {
        error(
            StatusCode::UNAUTHORIZED,
            "Unauthenticated",
            "Unauthenticated.",
            None,
        )
    }
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

fn last<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A query parameter the list refuses: a 400 naming it in `source.parameter`.
struct InvalidParameter {
    parameter: &'static str,
    detail: String,
}

impl InvalidParameter {
    fn response(&self) -> Response {
        error(
            StatusCode::BAD_REQUEST,
            "Invalid Query Parameter",
            &self.detail,
            Some(self.parameter),
        )
    }
}

/// `page[number]` (from 1), `page[size]` (1 to 100, default 10) and the filters.
fn read_query(pairs: &[(String, String)]) -> Result<(u64, u64, Filter), InvalidParameter> {
    let integer = |name: &'static str| -> Result<Option<u64>, InvalidParameter> {
        last(pairs, name)
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| InvalidParameter {
                    parameter: name,
                    detail: format!("The {name} must be an integer."),
                })
            })
            .transpose()
    };
    let number = integer("page[number]")?.unwrap_or(1);
    if number == 0 {
        return Err(InvalidParameter {
            parameter: "page[number]",
            detail: "The page[number] must be at least 1.".into(),
        });
    }
    let size = integer("page[size]")?.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(InvalidParameter {
            parameter: "page[size]",
            detail: format!("The page[size] must be between 1 and {MAX_PAGE_SIZE}."),
        });
    }
    let filter = Filter {
        store_id: integer("filter[store_id]")?,
        order_number: integer("filter[order_number]")?,
        user_email: last(pairs, "filter[user_email]").map(str::to_owned),
    };
    Ok((number, size, filter))
}

#[derive(Serialize)]
struct ListDocument<'a> {
    meta: Value,
    jsonapi: Value,
    links: Value,
    data: Vec<OrderResource<'a>>,
}

async fn list_orders(
    State(st): State<Arc<LemonSqueezyState>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = authorize(&st, &headers) {
        return e.response();
    }
    let pairs = query_pairs(&uri);
    let (number, size, filter) = match read_query(&pairs) {
        Ok(q) => q,
        Err(invalid) => return invalid.response(),
    };

    let store = lock(&st.store);
    let matching: Vec<_> = store.matching(&filter).collect();
    let total = matching.len() as u64;
    let last_page = total.div_ceil(size).max(1);
    let offset = (number - 1).saturating_mul(size);
    let page: Vec<_> = matching
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(size as usize)
        .collect();
    let (from, to) = if page.is_empty() {
        (Value::Null, Value::Null)
    } else {
        (json!(offset + 1), json!(offset + page.len() as u64))
    };
    let api_base = st.api_base();
    let link = |n: u64| page_link(&api_base, &pairs, n, size);
    let mut links = json!({ "first": link(1), "last": link(last_page) });
    if number < last_page {
        links["next"] = json!(link(number + 1));
    }
    if number > 1 {
        links["prev"] = json!(link((number - 1).min(last_page)));
    }
    let document = ListDocument {
        meta: json!({ "page": {
            "currentPage": number, "from": from, "lastPage": last_page, "perPage": size, "to": to, "total": total
        }}),
        jsonapi: json!({ "version": "1.0" }),
        links,
        data: page.iter().map(|o| order_resource(o, &api_base)).collect(),
    };
    responses::json_with_type(StatusCode::OK, &document, JSON_API)
}

/// `…/v1/orders?filter%5Bstore_id%5D=1&page%5Bnumber%5D=2&page%5Bsize%5D=10&sort=-createdAt`: the
/// request's filters kept, keys in alphabetical order, brackets encoded.
fn page_link(api_base: &str, pairs: &[(String, String)], number: u64, size: u64) -> String {
    // Each filter once, with the value that counted (the last).
    let mut params: Vec<(String, String)> = Vec::new();
    for (key, _) in pairs.iter().filter(|(k, _)| k.starts_with("filter[")) {
        if !params.iter().any(|(k, _)| k == key) {
            params.push((key.clone(), last(pairs, key).unwrap_or_default().to_owned()));
        }
    }
    params.push(("page[number]".into(), number.to_string()));
    params.push(("page[size]".into(), size.to_string()));
    params.push(("sort".into(), "-createdAt".into()));
    params.sort();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    format!("{api_base}/orders?{query}")
}

async fn show_order(
    State(st): State<Arc<LemonSqueezyState>>,
    headers: HeaderMap,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    if let Err(e) = authorize(&st, &headers) {
        return e.response();
    }
    let store = lock(&st.store);
    let found = id
        .ok()
        .and_then(|Path(id)| id.parse::<u64>().ok())
        .and_then(|id| store.get(id));
    match found {
        Some(order) => {
            let api_base = st.api_base();
            let document = json!({
                "jsonapi": { "version": "1.0" },
                "links": { "self": format!("{api_base}/orders/{}", order.id) },
                "data": order_resource(order, &api_base),
            });
            responses::json_with_type(StatusCode::OK, &document, JSON_API)
        }
        None => error(
            StatusCode::NOT_FOUND,
            "Not Found",
            "The requested resource could not be found.",
            None,
        ),
    }
}

/// The stand-in store's owner, as `GET /v1/users/me` answers for the key's user.
async fn show_me(State(st): State<Arc<LemonSqueezyState>>, headers: HeaderMap) -> Response {
    if let Err(e) = authorize(&st, &headers) {
        return e.response();
    }
    let api_base = st.api_base();
    let user = bearer(&headers)
        .and_then(|k| lock(&st.users).get(k).copied())
        .unwrap_or(1);
    let email = match user {
        1 => "creator@standin.example".to_string(),
        n => format!("creator+{n}@standin.example"),
    };
    let document = json!({
        "jsonapi": { "version": "1.0" },
        "links": { "self": format!("{api_base}/users/{user}") },
        "data": {
            "type": "users",
            "id": user.to_string(),
            "attributes": {
                "name": "Stand-in Creator",
                "email": email,
                "color": "#898FA9",
                "avatar_url": "https://www.gravatar.com/avatar/0?d=blank",
                "has_custom_avatar": false,
                "createdAt": "2021-05-24T14:08:31.000000Z",
                "updatedAt": "2021-08-26T13:24:54.000000Z"
            },
            "links": { "self": format!("{api_base}/users/{user}") }
        }
    });
    responses::json_with_type(StatusCode::OK, &document, JSON_API)
}
