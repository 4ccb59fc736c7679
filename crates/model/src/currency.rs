//! ISO 4217 currencies with their minor-unit exponent (JPY 0, USD 2, KWD 3), looked up in the
//! `iso_currency` tables rather than a list of our own.

use std::fmt;

/// An ISO 4217 currency that has a minor unit. Small and `Copy`, so it can sit in every row.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    #[error("'{0}' is not an ISO 4217 currency code")]
    Unknown(String),
    #[error("{0} has no minor unit (it is not a money currency)")]
    NoMinorUnit(String),
}

impl Currency {
    /// Parses a three-letter code in any case (`usd`, `USD`), as platforms disagree on casing.
    pub fn from_code(code: &str) -> Result<Currency, CurrencyError> {
        let upper = code.trim().to_ascii_uppercase();
        let iso = iso_currency::Currency::from_code(&upper)
            .ok_or_else(|| CurrencyError::Unknown(code.trim().to_string()))?;
        let exponent = iso
            .exponent()
            .and_then(|e| u8::try_from(e).ok())
            .ok_or_else(|| CurrencyError::NoMinorUnit(upper.clone()))?;
        let bytes = upper.as_bytes();
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            exponent,
        })
    }

    /// Every ISO 4217 currency with a minor unit, for a front end that must format amounts exactly as
    /// the ledger stores them (its own tables disagree on a few: HUF and IDR have 2 digits in ISO
    /// 4217, 0 in browsers' Intl data).
    pub fn all() -> impl Iterator<Item = Currency> {
        use iso_currency::IntoEnumIterator;
        iso_currency::Currency::iter().filter_map(|c| Currency::from_code(c.code()).ok())
    }

    /// The upper-case ISO code.
    pub fn code(&self) -> &str {
        // The bytes came from a validated ASCII ISO code.
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Digits after the decimal point in the major unit: 0 for JPY, 2 for USD, 3 for KWD.
    pub fn exponent(&self) -> u8 {
        self.exponent
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_the_money_currencies_with_their_exponents() {
        let all: Vec<Currency> = Currency::all().collect();
        assert!(all.len() > 150, "{}", all.len());
        let find = |code: &str| {
            all.iter()
                .find(|c| c.code() == code)
                .map(Currency::exponent)
        };
        assert_eq!(find("HUF"), Some(2));
        assert_eq!(find("JPY"), Some(0));
        assert_eq!(find("KWD"), Some(3));
        assert_eq!(find("XAU"), None, "gold has no minor unit");
    }

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(Currency::from_code("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::from_code("usd").unwrap().exponent(), 2);
        assert_eq!(Currency::from_code("KWD").unwrap().exponent(), 3);
        assert_eq!(Currency::from_code(" eur ").unwrap().code(), "EUR");
    }

    #[test]
    fn rejects_unknown_and_unitless_codes() {
        assert_eq!(
            Currency::from_code("ABC"),
            Err(CurrencyError::Unknown("ABC".into()))
        );
        assert!(matches!(
            Currency::from_code("XAU"),
            Err(CurrencyError::NoMinorUnit(_))
        ));
        assert!(Currency::from_code("").is_err());
        assert!(Currency::from_code("US").is_err());
        assert!(Currency::from_code("€").is_err());
    }
}
