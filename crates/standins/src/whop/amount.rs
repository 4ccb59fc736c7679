//! How the Whop stand-in writes money (contract §2.3): JSON numbers in MAJOR units (`49.99` for
//! $49.99), as the Rails app behind the API writes its floats — the shortest text, with `.0` on whole
//! amounts (`0.0`, `50.0`, yen `1200.0`) [I: the contract's example shows `"tax_amount":0.0`]. The
//! text is made from integer minor units, never by float arithmetic, so it is always the exact amount.

use serde_json::Number;

/// `4999` cents → `49.99`; `4990` → `49.9`; `5000` → `50.0`; yen `1200` → `1200.0`.
pub(crate) fn major_text(minor: i64, exponent: u32) -> String {
    let scale = 10u64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let (whole, fraction) = (minor.unsigned_abs() / scale, minor.unsigned_abs() % scale);
    if fraction == 0 {
        return format!("{sign}{whole}.0");
    }
    let digits = format!("{fraction:0width$}", width = exponent as usize);
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// The amount as a JSON number whose text is [`major_text`]. serde_json keeps a number read from
/// text as the nearest double, and writes a double as the shortest text that reads back as it, which
/// for an amount of at most 15 significant digits is that same text: `49.99` stays `49.99`.
pub(crate) fn major(minor: i64, exponent: u32) -> Number {
    let text = major_text(minor, exponent);
    // The text is always a plain decimal, which serde_json reads; the fallback is never taken.
    text.parse::<Number>()
        .unwrap_or_else(|_| Number::from(minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_exactly_in_major_units() {
        assert_eq!(major_text(4999, 2), "49.99");
        assert_eq!(major_text(4990, 2), "49.9");
        assert_eq!(major_text(5000, 2), "50.0");
        assert_eq!(major_text(5, 2), "0.05");
        assert_eq!(major_text(0, 2), "0.0");
        assert_eq!(major_text(-1999, 2), "-19.99");
        assert_eq!(major_text(1200, 0), "1200.0");
        for (minor, text) in [
            (1999, "19.99"),
            (30, "0.3"),
            (4624, "46.24"),
            (123_456_789_012, "1234567890.12"),
        ] {
            let json = serde_json::to_string(&serde_json::json!({ "a": major(minor, 2) })).unwrap();
            assert_eq!(json, format!("{{\"a\":{text}}}"));
        }
        assert_eq!(
            serde_json::to_string(&major(1200, 0)).unwrap(),
            "1200.0",
            "yen"
        );
    }
}
