//! An order as a JSON:API resource (contract §4.2): `type`, `id` as a string, `attributes` in the
//! SDK's order with the `_usd` twins and the `_formatted` strings, `relationships` and `links`
//! pointing back at the stand-in, timestamps with six digits of microseconds.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

use super::order::StandInOrder;
use crate::money;

#[derive(Serialize)]
pub(crate) struct OrderResource<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    attributes: Attributes<'a>,
    relationships: Value,
    links: Value,
}

#[derive(Serialize)]
struct Attributes<'a> {
    store_id: u64,
    customer_id: u64,
    identifier: &'a str,
    order_number: u64,
    user_name: &'a str,
    user_email: &'a str,
    currency: &'a str,
    currency_rate: String,
    subtotal: i64,
    setup_fee: i64,
    discount_total: i64,
    tax: i64,
    total: i64,
    refunded_amount: i64,
    subtotal_usd: i64,
    setup_fee_usd: i64,
    discount_total_usd: i64,
    tax_usd: i64,
    total_usd: i64,
    refunded_amount_usd: i64,
    tax_name: Option<&'a str>,
    tax_rate: String,
    tax_inclusive: bool,
    status: &'static str,
    status_formatted: &'static str,
    refunded: bool,
    refunded_at: Option<String>,
    subtotal_formatted: String,
    setup_fee_formatted: String,
    discount_total_formatted: String,
    tax_formatted: String,
    total_formatted: String,
    refunded_amount_formatted: String,
    first_order_item: FirstItem<'a>,
    urls: Value,
    created_at: String,
    updated_at: String,
    test_mode: bool,
}

#[derive(Serialize)]
struct FirstItem<'a> {
    id: u64,
    order_id: u64,
    product_id: u64,
    variant_id: u64,
    price_id: u64,
    quantity: u32,
    product_name: &'a str,
    variant_name: &'a str,
    price: i64,
    created_at: String,
    updated_at: String,
    test_mode: bool,
}

/// `2021-08-17T09:45:53.000000Z`.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn order_resource<'a>(o: &'a StandInOrder, api_base: &str) -> OrderResource<'a> {
    let c = money::currency(&o.currency);
    let formatted = |minor: i64| {
        format!(
            "{}{}",
            c.symbol,
            money::format_with_cents(minor, c.exponent)
        )
    };
    let status = o.status();
    let self_url = format!("{api_base}/orders/{}", o.id);
    let relation = |name: &str| {
        json!({ "links": {
            "related": format!("{self_url}/{name}"),
            "self": format!("{self_url}/relationships/{name}"),
        }})
    };
    // USD per major unit of the order currency, to four places, as the API writes it.
    let rate_e4 = money::mul_div_round(
        10_i64.pow(c.exponent) * 100,
        10_000,
        o.per_100_usd_cents.max(1) * 100,
    );
    OrderResource {
        kind: "orders",
        id: o.id.to_string(),
        attributes: Attributes {
            store_id: o.store_id,
            customer_id: o.customer_id,
            identifier: &o.identifier,
            order_number: o.order_number,
            user_name: &o.user_name,
            user_email: &o.user_email,
            currency: &o.currency,
            currency_rate: format!("{}.{:04}", rate_e4 / 10_000, rate_e4 % 10_000),
            subtotal: o.subtotal,
            setup_fee: 0,
            discount_total: o.discount_total,
            tax: o.tax,
            total: o.total(),
            refunded_amount: o.refunded_amount,
            subtotal_usd: o.usd(o.subtotal),
            setup_fee_usd: 0,
            discount_total_usd: o.usd(o.discount_total),
            tax_usd: o.usd(o.tax),
            total_usd: o.usd(o.total()),
            refunded_amount_usd: o.usd(o.refunded_amount),
            tax_name: o.tax_name.as_deref(),
            tax_rate: format!("{}.{:02}", o.tax_rate_bp / 100, o.tax_rate_bp % 100),
            tax_inclusive: false,
            status,
            status_formatted: match status {
                "paid" => "Paid",
                "refunded" => "Refunded",
                "partial_refund" => "Partial refund",
                "pending" => "Pending",
                "failed" => "Failed",
                _ => "Fraudulent",
            },
            refunded: status == "refunded",
            refunded_at: o.refunded_at.map(timestamp),
            subtotal_formatted: formatted(o.subtotal),
            setup_fee_formatted: formatted(0),
            discount_total_formatted: formatted(o.discount_total),
            tax_formatted: formatted(o.tax),
            total_formatted: formatted(o.total()),
            refunded_amount_formatted: formatted(o.refunded_amount),
            first_order_item: FirstItem {
                id: o.id,
                order_id: o.id,
                product_id: o.product_id,
                variant_id: o.variant_id,
                price_id: o.variant_id,
                quantity: o.quantity,
                product_name: &o.product_name,
                variant_name: &o.variant_name,
                price: o.subtotal,
                created_at: timestamp(o.created_at),
                updated_at: timestamp(o.updated_at),
                test_mode: o.test_mode,
            },
            urls: json!({ "receipt": format!("https://app.lemonsqueezy.com/my-orders/{}/receipt", o.identifier) }),
            created_at: timestamp(o.created_at),
            updated_at: timestamp(o.updated_at),
            test_mode: o.test_mode,
        },
        relationships: json!({
            "store": relation("store"),
            "customer": relation("customer"),
            "order-items": relation("order-items"),
            "subscriptions": relation("subscriptions"),
            "license-keys": relation("license-keys"),
            "discount-redemptions": relation("discount-redemptions"),
        }),
        links: json!({ "self": self_url }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_order_shows_its_money_twins_and_formats() {
        let at = Utc.with_ymd_and_hms(2021, 8, 17, 9, 45, 53).unwrap();
        let mut o = StandInOrder::new(at, "License", 920)
            .in_currency("eur")
            .taxed("VAT", 2000)
            .refunded_by(100);
        o.id = 7;
        let v = serde_json::to_value(order_resource(&o, "http://x/v1")).unwrap();
        let a = &v["attributes"];
        assert_eq!(v["id"], "7");
        assert_eq!(a["currency"], "EUR");
        assert_eq!(
            (
                a["subtotal"].as_i64(),
                a["tax"].as_i64(),
                a["total"].as_i64()
            ),
            (Some(920), Some(184), Some(1104))
        );
        assert_eq!(a["total_usd"], 1200);
        assert_eq!(a["subtotal_usd"], 1000);
        assert_eq!(a["currency_rate"], "1.0870");
        assert_eq!(a["tax_rate"], "20.00");
        assert_eq!(a["total_formatted"], "€11.04");
        assert_eq!(a["status"], "partial_refund");
        assert_eq!(a["refunded"], false);
        assert_eq!(a["created_at"], "2021-08-17T09:45:53.000000Z");
        assert_eq!(v["links"]["self"], "http://x/v1/orders/7");
        let usd = StandInOrder::new(at, "L", 1199);
        assert_eq!(
            serde_json::to_value(order_resource(&usd, "b")).unwrap()["attributes"]["currency_rate"],
            "1.0000"
        );
    }
}
