//! The stand-in's data: `expected_totals` on a known set, the same totals read back through the API
//! the way the contract says a client should, and the mutations (Rust and admin routes) that
//! incremental-sync tests use.

mod common;

use common::{client, get_json, utc, walk_sales};
use serde_json::{json, Value};
use tributary_standins::{
    GumroadConfig, GumroadStandIn, GumroadTotals, Refund, StandInError, StandInSale,
};

/// Seven sales whose totals are worked out by hand below.
fn known_set() -> Vec<StandInSale> {
    let at = |d| utc(2024, 4, d, 9, 30, 0);
    vec![
        StandInSale::new(at(1), "Clean", 1000), // fee 150
        StandInSale::new(at(2), "Refunded", 2000).refunded_by(2000), // fee 250
        StandInSale::new(at(3), "Part refunded", 1500).refunded_by(500), // fee 200
        StandInSale::new(at(4), "Euro part", 1000)
            .in_currency("eur", 920)
            .refunded_by(300), // fee 150
        StandInSale::new(at(5), "Charged back", 3000).chargedback(), // fee 350
        StandInSale::new(at(6), "Dispute won", 1200).dispute_won(), // fee 170
        StandInSale::new(at(7), "Yen refunded", 1000)
            .in_currency("jpy", 1500)
            .refunded_by(1000), // fee 150
    ]
}

#[test]
fn expected_totals_on_a_known_set() {
    let s = GumroadStandIn::spawn(GumroadConfig {
        sales: known_set(),
        ..GumroadConfig::default()
    })
    .unwrap();
    let totals = s.expected_totals();
    assert_eq!(totals.keys().collect::<Vec<_>>(), vec!["USD"]);
    assert_eq!(
        totals["USD"],
        GumroadTotals {
            sales: 7,
            price_cents: 10_700,
            gumroad_fee_cents: 1_420,
            refunded_cents: 2_000 + 500 + 1_000,
            chargeback_cents: 3_000,
            full_refunds: 2,
            partial_refunds: 2,
            chargebacks: 1,
            disputes_won: 1,
            partial_refunds_other_currency: 1,
            partial_refunded_cents_other_currency: 300,
        }
    );
    let empty = GumroadStandIn::spawn(GumroadConfig::default()).unwrap();
    assert!(empty.expected_totals().is_empty());
}

/// The totals as a client computes them from the API, by `GumroadTotals`' documented rules.
fn totals_from_api(sales: &[Value]) -> GumroadTotals {
    let mut t = GumroadTotals::default();
    for s in sales {
        let price = s["price"].as_i64().unwrap();
        t.sales += 1;
        t.price_cents += price;
        t.gumroad_fee_cents += s["gumroad_fee"].as_i64().unwrap();
        if s.get("refunded") == Some(&Value::Bool(true)) {
            t.full_refunds += 1;
            t.refunded_cents += price;
        } else if s["partially_refunded"] == true {
            t.partial_refunds += 1;
            if s["currency"] == "usd" {
                let left: f64 = s["amount_refundable_in_currency"]
                    .as_str()
                    .unwrap()
                    .replace(',', "")
                    .parse()
                    .unwrap();
                t.refunded_cents += price - (left * 100.0).round() as i64;
            } else {
                t.partial_refunds_other_currency += 1;
            }
        }
        if s["chargedback"] == true {
            t.chargebacks += 1;
            t.chargeback_cents += price;
        } else if s["dispute_won"] == true {
            assert_eq!(s["disputed"], true);
            t.disputes_won += 1;
        }
    }
    t
}

#[test]
fn the_api_yields_the_expected_totals_for_generated_sales() {
    let s = GumroadStandIn::spawn(GumroadConfig::with_generated_sales(
        600,
        2024,
        utc(2024, 1, 1, 0, 0, 0),
        utc(2024, 12, 31, 23, 59, 59),
    ))
    .unwrap();
    let sales = walk_sales(&s, "");
    let mut expected = s.expected_totals()["USD"].clone();
    let from_api = totals_from_api(&sales);
    // The API cannot tell how much a non-USD partial refund was in USD; everything else must agree.
    assert!(expected.partial_refunds_other_currency > 0);
    expected.partial_refunded_cents_other_currency = 0;
    assert_eq!(from_api, expected);
    // The mix the generator promises.
    for code in ["usd", "eur", "gbp", "jpy"] {
        assert!(sales.iter().any(|x| x["currency"] == code), "{code}");
    }
    assert!(expected.full_refunds > 0 && expected.partial_refunds > 0);
    assert!(expected.chargebacks > 0 && expected.disputes_won > 0);
    assert!(sales.iter().any(|x| x["quantity"] == 3));
}

#[test]
fn mutations_from_rust_show_in_the_api_and_the_totals() {
    let s = GumroadStandIn::spawn(GumroadConfig {
        sales: known_set(),
        ..GumroadConfig::default()
    })
    .unwrap();
    let clean = s
        .sales()
        .into_iter()
        .find(|x| x.product_name == "Clean")
        .unwrap();
    let refunded = s.refund(&clean.id, Refund::Partial(250)).unwrap();
    assert!(refunded.is_partially_refunded());
    let shown = get_json(&s, &format!("/sales/{}", clean.id));
    assert_eq!(shown["sale"]["partially_refunded"], true);
    assert_eq!(shown["sale"]["amount_refundable_in_currency"], "7.50");
    assert_eq!(s.expected_totals()["USD"].refunded_cents, 3_500 + 250);

    assert_eq!(
        s.refund(&clean.id, Refund::Partial(800)),
        Err(StandInError::InvalidAmount {
            id: clean.id.clone(),
            amount: 800,
            refundable: 750
        })
    );
    s.refund(&clean.id, Refund::Full).unwrap();
    let shown = get_json(&s, &format!("/sales/{}", clean.id));
    assert_eq!(shown["sale"]["refunded"], true);
    assert_eq!(shown["sale"]["partially_refunded"], false);

    let won = s
        .sales()
        .into_iter()
        .find(|x| x.product_name == "Dispute won")
        .unwrap();
    assert!(s.win_dispute(&won.id).is_err(), "already won");
    let later = s
        .add_sales([StandInSale::new(utc(2024, 5, 1, 0, 0, 0), "Later", 4200)])
        .unwrap()
        .remove(0);
    s.chargeback(&later.id).unwrap();
    let shown = get_json(&s, &format!("/sales/{}", later.id));
    assert_eq!(
        (
            shown["sale"]["chargedback"].as_bool(),
            shown["sale"]["disputed"].as_bool()
        ),
        (Some(true), Some(true))
    );
    s.win_dispute(&later.id).unwrap();
    let shown = get_json(&s, &format!("/sales/{}", later.id));
    assert_eq!(
        (
            shown["sale"]["chargedback"].as_bool(),
            shown["sale"]["dispute_won"].as_bool()
        ),
        (Some(false), Some(true))
    );
    assert_eq!(
        s.refund("nope", Refund::Full),
        Err(StandInError::UnknownSale("nope".into()))
    );

    // An incremental read with `after` sees the added sale.
    let recent = walk_sales(&s, "after=2024-04-15");
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0]["id"], later.id.as_str());
}

#[test]
fn the_admin_routes_add_refund_and_charge_back_sales() {
    let s = GumroadStandIn::spawn(GumroadConfig::default()).unwrap();
    let admin = s.admin_url();
    let c = client();
    let r = c
        .post(format!("{admin}/sales"))
        .body(
            r#"[{"created_at":"2024-05-01T10:00:00Z","product_name":"Zine","price_cents":800},
                  {"created_at":"2024-05-02T10:00:00Z","currency":"gbp","price_cents":1000}]"#,
        )
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    let added: Vec<Value> = r.json().unwrap();
    let (zine, pounds) = (
        added[0]["id"].as_str().unwrap().to_owned(),
        added[1]["id"].as_str().unwrap().to_owned(),
    );
    assert_eq!(added[1]["display_price_minor"], 790);

    let page = get_json(&s, "/sales");
    assert_eq!(page["sales"][0]["formatted_display_price"], "£7.90");
    assert_eq!(page["sales"][0]["price"], 1000);

    let r = c
        .post(format!("{admin}/sales/{zine}/refund"))
        .body(r#"{"amount_cents":300}"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(s.sale(&zine).unwrap().refunded_cents, 300);
    let r = c
        .post(format!("{admin}/sales/{zine}/refund"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(s.sale(&zine).unwrap().is_refunded());
    let r = c
        .post(format!("{admin}/sales/{zine}/refund"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = c
        .post(format!("{admin}/sales/{pounds}/chargeback"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(s.sale(&pounds).unwrap().is_chargedback());
    let r = c
        .post(format!("{admin}/sales/unknown/chargeback"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .post(format!("{admin}/sales"))
        .body(r#"{"price_cents":-5}"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);

    let totals: Value = c
        .get(format!("{admin}/expected_totals"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(totals, serde_json::to_value(s.expected_totals()).unwrap());
    assert_eq!(totals["USD"]["chargeback_cents"], 1000);
    let listed: Vec<Value> = c
        .get(format!("{admin}/sales"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(listed.len(), 2);
    let index: Value = c.get(&admin).send().unwrap().json().unwrap();
    assert_eq!(index["platform"], json!("gumroad"));
    assert!(
        s.requests().iter().all(|r| r.path.starts_with("/v2/")),
        "admin calls are not logged"
    );
}

#[test]
fn the_request_log_hides_tokens_and_keeps_the_rest() {
    let s = GumroadStandIn::spawn(GumroadConfig::default()).unwrap();
    let token = tributary_standins::gumroad::DEFAULT_TOKEN;
    client()
        .get(format!(
            "{}/sales?after=2024-01-01&access_token={token}",
            s.base_url()
        ))
        .send()
        .unwrap();
    let log = s.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str()),
        ("GET", "/v2/sales")
    );
    assert_eq!(log[0].query, "after=2024-01-01&access_token=***");
    assert_eq!(log[0].status, 200);
    assert!(log[0].at <= chrono::Utc::now());
    assert!(!format!("{:?}", s.stats()).contains(token));
}
