//! Authentication and the contract's error shapes: Doorkeeper's empty 401/403, the 400 sentences of
//! `GET /v2/sales`, the 200 `success: false` of an unknown sale, the JSON 404.

mod common;

use common::{client, generated_standin, get, get_json, utc};
use serde_json::{json, Value};
use tributary_standins::gumroad::DEFAULT_TOKEN;
use tributary_standins::GumroadStandIn;

fn standin() -> GumroadStandIn {
    generated_standin(30, 4, utc(2024, 6, 30, 0, 0, 0))
}

#[test]
fn a_missing_or_unknown_token_is_an_empty_401() {
    let s = standin();
    for path in ["/sales", "/user", "/sales/whatever"] {
        let r = client()
            .get(format!("{}{path}", s.base_url()))
            .send()
            .unwrap();
        assert_eq!(r.status(), 401, "{path}");
        let www = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
        assert!(www.starts_with("Bearer realm=\"Doorkeeper\""), "{www}");
        assert_eq!(r.text().unwrap(), "");
    }
    let r = client()
        .get(format!("{}/sales", s.base_url()))
        .bearer_auth("not-a-token")
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
    // A non-Bearer Authorization header does not count.
    let r = client()
        .get(format!("{}/sales", s.base_url()))
        .header("Authorization", format!("Basic {DEFAULT_TOKEN}"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[test]
fn the_token_may_come_as_the_access_token_parameter() {
    let s = standin();
    let r = client()
        .get(format!(
            "{}/sales?access_token={DEFAULT_TOKEN}",
            s.base_url()
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let log = s.requests();
    assert_eq!(log[0].query, "access_token=***");
}

#[test]
fn a_token_without_view_sales_gets_an_empty_403_with_insufficient_scope() {
    let s = standin();
    s.add_token("profile-only", &["view_profile"]);
    let r = client()
        .get(format!("{}/sales", s.base_url()))
        .bearer_auth("profile-only")
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.headers()["www-authenticate"],
        r#"Bearer realm="Doorkeeper", error="insufficient_scope""#
    );
    assert_eq!(r.text().unwrap(), "");
    // The same token may read the user (a public read scope), and `account` opens everything.
    let r = client()
        .get(format!("{}/user", s.base_url()))
        .bearer_auth("profile-only")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    s.add_token("account", &["account"]);
    let r = client()
        .get(format!("{}/sales", s.base_url()))
        .bearer_auth("account")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn user_answers_the_credential_check() {
    let s = standin();
    let body: Value = get_json(&s, "/user");
    assert_eq!(body["success"], true);
    for key in ["user_id", "name", "email", "profile_url"] {
        assert!(body["user"][key].is_string(), "{key}: {body}");
    }
}

fn error_400(s: &GumroadStandIn, query: &str) -> Value {
    let r = get(s, &format!("/sales?{query}"));
    assert_eq!(r.status(), 400, "{query}");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    // Keys in Gumroad's order.
    let text = r.text().unwrap();
    assert!(text.starts_with(r#"{"status":400,"error":"#), "{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn bad_parameters_give_the_contracts_400s() {
    let s = standin();
    let date = |field: &str| json!({"status": 400, "error": format!("Invalid date format provided in field '{field}'. Dates must be in the format YYYY-MM-DD.")});
    assert_eq!(error_400(&s, "before=2024-13-01"), date("before"));
    assert_eq!(error_400(&s, "before="), date("before"));
    assert_eq!(error_400(&s, "after=01/02/2024"), date("after"));
    assert_eq!(error_400(&s, "after=2024-02-30"), date("after"));
    // `before` is checked first.
    assert_eq!(error_400(&s, "after=x&before=y"), date("before"));
    let invalid_key = json!({"status": 400, "error": "Invalid page_key."});
    for key in [
        "garbage",
        "20240101000000000000",
        "20240101000000000000-0",
        "2024-01-01-5",
        "20241301000000000000-12",
    ] {
        assert_eq!(
            error_400(&s, &format!("page_key={key}")),
            invalid_key,
            "{key}"
        );
    }
    assert_eq!(
        error_400(&s, "page=2"),
        json!({"status": 400, "error": "The 'page' parameter is deprecated. Please use 'page_key' instead: https://gumroad.com/api#sales"})
    );
    assert_eq!(
        error_400(&s, "page=0"),
        json!({"status": 400, "error": "Invalid page number. Page numbers start at 1."})
    );
    assert_eq!(
        error_400(&s, "order_id=12a"),
        json!({"status": 400, "error": "Invalid order ID."})
    );
    assert_eq!(
        error_400(&s, "product_id=nope"),
        json!({"status": 400, "error": "Invalid product ID."})
    );
    // Odd bytes in the query are read, not a panic.
    let r = get(&s, "/sales?after=%FF%FE&x=%");
    assert_eq!(r.status(), 400);
    // An empty page_key is ignored, as Rails' `present?` ignores it.
    assert_eq!(get(&s, "/sales?page_key=").status(), 200);
}

#[test]
fn an_unknown_sale_is_http_200_with_success_false() {
    let s = standin();
    let r = get(&s, "/sales/nope");
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.text().unwrap(),
        r#"{"success":false,"message":"The sale was not found."}"#
    );

    let id = s.sales()[3].id.clone();
    let body = get_json(&s, &format!("/sales/{id}"));
    assert_eq!(body["success"], true);
    assert_eq!(body["sale"]["id"], id.as_str());
}

#[test]
fn unknown_routes_and_methods_are_json_404s_and_recorded() {
    let s = standin();
    let r = get(&s, "/products");
    assert_eq!(r.status(), 404);
    assert_eq!(
        r.json::<Value>().unwrap(),
        json!({"status": 404, "error": "Not found"})
    );
    let r = client()
        .put(format!("{}/sales/x/refund", s.base_url()))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = client()
        .post(format!("{}/sales", s.base_url()))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
    let log = s.requests();
    assert_eq!(
        log.iter()
            .map(|r| (r.method.as_str(), r.status))
            .collect::<Vec<_>>(),
        vec![("GET", 404), ("PUT", 404), ("POST", 404)]
    );
    assert_eq!(log[0].path, "/v2/products");
}

#[test]
fn nil_keys_are_absent_and_money_is_in_usd_cents() {
    let s = standin();
    let sales = common::walk_sales(&s, "");
    for (json, stored) in sales.iter().zip(s.sales()) {
        assert_eq!(json["price"], stored.price_cents);
        assert_eq!(json["gumroad_fee"], stored.gumroad_fee_cents);
        assert_eq!(json["currency"], stored.currency.as_str());
        match json.get("refunded") {
            None => assert!(!stored.is_refunded()),
            Some(v) => assert!(v == true && stored.is_refunded()),
        }
        assert!(json.get("subscription_duration").is_none());
        assert!(json.get("purchaser_id").is_none());
        assert!(json["order_id"].is_u64());
    }
}
