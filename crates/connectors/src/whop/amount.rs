//! Whop's amounts (contract §2.3) are JSON floats in MAJOR units (`49.99`, yen `1200.0`). They are
//! read as the number's text (serde_json's `RawValue`) and turned into integer minor units by the
//! model's exact decimal parser — never through an `f64`, where `0.1 + 0.2` is not `0.3`. A number
//! with an exponent (`1e2`, `1.5E+3`, as a float may be written) is shifted to plain decimal text
//! first; more decimals than the currency has (`49.999` dollars, `1200.5` yen) are an error, not a
//! rounding.

use serde_json::value::RawValue;
use tributary_model::{parse_minor, Currency};

/// Exponents beyond this are no amount of money anyone is paid.
const MAX_EXPONENT: i32 = 30;

/// The JSON number `raw` in minor units of `currency`.
pub fn minor_units(raw: &RawValue, currency: Currency) -> Result<i64, String> {
    let text = raw.get().trim();
    let plain = plain_decimal(text)?;
    parse_minor(&plain, currency.exponent()).map_err(|e| format!("{text} {currency}: {e}"))
}

/// `1.5e2` → `150`, `25E-2` → `0.25`, `49.99` → `49.99`: JSON number text as plain decimal text.
fn plain_decimal(text: &str) -> Result<String, String> {
    let not_a_number = || format!("{text} is not a JSON number");
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        None => {
            return is_plain(unsigned)
                .then(|| text.to_string())
                .ok_or_else(not_a_number)
        }
        Some(i) => (&unsigned[..i], &unsigned[i + 1..]),
    };
    if !is_plain(mantissa) {
        return Err(not_a_number());
    }
    let digits_of_exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if digits_of_exponent.is_empty() || !digits_of_exponent.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_number());
    }
    let shift: i32 = exponent
        .parse()
        .ok()
        .filter(|e: &i32| e.abs() <= MAX_EXPONENT)
        .ok_or_else(|| format!("{text} is out of the range of an amount"))?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    // Where the decimal point falls in `digits` once shifted.
    let point = whole.len() as i32 + shift;
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (w, f) = digits.split_at(point as usize);
        format!("{w}.{f}")
    };
    Ok(format!("{sign}{body}"))
}

/// Digits with at most one `.` between digits, as JSON writes a number without its exponent.
fn is_plain(text: &str) -> bool {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    fn minor(text: &str, code: &str) -> Result<i64, String> {
        minor_units(&raw(text), Currency::from_code(code).unwrap())
    }

    #[test]
    fn amounts_are_read_from_their_text_exactly() {
        assert_eq!(minor("19.99", "USD"), Ok(1999));
        assert_eq!(minor("49.9", "USD"), Ok(4990));
        assert_eq!(minor("0.0", "USD"), Ok(0));
        assert_eq!(minor("-19.99", "USD"), Ok(-1999));
        // What 0.1 + 0.2 is as a float; its text says exactly which amount it claims to be.
        assert_eq!(minor("0.3", "USD"), Ok(30));
        assert!(minor("0.30000000000000004", "USD")
            .unwrap_err()
            .contains("more decimals"));
        assert_eq!(minor("1200", "JPY"), Ok(1200));
        assert_eq!(minor("1200.0", "JPY"), Ok(1200));
        assert!(minor("1200.5", "JPY").is_err());
        let e = minor("49.999", "USD").unwrap_err();
        assert!(e.contains("49.999") && e.contains("more decimals"), "{e}");
        assert_eq!(minor("1.234", "KWD"), Ok(1234));
    }

    #[test]
    fn exponents_are_shifted_not_multiplied() {
        assert_eq!(minor("1e2", "USD"), Ok(10_000));
        assert_eq!(minor("1.5E+3", "USD"), Ok(150_000));
        assert_eq!(minor("1999e-2", "USD"), Ok(1999));
        assert_eq!(minor("25E-2", "USD"), Ok(25));
        assert_eq!(minor("1.0e+14", "JPY"), Ok(100_000_000_000_000));
        assert!(minor("1.0e+16", "JPY")
            .unwrap_err()
            .contains("more than one amount"));
        assert_eq!(minor("-2.5e1", "USD"), Ok(-2500));
        assert!(minor("1e-3", "USD").unwrap_err().contains("more decimals"));
        assert!(minor("1e400", "USD")
            .unwrap_err()
            .contains("out of the range"));
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for text in ["\"19.99\"", "null", "true", "{}", "[1]"] {
            assert!(minor(text, "USD").is_err(), "{text}");
        }
        // Not JSON at all (serde_json refuses them first), nor plain decimals either.
        for text in ["1.", ".5", "1e", "1e+", "--1", "1e2.5", "0x10", ""] {
            assert!(plain_decimal(text).is_err(), "{text}");
        }
    }
}
