//! Money as one type (integer minor units with their currency), and the exact conversion between decimal
//! text in major units (`49.99`, `-99.00`, `1200`) and integer minor
//! units, using the currency's exponent. Never goes through a float: a value with more decimals than the
//! currency allows is an error, not a rounding.

use crate::Currency;
use std::fmt::{self, Write};

/// An exact amount: integer minor units of one ISO currency. Never a float; never mixes currencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} with {1}: amounts in different currencies are never added")]
    CurrencyMismatch(Currency, Currency),
    #[error("the sum is too large to store")]
    Overflow,
}

impl Money {
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Parses plain decimal text in major units (`49.99`, `-1200`) for this currency, exactly.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, AmountError> {
        parse_minor(text, currency.exponent()).map(|minor| Money { minor, currency })
    }

    pub fn minor(self) -> i64 {
        self.minor
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Plain decimal text in major units with the currency's decimals, without the code (`49.99`).
    pub fn amount_text(self) -> String {
        format_minor(self.minor, self.currency.exponent())
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor,
            currency: self.currency,
        })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        let negated = other.minor.checked_neg().ok_or(MoneyError::Overflow)?;
        self.checked_add(Money {
            minor: negated,
            currency: other.currency,
        })
    }
}

impl fmt::Display for Money {
    /// `49.99 USD`, `1200 JPY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_text(), self.currency)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("'{0}' is not a decimal number")]
    NotANumber(String),
    #[error("'{value}' has more decimals than the currency allows ({allowed})")]
    TooManyDecimals { value: String, allowed: u8 },
    #[error("'{value}' is more than one amount may be (at most {limit} either way)")]
    TooLarge { value: String, limit: String },
}

/// Parses a plain decimal (optional sign, digits, optional `.` and fraction) into minor units.
///
/// Locale forms (`1,234.56`, `1.234,56`, `(12.00)`) are the importers' business: they normalize to this
/// plain form first, so that there is one exact conversion.
pub fn parse_minor(text: &str, exponent: u8) -> Result<i64, AmountError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    let not_a_number = || AmountError::NotANumber(s.to_string());
    let (negative, digits) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(not_a_number());
    }
    // Trailing zeros beyond the exponent carry no value (`1.500` USD is 150 cents).
    let significant = fraction.trim_end_matches('0');
    if significant.len() > usize::from(exponent) {
        return Err(AmountError::TooManyDecimals {
            value: s.to_string(),
            allowed: exponent,
        });
    }
    let too_large = || AmountError::TooLarge {
        value: s.to_string(),
        limit: format_minor(crate::MAX_ROW_MINOR, exponent),
    };
    let mut minor: i64 = 0;
    for b in whole
        .bytes()
        .chain(significant.bytes())
        .chain(std::iter::repeat_n(
            b'0',
            usize::from(exponent) - significant.len(),
        ))
    {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    if minor > crate::MAX_ROW_MINOR {
        return Err(too_large());
    }
    Ok(if negative { -minor } else { minor })
}

/// Formats minor units as plain decimal text with exactly `exponent` decimals (`-99.00`, `1200`, `1.250`).
pub fn format_minor(minor: i64, exponent: u8) -> String {
    let mut out = String::with_capacity(24);
    if minor < 0 {
        out.push('-');
    }
    let magnitude = minor.unsigned_abs();
    if exponent == 0 {
        let _ = write!(out, "{magnitude}");
        return out;
    }
    let scale = 10u64.pow(u32::from(exponent));
    let _ = write!(
        out,
        "{}.{:0width$}",
        magnitude / scale,
        magnitude % scale,
        width = usize::from(exponent)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_by_exponent() {
        assert_eq!(parse_minor("49.99", 2), Ok(4999));
        assert_eq!(parse_minor("-99.00", 2), Ok(-9900));
        assert_eq!(parse_minor("1200", 0), Ok(1200));
        assert_eq!(parse_minor("1.234", 3), Ok(1234));
        assert_eq!(parse_minor("0.5", 2), Ok(50));
        assert_eq!(parse_minor(".5", 2), Ok(50));
        assert_eq!(parse_minor("5.", 2), Ok(500));
        assert_eq!(parse_minor("+7", 2), Ok(700));
        assert_eq!(parse_minor("-0.01", 2), Ok(-1));
        assert_eq!(parse_minor(" 12.30 ", 2), Ok(1230));
        assert_eq!(parse_minor("1.500", 2), Ok(150));
        assert_eq!(parse_minor("1200.0", 0), Ok(1200));
    }

    #[test]
    fn too_many_decimals_is_an_error_not_a_rounding() {
        assert_eq!(
            parse_minor("49.999", 2),
            Err(AmountError::TooManyDecimals {
                value: "49.999".into(),
                allowed: 2
            })
        );
        assert!(matches!(
            parse_minor("1200.5", 0),
            Err(AmountError::TooManyDecimals { allowed: 0, .. })
        ));
        assert!(matches!(
            parse_minor("0.0001", 3),
            Err(AmountError::TooManyDecimals { .. })
        ));
    }

    #[test]
    fn garbage_is_rejected() {
        for bad in [
            "abc", "1,000.00", "1.2.3", "--1", "-", ".", "1e5", "$5", "5 USD", "NaN", "inf", "١٢",
        ] {
            assert!(
                matches!(parse_minor(bad, 2), Err(AmountError::NotANumber(_))),
                "{bad} should not parse"
            );
        }
        assert_eq!(parse_minor("", 2), Err(AmountError::Empty));
        assert_eq!(parse_minor("   ", 2), Err(AmountError::Empty));
    }

    #[test]
    fn amounts_past_the_row_bound_are_an_error() {
        assert!(matches!(
            parse_minor("92233720368547758.08", 2),
            Err(AmountError::TooLarge { .. })
        ));
        // An i64 holds it, but sums of such rows would not.
        assert_eq!(
            parse_minor("92233720368547758.07", 2),
            Err(AmountError::TooLarge {
                value: "92233720368547758.07".into(),
                limit: "10000000000000.00".into()
            })
        );
        assert_eq!(
            parse_minor("-10000000000000.00", 2),
            Ok(-crate::MAX_ROW_MINOR)
        );
        assert!(matches!(
            parse_minor("10000000000000.01", 2),
            Err(AmountError::TooLarge { .. })
        ));
        assert!(matches!(
            parse_minor("99999999999999999999999", 0),
            Err(AmountError::TooLarge { .. })
        ));
        assert_eq!(
            AmountError::TooLarge {
                value: "5e16".into(),
                limit: "1".into()
            }
            .to_string(),
            "'5e16' is more than one amount may be (at most 1 either way)"
        );
    }

    #[test]
    fn formats_by_exponent() {
        assert_eq!(format_minor(4999, 2), "49.99");
        assert_eq!(format_minor(-9900, 2), "-99.00");
        assert_eq!(format_minor(-1, 2), "-0.01");
        assert_eq!(format_minor(1200, 0), "1200");
        assert_eq!(format_minor(1250, 3), "1.250");
        assert_eq!(format_minor(0, 2), "0.00");
        assert_eq!(format_minor(i64::MIN, 2), "-92233720368547758.08");
    }

    #[test]
    fn money_keeps_its_currency_and_never_mixes() {
        let usd = Currency::from_code("USD").unwrap();
        let jpy = Currency::from_code("JPY").unwrap();
        let a = Money::parse("49.99", usd).unwrap();
        let b = Money::parse("-10.00", usd).unwrap();
        assert_eq!(a.checked_add(b).unwrap(), Money::from_minor(3999, usd));
        assert_eq!(a.checked_sub(b).unwrap().to_string(), "59.99 USD");
        assert_eq!(Money::parse("1200", jpy).unwrap().to_string(), "1200 JPY");
        assert_eq!(
            a.checked_add(Money::from_minor(1, jpy)),
            Err(MoneyError::CurrencyMismatch(usd, jpy))
        );
        assert_eq!(
            Money::from_minor(i64::MAX, usd).checked_add(Money::from_minor(1, usd)),
            Err(MoneyError::Overflow)
        );
        assert!(Money::parse("1.001", usd).is_err());
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(minor in -crate::MAX_ROW_MINOR..=crate::MAX_ROW_MINOR, exponent in 0u8..=4) {
            prop_assert_eq!(parse_minor(&format_minor(minor, exponent), exponent), Ok(minor));
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,40}", exponent in 0u8..=4) {
            let _ = parse_minor(&text, exponent);
        }
    }
}
