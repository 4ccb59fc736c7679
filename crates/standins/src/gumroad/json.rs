//! A sale as `GET /v2/sales` shows it: `Purchase#as_json(version: 2)` (contract §1.4), its keys in
//! Gumroad's order, nil values left out (`refunded` is absent unless true, like the nullable
//! `stripe_refunded` column), and the newer `currency` key.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use super::ids;
use super::sale::StandInSale;
use crate::money;

/// What the JSON needs besides the sale itself.
pub(crate) struct Seller<'a> {
    pub seller_id: &'a str,
    /// The seller's time zone, as a fixed offset, for `daystamp`.
    pub offset: FixedOffset,
    /// Whether amounts get thousands separators (`"4,500"`), as Gumroad's Money formatting does.
    pub thousands: bool,
    pub now: DateTime<Utc>,
}

#[derive(Serialize)]
pub(crate) struct SaleJson<'a> {
    id: &'a str,
    email: &'a str,
    seller_id: &'a str,
    timestamp: String,
    daystamp: String,
    created_at: String,
    product_name: &'a str,
    product_has_variants: bool,
    price: i64,
    gumroad_fee: i64,
    is_bundle_purchase: bool,
    is_bundle_product_purchase: bool,
    formatted_display_price: String,
    formatted_total_price: String,
    currency_symbol: &'static str,
    currency: &'a str,
    amount_refundable_in_currency: String,
    product_id: &'a str,
    product_permalink: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refunded: Option<bool>,
    partially_refunded: bool,
    chargedback: bool,
    purchase_email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_name: Option<&'a str>,
    paid: bool,
    has_variants: bool,
    variants_and_quantity: String,
    has_custom_fields: bool,
    custom_fields: serde_json::Map<String, serde_json::Value>,
    order_id: u64,
    is_product_physical: bool,
    is_recurring_billing: bool,
    can_contact: bool,
    is_following: bool,
    disputed: bool,
    dispute_won: bool,
    is_additional_contribution: bool,
    discover_fee_charged: bool,
    is_upgrade_purchase: bool,
    is_more_like_this_recommended: bool,
    is_gift_sender_purchase: bool,
    is_gift_receiver_purchase: bool,
    referrer: &'a str,
    paypal_refund_expired: bool,
    card: Card,
    /// Set after the nil values are deleted, so it stays as `null`.
    product_rating: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    discover_fee_percentage: Option<u32>,
    quantity: u32,
}

#[derive(Serialize)]
struct Card {
    visual: Option<&'static str>,
    #[serde(rename = "type")]
    kind: Option<&'static str>,
    bin: Option<&'static str>,
    expiry_month: Option<&'static str>,
    expiry_year: Option<&'static str>,
}

pub(crate) fn sale_json<'a>(sale: &'a StandInSale, seller: &Seller<'a>) -> SaleJson<'a> {
    let c = money::currency(&sale.currency);
    let display = format!(
        "{}{}",
        c.symbol,
        money::format_amount(sale.display_price_minor, c.exponent, true)
    );
    SaleJson {
        id: &sale.id,
        email: &sale.email,
        seller_id: seller.seller_id,
        timestamp: format!("{} ago", time_ago_in_words(sale.created_at, seller.now)),
        daystamp: sale
            .created_at
            .with_timezone(&seller.offset)
            .format("%e %b %Y %l:%M %p")
            .to_string(),
        // Second precision with `Z` (Gumroad sets `time_precision = 0`).
        created_at: sale.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        product_name: &sale.product_name,
        product_has_variants: false,
        price: sale.price_cents,
        gumroad_fee: sale.gumroad_fee_cents,
        is_bundle_purchase: false,
        is_bundle_product_purchase: false,
        formatted_display_price: display.clone(),
        formatted_total_price: display,
        currency_symbol: c.symbol,
        currency: &sale.currency,
        amount_refundable_in_currency: sale.amount_refundable_in_currency(seller.thousands),
        product_id: &sale.product_id,
        product_permalink: &sale.product_permalink,
        refunded: sale.is_refunded().then_some(true),
        partially_refunded: sale.is_partially_refunded(),
        chargedback: sale.is_chargedback(),
        purchase_email: &sale.email,
        full_name: sale.full_name.as_deref(),
        paid: sale.price_cents != 0,
        has_variants: false,
        variants_and_quantity: if sale.quantity > 1 {
            format!("(Qty: {})", sale.quantity)
        } else {
            String::new()
        },
        has_custom_fields: false,
        custom_fields: serde_json::Map::new(),
        order_id: ids::encrypt_numeric(sale.number),
        is_product_physical: false,
        is_recurring_billing: false,
        can_contact: true,
        is_following: false,
        disputed: sale.disputed,
        dispute_won: sale.dispute_won,
        is_additional_contribution: false,
        discover_fee_charged: sale.discover_fee_charged,
        is_upgrade_purchase: false,
        is_more_like_this_recommended: false,
        is_gift_sender_purchase: false,
        is_gift_receiver_purchase: false,
        referrer: &sale.referrer,
        paypal_refund_expired: false,
        card: Card {
            visual: None,
            kind: None,
            bin: None,
            expiry_month: None,
            expiry_year: None,
        },
        product_rating: None,
        discover_fee_percentage: sale.discover_fee_charged.then_some(30),
        quantity: sale.quantity,
    }
}

/// Rails' `time_ago_in_words`, to the level of detail that matters for a field nobody should parse.
fn time_ago_in_words(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - then).num_minutes().abs();
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    match minutes {
        0 => "less than a minute".into(),
        1..=44 => plural(minutes, "minute"),
        45..=89 => "about 1 hour".into(),
        90..=1439 => format!("about {} hours", (minutes + 30) / 60),
        1440..=2519 => "1 day".into(),
        2520..=43_199 => plural((minutes + 720) / 1440, "day"),
        43_200..=86_399 => "about 1 month".into(),
        86_400..=525_599 => plural((minutes + 21_600) / 43_200, "month"),
        _ => {
            let years = minutes / 525_600;
            let rest = minutes % 525_600;
            if rest < 131_400 {
                if years == 1 {
                    "about 1 year".into()
                } else {
                    format!("about {years} years")
                }
            } else if rest < 394_200 {
                format!("over {}", plural(years, "year"))
            } else {
                format!("almost {} years", years + 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn seller(now: DateTime<Utc>) -> Seller<'static> {
        Seller {
            seller_id: "kL0paVL2SdmJSYsNs-OCMg==",
            offset: FixedOffset::west_opt(8 * 3600).unwrap(),
            thousands: true,
            now,
        }
    }

    #[test]
    fn nil_keys_are_left_out_and_money_is_in_usd_cents() {
        let at = Utc.with_ymd_and_hms(2021, 1, 5, 19, 38, 56).unwrap();
        let mut sale = StandInSale::new(at, "Pencil Icon PSD", 1000).in_currency("jpy", 1500);
        sale.number = 7;
        sale.id = ids::external_id(7);
        let now = at + chrono::Duration::days(60);
        let v = serde_json::to_value(sale_json(&sale, &seller(now))).unwrap();
        assert!(v.get("refunded").is_none());
        assert!(v.get("full_name").is_none());
        assert!(v.get("subscription_duration").is_none());
        assert_eq!(v["product_rating"], serde_json::Value::Null);
        assert_eq!(v["price"], 1000);
        assert_eq!(v["gumroad_fee"], 150);
        assert_eq!(v["currency"], "jpy");
        assert_eq!(v["currency_symbol"], "¥");
        assert_eq!(v["formatted_display_price"], "¥1,500");
        assert_eq!(v["amount_refundable_in_currency"], "1,500");
        assert_eq!(v["created_at"], "2021-01-05T19:38:56Z");
        assert_eq!(v["daystamp"], " 5 Jan 2021 11:38 AM");
        assert_eq!(v["timestamp"], "2 months ago");
        assert_eq!(v["order_id"], ids::encrypt_numeric(7));
    }

    #[test]
    fn refund_states_show_as_gumroad_shows_them() {
        let at = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
        let s = seller(at);
        let partial = StandInSale::new(at, "P", 1000).refunded_by(250);
        let v = serde_json::to_value(sale_json(&partial, &s)).unwrap();
        assert!(v.get("refunded").is_none());
        assert_eq!(v["partially_refunded"], true);
        assert_eq!(v["amount_refundable_in_currency"], "7.50");
        let full = StandInSale::new(at, "P", 1000).refunded_by(1000);
        let v = serde_json::to_value(sale_json(&full, &s)).unwrap();
        assert_eq!(v["refunded"], true);
        assert_eq!(v["partially_refunded"], false);
        assert_eq!(v["amount_refundable_in_currency"], "0");
        let won = StandInSale::new(at, "P", 1000).dispute_won();
        let v = serde_json::to_value(sale_json(&won, &s)).unwrap();
        assert_eq!(
            (
                v["disputed"].as_bool(),
                v["dispute_won"].as_bool(),
                v["chargedback"].as_bool()
            ),
            (Some(true), Some(true), Some(false))
        );
    }
}
