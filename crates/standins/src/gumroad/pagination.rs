//! `page_key` and `next_page_url` exactly as Gumroad's `Api::V2::BaseController` makes and reads them
//! (contract §1.2): the key is the last sale's `created_at` as `YYYYMMDDHHMMSS` + 6 digits of
//! microseconds, a dash, and its obfuscated numeric id; the URL is the request's path and query with
//! `access_token`, `page` and `page_key` taken out, the new `page_key` put in, keys sorted.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::ids;
use super::params::{ruby_to_i, Params};
use super::sale::StandInSale;

/// Gumroad's `RESULTS_PER_PAGE`, for sales and payouts alike.
pub(crate) const PER_PAGE: usize = 10;

/// `20210105193856000000-123456`.
pub(crate) fn encode_page_key(sale: &StandInSale) -> String {
    format!(
        "{}{:06}-{}",
        sale.created_at.format("%Y%m%d%H%M%S"),
        sale.created_at.timestamp_subsec_micros(),
        ids::encrypt_numeric(sale.number)
    )
}

/// The (µs since the epoch, internal number) a page key stands for; `None` → "Invalid page_key.".
/// Like Ruby's `split("-")`, parts after the second are ignored, and the number part is read with
/// `to_i` (leading digits). Unlike `Time.zone.parse`, which reads many shapes, the time must be the
/// 20 digits Gumroad writes.
pub(crate) fn decode_page_key(key: &str) -> Option<(i64, u64)> {
    let mut parts = key.split('-');
    let time = parts.next()?;
    let number = ids::decrypt_numeric(ruby_to_i(parts.next()?))?;
    if time.len() != 20 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |range: std::ops::Range<usize>| time[range].parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(field(0..4)?).ok()?,
        field(4..6)?,
        field(6..8)?,
    )?;
    let clock = NaiveTime::from_hms_micro_opt(
        field(8..10)?,
        field(10..12)?,
        field(12..14)?,
        field(14..20)?,
    )?;
    Some((
        NaiveDateTime::new(date, clock).and_utc().timestamp_micros(),
        number,
    ))
}

/// `/v2/sales?after=2024-01-01&page_key=…`: the request's own path, so a client must resolve it
/// against the host (not against the `/v2` base).
pub(crate) fn next_page_url(path: &str, params: &Params, page_key: &str) -> String {
    let mut values: Vec<(&str, &str)> = params
        .last_values_sorted()
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "access_token" | "page" | "page_key"))
        .collect();
    values.push(("page_key", page_key));
    values.sort();
    let query: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// Addressable's `encode_component(…, UNRESERVED)`: letters, digits and `-._~` stay, the rest is
/// `%XX` (so a space is `%20`, not `+`).
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn page_keys_round_trip() {
        let mut sale = StandInSale::new(
            Utc.with_ymd_and_hms(2021, 1, 5, 19, 38, 56).unwrap(),
            "P",
            1,
        );
        sale.number = 123_456;
        let key = encode_page_key(&sale);
        assert!(key.starts_with("20210105193856000000-"), "{key}");
        assert_eq!(
            decode_page_key(&key),
            Some((sale.created_at.timestamp_micros(), 123_456))
        );
        assert_eq!(
            decode_page_key(&format!("{key}-extra")),
            Some((sale.created_at.timestamp_micros(), 123_456))
        );
    }

    #[test]
    fn bad_page_keys_are_refused() {
        for bad in [
            "",
            "abc",
            "20210105193856000000",
            "20210105193856000000-",
            "20210105193856000000-0",
            "20210105193856000000-x",
            "2021010519385600000-5",
            "20211305193856000000-5",
            "20210105253856000000-5",
        ] {
            assert_eq!(decode_page_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn next_page_urls_drop_the_token_and_sort_the_keys() {
        let params = Params::parse(Some(
            "page_key=old&before=2025-01-01&access_token=secret&after=2024-01-01&q=a+b",
        ));
        assert_eq!(
            next_page_url("/v2/sales", &params, "20240101000000000000-9"),
            "/v2/sales?after=2024-01-01&before=2025-01-01&page_key=20240101000000000000-9&q=a%20b"
        );
    }
}
