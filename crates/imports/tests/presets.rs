//! The Lemon Squeezy and Whatnot presets on small files shaped like the exports: picked by their header,
//! then read row by row (refunds, skipped rows, payouts, derived gross, amounts in minor units); and the
//! example of docs/formats/mapping.md, read from the page, so that the page stays true.

mod common;

use common::{read, summary, Summary};
use tributary_imports::formats::{detect, Format};
use tributary_imports::mapping::Mapping;
use tributary_model::EventKind;

/// The preset `detect` picks for `bytes`, which must be `name`.
fn preset(bytes: &[u8], name: &str) -> Mapping {
    match detect(bytes).unwrap() {
        Format::Mapped(m) => {
            assert_eq!(m.name, name);
            *m
        }
        other => panic!("{} is not a preset", other.name()),
    }
}

fn row(
    id: &str,
    kind: EventKind,
    at: &str,
    money: (i64, i64, i64),
    quantity: i64,
    currency: &str,
) -> Summary {
    let (gross, fees, net) = money;
    (
        id.into(),
        kind,
        at.into(),
        gross,
        fees,
        net,
        quantity,
        currency.into(),
    )
}

#[test]
fn lemonsqueezy_orders_in_cents_with_refunds_and_unpaid_orders() {
    let file = "identifier,order_number,user_name,user_email,currency,currency_rate,subtotal,discount_total,tax,total,status,status_formatted,refunded,refunded_at,refunded_amount,created_at,product_name,variant_name,country\n\
        104e18a2-d755-4d4b-80c4-a6c1dcbe1c10,1,John Doe,john@example.com,USD,1.0000,999,0,200,1199,paid,Paid,false,,0,2026-03-02T09:45:53.000000Z,Presets Pack,Default,US\n\
        5b1c7e0a-2f4d-4c61-9a57-0d3e8f1b2c34,2,Ana Berg,ana@example.de,EUR,1.0870,2500,500,380,2380,partial_refund,Partial refund,false,2026-03-10T12:00:00.000000Z,1000,2026-03-03T10:00:00.000000Z,Course,Lifetime,DE\n\
        9e8d7c6b-5a49-4382-8716-0f1e2d3c4b5a,3,Ken Sato,ken@example.jp,JPY,0.0067,1500,0,0,1500,refunded,Refunded,true,2026-03-05T08:00:00.000000Z,0,2026-03-04T23:10:00.000000Z,Presets Pack,Default,JP\n\
        0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9,4,Li Wei,li@example.com,USD,1.0000,999,0,0,999,pending,Pending,false,,0,2026-03-06T10:00:00.000000Z,Presets Pack,Default,US\n\
        f9e8d7c6-b5a4-4392-8170-6f5e4d3c2b1a,5,Max Roe,max@example.com,USD,1.0000,999,0,0,999,failed,Failed,false,,0,2026-03-06T11:00:00.000000Z,Presets Pack,Default,US\n";
    let mapping = preset(file.as_bytes(), "lemonsqueezy-orders");
    let (events, errors, skipped) = read(file.as_bytes(), mapping).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(skipped, 2, "the pending and the failed order");
    let got: Vec<Summary> = events.iter().map(summary).collect();
    let (sale, refund) = (EventKind::Sale, EventKind::Refund);
    assert_eq!(
        got,
        [
            row(
                "104e18a2-d755-4d4b-80c4-a6c1dcbe1c10",
                sale,
                "2026-03-02T09:45:53Z",
                (1199, 0, 1199),
                1,
                "USD"
            ),
            row(
                "5b1c7e0a-2f4d-4c61-9a57-0d3e8f1b2c34",
                sale,
                "2026-03-03T10:00:00Z",
                (2380, 0, 2380),
                1,
                "EUR"
            ),
            // A partial refund: the amount refunded, on its own date, no units back.
            row(
                "5b1c7e0a-2f4d-4c61-9a57-0d3e8f1b2c34:refund",
                refund,
                "2026-03-10T12:00:00Z",
                (-1000, 0, -1000),
                0,
                "EUR"
            ),
            // Yen have no minor unit: 1500 is ¥1,500.
            row(
                "9e8d7c6b-5a49-4382-8716-0f1e2d3c4b5a",
                sale,
                "2026-03-04T23:10:00Z",
                (1500, 0, 1500),
                1,
                "JPY"
            ),
            // Flagged refunded with no amount: the whole total, and the unit back.
            row(
                "9e8d7c6b-5a49-4382-8716-0f1e2d3c4b5a:refund",
                refund,
                "2026-03-05T08:00:00Z",
                (-1500, 0, -1500),
                -1,
                "JPY"
            ),
        ]
    );
    let first = &events[0];
    assert_eq!(first.platform, "lemonsqueezy");
    assert_eq!(first.account, "main");
    assert_eq!(first.buyer_email.as_deref(), Some("john@example.com"));
    assert_eq!(first.product_name.as_deref(), Some("Presets Pack"));
    assert_eq!(first.country.as_deref(), Some("US"));
    assert_eq!(events[1].country.as_deref(), Some("DE"));
}

#[test]
fn lemonsqueezy_display_headers_are_recognized_and_decimals_refused_as_cents() {
    // If the real export is a formatted one, the preset still picks it, and says why each amount cannot
    // be read instead of taking 11.99 as 11.99 cents or 11.00 as 11 cents.
    let file = "Identifier,Order Number,Customer Email,Currency,Total,Status,Refunded,Created At\n\
        ab12,1,a@example.com,USD,11.99,Paid,false,2026-03-02 09:45:53\n\
        cd34,2,b@example.com,USD,11.00,Paid,false,2026-03-02 10:00:00\n\
        ef56,3,c@example.com,USD,1199,Paid,false,2026-03-02 11:00:00\n";
    let mapping = preset(file.as_bytes(), "lemonsqueezy-orders");
    let (events, errors, _) = read(file.as_bytes(), mapping).unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    for (error, line) in errors.iter().zip([2, 3]) {
        assert_eq!(error.line, Some(line));
        assert_eq!(error.column.as_deref(), Some("Total"));
        assert!(error.message.contains("minor_units"), "{error}");
    }
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].external_id, "ef56");
    assert_eq!(events[0].gross_minor, 1199);
}

/// The report's columns (platform-apis.md §12), in order.
const WHATNOT_HEADER: [&str; 32] = [
    "transaction_completed_at_utc",
    "order_placed_at_utc",
    "seller_id",
    "transaction_type",
    "transaction_message",
    "order_id",
    "listing_title",
    "listing_description",
    "product_category",
    "buy_format",
    "sale_type",
    "quantity_sold",
    "sku",
    "cost_of_goods",
    "livestream_id",
    "livestream_title",
    "buyer_name",
    "buyer_state",
    "buyer_country",
    "shipment_id",
    "transaction_currency",
    "transaction_amount",
    "buyer_paid",
    "original_item_price",
    "coupon_cost",
    "post_coupon_price",
    "seller_shipping_charge",
    "commission_fee",
    "commission_tax",
    "processing_fee",
    "processing_fee_tax",
    "ledger_transaction_id",
];

/// A report line with these values (quoted where they hold a comma), the other columns empty.
fn whatnot_line(values: &[(&str, &str)]) -> String {
    let mut fields = vec![String::new(); WHATNOT_HEADER.len()];
    for (name, value) in values {
        let i = WHATNOT_HEADER.iter().position(|h| h == name).unwrap();
        fields[i] = if value.contains(',') {
            format!("\"{value}\"")
        } else {
            value.to_string()
        };
    }
    fields.join(",") + "\n"
}

#[test]
fn whatnot_financial_report_rows_by_transaction_type() {
    let seller = ("seller_id", "81234");
    let mut file = WHATNOT_HEADER.join(",") + "\n";
    for line in [
        vec![
            ("transaction_completed_at_utc", "2026-04-06 02:15:09"),
            ("order_placed_at_utc", "2026-04-05 20:31:44"),
            seller,
            ("transaction_type", "ORDER_EARNINGS"),
            ("transaction_message", "Earnings for order 501"),
            ("order_id", "501"),
            ("listing_title", "Vintage trainer card lot"),
            ("product_category", "Trading Card Games"),
            ("buy_format", "AUCTION"),
            ("sale_type", "LIVESTREAM"),
            ("quantity_sold", "1"),
            ("sku", "TCG-LOT-7"),
            ("livestream_id", "ls_88"),
            ("livestream_title", "Sunday rips"),
            ("buyer_name", "kay_collects"),
            ("buyer_state", "CA"),
            ("buyer_country", "US"),
            ("shipment_id", "sh_9001"),
            ("transaction_currency", "USD"),
            ("transaction_amount", "21.81"),
            ("buyer_paid", "31.24"),
            ("original_item_price", "25.00"),
            ("coupon_cost", "0.00"),
            ("post_coupon_price", "25.00"),
            ("seller_shipping_charge", "0.00"),
            ("commission_fee", "2.00"),
            ("commission_tax", "0.16"),
            ("processing_fee", "1.03"),
            ("processing_fee_tax", "0.00"),
            ("ledger_transaction_id", "lt_1001"),
        ],
        vec![
            ("transaction_completed_at_utc", "2026-04-06 02:20:00"),
            seller,
            ("transaction_type", "TIP"),
            ("transaction_message", "Tip from kay_collects"),
            ("livestream_id", "ls_88"),
            ("transaction_currency", "USD"),
            ("transaction_amount", "4.55"),
            ("processing_fee", "0.45"),
            ("ledger_transaction_id", "lt_1002"),
        ],
        vec![
            ("transaction_completed_at_utc", "2026-04-07 16:02:11"),
            seller,
            ("transaction_type", "SHIPPING_LABEL"),
            ("transaction_message", "Label adjustment, shipment sh_9001"),
            ("shipment_id", "sh_9001"),
            ("transaction_currency", "USD"),
            ("transaction_amount", "-4.50"),
            ("ledger_transaction_id", "lt_1003"),
        ],
        vec![
            ("transaction_completed_at_utc", "2026-04-08 09:00:00"),
            ("order_placed_at_utc", "2026-04-01 19:12:00"),
            seller,
            ("transaction_type", "REFUND"),
            ("transaction_message", "Refund billback for order 502"),
            ("order_id", "502"),
            ("listing_title", "Booster bundle"),
            ("quantity_sold", "1"),
            ("sku", "TCG-BB-1"),
            ("transaction_currency", "USD"),
            ("transaction_amount", "-12.00"),
            ("ledger_transaction_id", "lt_1004"),
        ],
        // Placed, not completed: no money has moved yet.
        vec![
            ("order_placed_at_utc", "2026-04-09 21:40:00"),
            seller,
            ("transaction_type", "ORDER_EARNINGS"),
            ("order_id", "503"),
            ("listing_title", "Booster bundle"),
            ("quantity_sold", "1"),
            ("transaction_currency", "USD"),
            ("transaction_amount", "30.00"),
            ("ledger_transaction_id", "lt_1005"),
        ],
        vec![
            ("transaction_completed_at_utc", "2026-04-10 06:00:00"),
            seller,
            ("transaction_type", "PAYOUT"),
            ("transaction_message", "Payout to bank ****6789"),
            ("transaction_currency", "USD"),
            ("transaction_amount", "-500.00"),
            ("ledger_transaction_id", "lt_1006"),
        ],
        // A type the preset does not list.
        vec![
            ("transaction_completed_at_utc", "2026-04-11 12:00:00"),
            seller,
            ("transaction_type", "SELLER_CREDIT"),
            ("transaction_currency", "CAD"),
            ("transaction_amount", "3.00"),
            ("ledger_transaction_id", "lt_1007"),
        ],
    ] {
        file += &whatnot_line(&line);
    }
    let mapping = preset(file.as_bytes(), "whatnot-financial");
    let (events, errors, skipped) = read(file.as_bytes(), mapping).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(skipped, 1);
    let got: Vec<Summary> = events.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            // Gross is net + commission, its tax and processing: 21.81 + 3.19 = 25.00.
            row(
                "lt_1001",
                EventKind::Sale,
                "2026-04-06T02:15:09Z",
                (2500, 319, 2181),
                1,
                "USD"
            ),
            row(
                "lt_1002",
                EventKind::Sale,
                "2026-04-06T02:20:00Z",
                (500, 45, 455),
                1,
                "USD"
            ),
            row(
                "lt_1003",
                EventKind::Fee,
                "2026-04-07T16:02:11Z",
                (-450, 0, -450),
                1,
                "USD"
            ),
            // A refund row gives its unit back even though the report writes it positive.
            row(
                "lt_1004",
                EventKind::Refund,
                "2026-04-08T09:00:00Z",
                (-1200, 0, -1200),
                -1,
                "USD"
            ),
            row(
                "lt_1006",
                EventKind::Payout,
                "2026-04-10T06:00:00Z",
                (-50000, 0, -50000),
                1,
                "USD"
            ),
            row(
                "lt_1007",
                EventKind::Adjustment,
                "2026-04-11T12:00:00Z",
                (300, 0, 300),
                1,
                "CAD"
            ),
        ]
    );
    let sale = &events[0];
    assert_eq!(sale.platform, "whatnot");
    assert_eq!(sale.product_id.as_deref(), Some("TCG-LOT-7"));
    assert_eq!(
        sale.product_name.as_deref(),
        Some("Vintage trainer card lot")
    );
    assert_eq!(sale.country.as_deref(), Some("US"));
    assert_eq!(sale.buyer_email, None);
    assert!(events
        .iter()
        .all(|e| e.gross_minor - e.fees_minor == e.net_minor));
}

#[test]
fn whatnot_rows_without_their_net_amount_are_rejected_by_name() {
    let file = WHATNOT_HEADER.join(",")
        + "\n"
        + &whatnot_line(&[
            ("transaction_completed_at_utc", "2026-04-06 02:15:09"),
            ("transaction_type", "ORDER_EARNINGS"),
            ("transaction_currency", "USD"),
            ("commission_fee", "2.00"),
            ("ledger_transaction_id", "lt_2001"),
        ]);
    let mapping = preset(file.as_bytes(), "whatnot-financial");
    let (events, errors, _) = read(file.as_bytes(), mapping).unwrap();
    assert!(events.is_empty());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].column.as_deref(), Some("transaction_amount"));
}

#[test]
fn a_mapping_needs_gross_or_net() {
    let rest = "[date]\ncolumn = 'd'\n[id]\ncolumn = 'i'\n[currency]\nfixed = 'USD'\n";
    let neither = format!("name = 'x'\nplatform = 'shop'\nfees = ['Fee']\n{rest}");
    let error = Mapping::from_toml(&neither).unwrap_err();
    assert!(error.contains("gross") && error.contains("net"), "{error}");
    let net_only = format!("name = 'x'\nplatform = 'shop'\nnet = 'Net'\nfees = ['Fee']\n{rest}");
    let mapping = Mapping::from_toml(&net_only).unwrap();
    let (events, errors, _) = read(b"d,i,Net,Fee\n2026-01-02,a,9.50,0.50\n", mapping).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        (
            events[0].gross_minor,
            events[0].fees_minor,
            events[0].net_minor
        ),
        (1000, 50, 950)
    );
}

/// The complete example of `docs/formats/mapping.md` reads as the page says it does.
#[test]
fn the_documented_example_mapping_reads_its_example_file() {
    let page = include_str!("../../../docs/formats/mapping.md");
    let example = &page[page.find("## A complete example").unwrap()..];
    let block = |fence: &str| {
        let start = example.find(fence).unwrap() + fence.len();
        &example[start..start + example[start..].find("```").unwrap()]
    };
    let (file, text) = (block("```csv\n"), block("```toml\n"));
    let mapping = Mapping::from_toml(text).unwrap();
    assert!(mapping.detects(
        &file
            .lines()
            .next()
            .unwrap()
            .split(';')
            .map(String::from)
            .collect::<Vec<_>>()
    ));
    let (events, errors, skipped) = read(file.as_bytes(), mapping).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(skipped, 2);
    let got: Vec<Summary> = events.iter().map(summary).collect();
    let day = |d: &str| format!("2026-02-{d}T00:00:00Z");
    assert_eq!(
        got,
        [
            row(
                "TX-88120",
                EventKind::Sale,
                &day("03"),
                (125_000, 350, 124_650),
                1,
                "EUR"
            ),
            row(
                "TX-88131",
                EventKind::Sale,
                &day("05"),
                (1990, 35, 1955),
                1,
                "EUR"
            ),
            row(
                "TX-88190",
                EventKind::Refund,
                &day("09"),
                (-1990, 0, -1990),
                -1,
                "EUR"
            ),
            row(
                "TX-88277",
                EventKind::Payout,
                &day("15"),
                (-100_000, 0, -100_000),
                1,
                "EUR"
            ),
            row(
                "TX-88350",
                EventKind::Fee,
                &day("28"),
                (-990, 0, -990),
                1,
                "EUR"
            ),
        ]
    );
    assert_eq!(events[0].platform, "hausbank");
    assert_eq!(events[0].account, "geschaeftskonto");
    assert_eq!(events[0].buyer_email.as_deref(), Some("anna@example.de"));
    assert_eq!(
        events[0].product_name.as_deref(),
        Some("Workshop Aquarell Februar")
    );
}
