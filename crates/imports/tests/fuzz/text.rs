//! Text strategies: CSV-looking bytes made of the pieces the formats parse, files with a known header
//! and rows of about its width in every delimiter, line ending and encoding, and real files with some
//! of their fields replaced.

use crate::corpus::text_seeds;
use proptest::prelude::*;

/// Pieces CSV-looking text is made of: delimiters, quotes, line endings, BOMs, values of every kind the
/// formats parse (dates, amounts, currencies, kinds, marketplaces, months), and values at their limits.
#[rustfmt::skip]
pub(crate) const TOKENS: &[&str] = &[
    ",", ",", ",", ";", "\t", "|", "\"", "\"\"", "\r", "\n", "\n", "\r\n", " ", "\u{feff}",
    "\u{fffd}", "\0", "é", "€", "¥", "日本", "0", "1", "-1", "12", ".", "-", "+", ":", "/", "(", ")",
    "e", "E", "NaN", "inf", "-0", "1e308", "1e-400", "4.99", "-12.50", "1.234,56", "1,234.56",
    "(12,00)", "12,00 €", "$1,200", "¥1200", "0.000000001", "9223372036854775807",
    "-9223372036854775808", "99999999999999999999999", "2026-03-05", "2026-02-30", "05/03/2026",
    "03/05/2026", "5.3.2026", "2026-03-05T10:00:00Z", "2026-03-05 10:00:00",
    "2024-03-05T20:38:56+01:00", "2026-03-05T25:61:61Z", "9999-12-31T23:59:59Z", "0000-01-01",
    "+275760-09-13", "46000", "March 2026", "marzo de 2026", "2026年3月", "2026-13", "USD", "usd",
    "EUR", "JPY", "KWD", "XXX", "ZZZ", "US", "DE", "sale", "refund", "chargeback", "payout",
    "royalty", "kenp", "fee", "Paid", "Failed", "Refunded", "paid", "refunded", "partial_refund",
    "pending", "true", "false", "1", "yes", "won", "lost", "ORDER_EARNINGS", "REFUND", "TIP",
    "SHIPPING_LABEL", "Amazon.com", "Amazon.co.jp", "Amazon.de", "Amazon.xx", "70%", "35%",
    "Standard", "Free - Promotion", "Kindle Countdown Deals", "KDP Select", "B0CXJ4K2LM",
    "9798881234567", "ch_1", "lt_1001",
];

/// Header lines of every format Tributary detects (written with commas; a file may use another
/// delimiter), some with the line before them that a Prior Months' sheet has.
pub(crate) const HEADERS: &[&str] = &[
    "platform,account,external_id,kind,occurred_at,product_id,product_name,quantity,currency,gross,fees,net,buyer_email,country",
    "platform,account,external_id,kind,occurred_at,quantity,currency,gross",
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Description,Fee,Taxes On Fee,Refunded date (UTC),Status,Customer Email,Card Address Country,Disputed Amount,Dispute Status,Dispute Date (UTC)",
    "id,Description,Created (UTC),Amount,Amount Refunded,Currency,Fee,Tax,Status,Captured",
    "Purchase ID,Item Name,Buyer Name,Purchase Date,Purchase Time (UTC timezone),Sale Price ($),Fees ($),Net Total ($),Refunded?,Partial Refund ($),Fully Refunded?,Disputed?,Dispute Won?,Quantity,Buyer Currency,Country",
    "identifier,order_number,user_email,currency,subtotal,discount_total,tax,total,status,refunded,refunded_at,refunded_amount,created_at,product_name,variant_name,country",
    "Identifier,Order Number,Customer Email,Currency,Total,Status,Created At,Refunded",
    "transaction_completed_at_utc,order_placed_at_utc,seller_id,transaction_type,order_id,listing_title,quantity_sold,transaction_currency,transaction_amount,buyer_paid,commission_fee,commission_tax,processing_fee,processing_fee_tax,ledger_transaction_id",
    "Royalty Date,Title,Author Name,ASIN/ISBN,Marketplace,Royalty Type,Transaction Type,Units Sold,Units Refunded,Net Units Sold,Royalty,Currency",
    "Date,Title,Author Name,ASIN,Marketplace,Kindle Edition Normalized Pages (KENP) Read",
    "Sales Period,March 2026\nTitle,Author,ASIN/ISBN,Marketplace,Units Sold,Units Refunded,Net Units Sold or Combined KENP,Royalty Type,Payout Plan,Currency,Earnings",
    "Fecha de las regalías,Título,Nombre del autor,ASIN/ISBN,Tienda,Tipo de regalía,Tipo de transacción,Unidades vendidas,Unidades devueltas,Unidades netas vendidas,Regalías,Moneda",
    "Período de ventas,marzo de 2026\nTítulo,Autor,ASIN/ISBN,Tienda,Unidades netas vendidas,Plan de pago,Moneda,Ganancias",
    "ロイヤリティ発生日,タイトル,著者名,ASIN/ISBN,マーケットプレイス,ロイヤリティの種類,取引の種類,販売数量,払い戻し数,実質販売数,ロイヤリティ,通貨",
    "Datum,Buchungstext,Betrag,Gebühr,Währung,Belegnummer",
];

pub(crate) fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => "[0-9]{1,8}",
        1 => "[a-zA-Z]{1,8}",
        1 => "[ -~]{1,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Random mixes of the pieces of CSV text.
pub(crate) fn csv_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..300).prop_map(|t| t.concat())
}

/// One field of a row: a value, maybe quoted (with quotes inside doubled, or, now and then, not).
fn field() -> impl Strategy<Value = String> {
    (prop::collection::vec(token(), 0..3), 0u8..10, any::<bool>()).prop_map(
        |(parts, quoting, broken)| {
            let value = parts.concat();
            match quoting {
                0..=1 if broken => format!("\"{value}"),
                0..=1 => format!("\"{}\"", value.replace('"', "\"\"")),
                _ => value,
            }
        },
    )
}

/// How a text file's bytes are written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// One byte per character (what is not Latin-1 becomes `?`): Windows-1252-ish bytes.
    Latin1,
}

pub(crate) fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16Le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16Be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        Encoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect(),
    }
}

pub(crate) fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        4 => Just(Encoding::Utf8),
        1 => Just(Encoding::Utf8Bom),
        1 => Just(Encoding::Utf16Le),
        1 => Just(Encoding::Utf16Be),
        1 => Just(Encoding::Latin1),
    ]
}

/// A known format's header line, then rows of about its width, in one delimiter, line ending and
/// encoding: files that get past detection and the header into the rows.
pub(crate) fn headed_file() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(HEADERS),
        prop::sample::select(&[",", ",", ";", "\t", "|"][..]),
        prop::sample::select(&["\n", "\r\n", "\r"][..]),
        prop::collection::vec(
            (prop::collection::vec(field(), 0..20), any::<bool>()),
            0..25,
        ),
        encoding(),
    )
        .prop_map(|(header, delimiter, ending, rows, encoding)| {
            let width = header.lines().last().unwrap_or("").split(',').count();
            let mut text = header.replace(',', delimiter).replace('\n', ending) + ending;
            for (mut fields, fit) in rows {
                // Mostly rows of the header's width, so that the values are what gets read.
                if fit {
                    fields.resize(width, String::new());
                }
                text += &fields.join(delimiter);
                text += ending;
            }
            encode(&text, encoding)
        })
}

/// A seed file (one of the UTF-8 ones) with some of its fields replaced: rows that are mostly right, so
/// that one wrong value at a time reaches the code that parses it.
pub(crate) fn seed_with_fields_replaced() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec((any::<prop::sample::Index>(), field()), 1..6),
    )
        .prop_map(|(seed, replacements)| {
            let texts: Vec<&str> = text_seeds()
                .iter()
                .filter_map(|s| std::str::from_utf8(s).ok())
                .collect();
            let text = texts[seed.index(texts.len())];
            let delimiter = if text.lines().next().unwrap_or("").contains(';') {
                ";"
            } else {
                ","
            };
            let mut lines: Vec<Vec<String>> = text
                .lines()
                .map(|l| l.split(delimiter).map(str::to_string).collect())
                .collect();
            let cells: usize = lines.iter().map(Vec::len).sum();
            for (at, value) in replacements {
                let mut at = at.index(cells);
                for line in lines.iter_mut() {
                    if at < line.len() {
                        line[at] = value;
                        break;
                    }
                    at -= line.len();
                }
            }
            let lines: Vec<String> = lines.iter().map(|l| l.join(delimiter)).collect();
            (lines.join("\n") + "\n").into_bytes()
        })
}
