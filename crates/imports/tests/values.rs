//! Amounts and dates written every way a spreadsheet might, read back exactly; junk never panics.

use chrono::FixedOffset;
use proptest::prelude::*;
use tributary_imports::amount::{parse_amount, DecimalMark};
use tributary_imports::dates::{detect, DateOrder};
use tributary_imports::sniff::{sniff_delimiter, TextEncoding};

/// `minor` written with `exponent` decimals, grouped in thousands by `group`, with `mark` before the
/// decimals, and its sign in one of the ways exports write it.
fn written(minor: i64, exponent: u8, mark: char, group: &str, sign_style: u8) -> String {
    let digits = minor.unsigned_abs().to_string();
    let e = usize::from(exponent);
    let padded = format!("{digits:0>width$}", width = e + 1);
    let (whole, fraction) = padded.split_at(padded.len() - e);
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    let body = if e == 0 {
        grouped
    } else {
        format!("{grouped}{mark}{fraction}")
    };
    match (minor < 0, sign_style % 4) {
        (false, 0 | 1) => body,
        (false, _) => format!("$ {body}"),
        (true, 0) => format!("-{body}"),
        (true, 1) => format!("({body})"),
        (true, 2) => format!("{body}-"),
        (true, _) => format!("-{body} USD"),
    }
}

proptest! {
    #[test]
    fn written_amounts_read_back_exactly(
        minor in -10_000_000_000_000i64..10_000_000_000_000,
        exponent in 0u8..=3,
        comma in any::<bool>(),
        spaced in any::<bool>(),
        sign_style in any::<u8>(),
    ) {
        let (mark, mark_char, group) = match (comma, spaced) {
            (false, false) => (DecimalMark::Point, '.', ","),
            (true, false) => (DecimalMark::Comma, ',', "."),
            (false, true) => (DecimalMark::Point, '.', "\u{a0}"),
            (true, true) => (DecimalMark::Comma, ',', " "),
        };
        let text = written(minor, exponent, mark_char, group, sign_style);
        prop_assert_eq!(parse_amount(&text, mark, exponent), Ok(minor), "{}", text);
    }

    #[test]
    fn junk_amounts_and_dates_are_errors_not_panics(text in "\\PC{0,40}") {
        for mark in [DecimalMark::Point, DecimalMark::Comma] {
            let _ = parse_amount(&text, mark, 2);
        }
        let utc = FixedOffset::east_opt(0).unwrap();
        for order in DateOrder::ALL {
            let _ = order.parse(&text, utc);
        }
        let _ = detect([text.as_str()]);
        let _ = sniff_delimiter(text.as_bytes());
    }

    #[test]
    fn junk_bytes_sniff_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let encoding = TextEncoding::sniff(&bytes);
        let mut out = Vec::new();
        let _ = std::io::Read::read_to_end(&mut encoding.decode(bytes.as_slice()), &mut out);
        let _ = sniff_delimiter(&bytes);
    }

    #[test]
    fn dates_written_by_order_read_back(days in 0i64..40_000, seconds in 0i64..86_400) {
        let utc = FixedOffset::east_opt(0).unwrap();
        let at = chrono::DateTime::from_timestamp(days * 86_400 + seconds, 0).unwrap().naive_utc();
        for (order, pattern) in [
            (DateOrder::YearMonthDay, "%Y-%m-%d %H:%M:%S"),
            (DateOrder::MonthDayYear, "%m/%d/%Y %H:%M:%S"),
            (DateOrder::DayMonthYear, "%d.%m.%Y %H:%M:%S"),
        ] {
            let text = at.format(pattern).to_string();
            let parsed = order.parse(&text, utc).unwrap();
            prop_assert_eq!(parsed.millis(), (days * 86_400 + seconds) * 1000, "{}", text);
        }
    }
}
