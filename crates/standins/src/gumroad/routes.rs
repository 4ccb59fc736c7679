//! The Gumroad API routes the stand-in serves (contract §1.1–1.3), under `/v2/…` and, as Gumroad
//! also does, `/api/v2/…`: `GET user`, `GET sales` (filters, `page_key` pagination, the 400s) and
//! `GET sales/:id` (an unknown id is HTTP 200 with `success: false`). Anything else is a JSON 404.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use super::auth::{SALES_SCOPES, USER_SCOPES};
use super::ids;
use super::json::{sale_json, SaleJson};
use super::pagination::{decode_page_key, encode_page_key, next_page_url, PER_PAGE};
use super::params::{strptime_ymd, Params};
use super::state::GumroadState;
use super::store::Filter;
use crate::harness::lock;
use crate::responses;

pub(crate) fn routes() -> Router<Arc<GumroadState>> {
    let mut router = Router::new();
    for prefix in ["/v2", "/api/v2"] {
        router = router
            .route(&format!("{prefix}/user"), get(user))
            .route(&format!("{prefix}/sales"), get(list_sales))
            .route(&format!("{prefix}/sales/{{id}}"), get(show_sale));
    }
    router
}

// The bodies are structs, not `json!` maps, so that keys come in Gumroad's order (`render json:`
// keeps the hash's order; serde_json's map would sort them).

#[derive(Serialize)]
struct ErrorBody<'a> {
    status: u16,
    error: &'a str,
}

#[derive(Serialize)]
struct Outcome<T: Serialize> {
    success: bool,
    #[serde(flatten)]
    body: T,
}

/// `{"status":404,"error":"Not found"}` for routes Gumroad does not have (or the stand-in does not
/// serve, such as `PUT /v2/sales/:id/refund`).
pub(crate) async fn not_found() -> Response {
    let body = ErrorBody {
        status: 404,
        error: "Not found",
    };
    responses::json(StatusCode::NOT_FOUND, &body)
}

/// `Api::V2::BaseController#error_400`.
fn error_400(message: &str) -> Response {
    responses::json(
        StatusCode::BAD_REQUEST,
        &ErrorBody {
            status: 400,
            error: message,
        },
    )
}

#[derive(Serialize)]
struct UserBody<'a> {
    user: UserJson<'a>,
}

#[derive(Serialize)]
struct UserJson<'a> {
    user_id: &'a str,
    name: &'a str,
    email: &'a str,
    profile_url: &'a str,
}

#[derive(Serialize)]
struct SaleBody<'a> {
    sale: SaleJson<'a>,
}

#[derive(Serialize)]
struct MessageBody {
    message: &'static str,
}

async fn user(State(st): State<Arc<GumroadState>>, uri: Uri, headers: HeaderMap) -> Response {
    let params = Params::parse(uri.query());
    if let Err(denied) = lock(&st.tokens).authorize(&headers, &params, USER_SCOPES) {
        return denied.into_response();
    }
    let u = &st.user;
    let user = UserJson {
        user_id: &u.user_id,
        name: &u.name,
        email: &u.email,
        profile_url: &u.profile_url,
    };
    let body = Outcome {
        success: true,
        body: UserBody { user },
    };
    responses::json(StatusCode::OK, &body)
}

#[derive(Serialize)]
struct SalesPage<'a> {
    success: bool,
    sales: Vec<SaleJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page_url: Option<String>,
}

async fn list_sales(State(st): State<Arc<GumroadState>>, uri: Uri, headers: HeaderMap) -> Response {
    let params = Params::parse(uri.query());
    if let Err(denied) = lock(&st.tokens).authorize(&headers, &params, SALES_SCOPES) {
        return denied.into_response();
    }
    let store = lock(&st.store);
    let filter = match read_filter(&params, |p| store.knows_product(p)) {
        Ok(f) => f,
        Err(message) => return error_400(message),
    };
    // One more than a page tells whether another page exists.
    let mut sales = store.list(&filter, PER_PAGE + 1);
    let more = sales.len() > PER_PAGE;
    sales.truncate(PER_PAGE);
    let next_page_key = match (more, sales.last()) {
        (true, Some(last)) => Some(encode_page_key(last)),
        _ => None,
    };
    let seller = st.seller();
    let page = SalesPage {
        success: true,
        sales: sales.iter().map(|s| sale_json(s, &seller)).collect(),
        next_page_url: next_page_key
            .as_ref()
            .map(|k| next_page_url(uri.path(), &params, k)),
        next_page_key,
    };
    responses::json(StatusCode::OK, &page)
}

/// The parameters of `GET /v2/sales`, checked in the order `Api::V2::SalesController` checks them;
/// the error is the 400's sentence.
fn read_filter(
    params: &Params,
    knows_product: impl Fn(&str) -> bool,
) -> Result<Filter, &'static str> {
    // `set_page` (a before_action): `(params[:page] || 1).to_i` must be positive.
    if let Some(page) = params.get("page") {
        if super::params::ruby_to_i(page.trim_start()) == 0 {
            return Err("Invalid page number. Page numbers start at 1.");
        }
    }
    let midnight = |d: chrono::NaiveDate| {
        d.and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .timestamp_micros()
    };
    let mut filter = Filter::default();
    if let Some(before) = params.get("before") {
        let date = strptime_ymd(before)
            .ok_or("Invalid date format provided in field 'before'. Dates must be in the format YYYY-MM-DD.")?;
        filter.before = Some(midnight(date));
    }
    if let Some(after) = params.get("after") {
        let date = strptime_ymd(after)
            .ok_or("Invalid date format provided in field 'after'. Dates must be in the format YYYY-MM-DD.")?;
        filter.after = Some(midnight(date));
    }
    filter.email = params.present("email").map(str::to_owned);
    filter.name = params.present("name").map(str::to_owned);
    filter.license_key = params.present("license_key").is_some();
    if let Some(product) = params.present("product_id") {
        // Gumroad decrypts the id; one that does not decrypt is refused rather than ignored, since
        // ignoring it would return more sales than asked for. Ours "decrypt" when known or id-shaped.
        if !knows_product(product) && !ids::looks_like_external_id(product) {
            return Err("Invalid product ID.");
        }
        filter.product_id = Some(product.to_owned());
    }
    if params.present("order_id").is_some() {
        // `params[:order_id].to_i.to_s != params[:order_id]`: digits only, as written, unstripped.
        let raw = params.get("order_id").unwrap_or_default();
        let parsed = raw.parse::<u64>().ok().filter(|n| n.to_string() == raw);
        let Some(order_id) = parsed else {
            return Err("Invalid order ID.");
        };
        filter.number = Some(ids::decrypt_numeric(order_id).unwrap_or(0));
    }
    if params.get("page").is_some() {
        // Gumroad still serves offset pages until the query takes more than 15 s, then answers this;
        // the stand-in always does, so that no client comes to rely on `page`.
        return Err("The 'page' parameter is deprecated. Please use 'page_key' instead: https://gumroad.com/api#sales");
    }
    if let Some(key) = params.present("page_key") {
        filter.page_key = Some(decode_page_key(key).ok_or("Invalid page_key.")?);
    }
    Ok(filter)
}

async fn show_sale(
    State(st): State<Arc<GumroadState>>,
    uri: Uri,
    headers: HeaderMap,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let params = Params::parse(uri.query());
    if let Err(denied) = lock(&st.tokens).authorize(&headers, &params, SALES_SCOPES) {
        return denied.into_response();
    }
    let store = lock(&st.store);
    let found = id.ok().and_then(|Path(id)| store.get(&id).cloned());
    match found {
        Some(sale) => {
            let seller = st.seller();
            let body = Outcome {
                success: true,
                body: SaleBody {
                    sale: sale_json(&sale, &seller),
                },
            };
            responses::json(StatusCode::OK, &body)
        }
        // `error_with_object`: HTTP 200 and `success: false` (Gumroad's TODO says 404 some day).
        None => {
            let body = Outcome {
                success: false,
                body: MessageBody {
                    message: "The sale was not found.",
                },
            };
            responses::json(StatusCode::OK, &body)
        }
    }
}
