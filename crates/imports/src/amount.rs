//! Amounts as people, platforms and spreadsheets write them (`1,234.56`, `1.234,56`, `(12.00)`, `$5.00`,
//! `12.00-`, `27,76 EUR`), turned into the plain form `Money` parses, so that there is one exact conversion
//! to minor units. Thousands separators are checked where they stand: `12,50` is not read as 1250 when the
//! decimal mark is a point, it is an error, which is also how a wrong guess of the mark shows itself.

use tributary_model::{parse_minor, AmountError};

/// Which character separates the decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    /// `1,234.56`
    Point,
    /// `1.234,56`
    Comma,
}

impl DecimalMark {
    pub fn as_char(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }

    /// The mark the values of a column agree on: a comma followed by one or two digits at the end, or a
    /// comma after the last point, means a decimal comma; anything else (including no decimals at all)
    /// reads the same either way or with a point.
    pub fn detect<'a>(values: impl IntoIterator<Item = &'a str>) -> DecimalMark {
        for value in values {
            let core = value.trim().trim_end_matches(|c: char| !c.is_ascii_digit());
            let (comma, point) = (core.rfind(','), core.rfind('.'));
            match (comma, point) {
                (Some(c), Some(p)) if c > p => return DecimalMark::Comma,
                (Some(_), Some(_)) => return DecimalMark::Point,
                (Some(c), None) if (1..=2).contains(&(core.len() - c - 1)) => {
                    return DecimalMark::Comma
                }
                (None, Some(p)) if core.len() - p - 1 != 3 => return DecimalMark::Point,
                _ => {}
            }
        }
        DecimalMark::Point
    }
}

/// Minor units of `text` for a currency with `exponent` decimals, exactly.
pub fn parse_amount(text: &str, mark: DecimalMark, exponent: u8) -> Result<i64, AmountError> {
    let plain = plain_decimal(text, mark)?;
    parse_minor(&plain, exponent).map_err(|e| match e {
        // Name the value as the file wrote it, not its plain form.
        AmountError::TooManyDecimals { allowed, .. } => AmountError::TooManyDecimals {
            value: text.trim().to_string(),
            allowed,
        },
        AmountError::TooLarge { limit, .. } => AmountError::TooLarge {
            value: text.trim().to_string(),
            limit,
        },
        AmountError::NotANumber(_) => AmountError::NotANumber(text.trim().to_string()),
        AmountError::Empty => AmountError::Empty,
    })
}

/// Characters that group thousands besides the mark that is not the decimal one.
fn is_space_group(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’')
}

/// `text` as `-1234.56`: sign, digits, point, digits.
fn plain_decimal(text: &str, mark: DecimalMark) -> Result<String, AmountError> {
    let original = text.trim();
    if original.is_empty() {
        return Err(AmountError::Empty);
    }
    let not_a_number = || AmountError::NotANumber(original.to_string());
    let mut s = original;
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    // A currency symbol or code may stand on either side of the number, and the sign on either side of
    // that (`-$5.00`, `$-5.00`, `5.00 USD`, `USD -5.00`, `5.00-`).
    let is_label = |c: char| c.is_alphabetic() || is_currency_symbol(c);
    for _ in 0..2 {
        let before = s;
        s = s.trim_start_matches(is_label).trim_start();
        s = s.trim_end_matches(is_label).trim_end();
        if let Some(rest) = s.strip_prefix(['-', '−']) {
            if negative {
                return Err(not_a_number());
            }
            negative = true;
            s = rest.trim_start();
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_suffix(['-', '−']) {
            if negative {
                return Err(not_a_number());
            }
            negative = true;
            s = rest.trim_end();
        }
        if s == before {
            break;
        }
    }
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_digit() || c == mark.as_char()) {
        return Err(not_a_number());
    }
    let (whole, fraction) = match s.rfind(mark.as_char()) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_number());
    }
    let group = match mark {
        DecimalMark::Point => ',',
        DecimalMark::Comma => '.',
    };
    let groups: Vec<&str> = whole
        .split(|c: char| c == group || is_space_group(c))
        .collect();
    if groups
        .iter()
        .any(|g| !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(not_a_number());
    }
    if groups.len() > 1 {
        // The first group has 1 to 3 digits, the last exactly 3, those between 2 or 3 (Indian lakh
        // grouping writes 12,34,567.00).
        let last = groups.len() - 1;
        let fits = groups.iter().enumerate().all(|(i, g)| match i {
            0 => (1..=3).contains(&g.len()),
            i if i == last => g.len() == 3,
            _ => (2..=3).contains(&g.len()),
        });
        if !fits {
            return Err(not_a_number());
        }
    }
    let mut plain = String::with_capacity(s.len() + 1);
    if negative {
        plain.push('-');
    }
    for g in &groups {
        plain.push_str(g);
    }
    if plain.len() == usize::from(negative) {
        plain.push('0');
    }
    if !fraction.is_empty() {
        plain.push('.');
        plain.push_str(fraction);
    }
    Ok(plain)
}

fn is_currency_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '€'
            | '£'
            | '¥'
            | '₹'
            | '₩'
            | '₽'
            | '₺'
            | '₪'
            | '₫'
            | '฿'
            | '₱'
            | '₦'
            | '₴'
            | '₡'
            | '¢'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::{Comma, Point};

    fn cents(text: &str, mark: DecimalMark) -> Result<i64, AmountError> {
        parse_amount(text, mark, 2)
    }

    #[test]
    fn the_written_forms_of_one_amount_agree() {
        for (text, mark) in [
            ("1234.56", Point),
            ("1,234.56", Point),
            ("$1,234.56", Point),
            ("1 234,56 €", Comma),
            ("1.234,56", Comma),
            ("1\u{a0}234,56", Comma),
            ("1'234.56", Point),
            ("USD 1,234.56", Point),
            ("1234,56 EUR", Comma),
        ] {
            assert_eq!(cents(text, mark), Ok(123_456), "{text}");
        }
    }

    #[test]
    fn negatives_in_every_spelling() {
        for text in [
            "-12.00",
            "(12.00)",
            "12.00-",
            "-$12.00",
            "$-12.00",
            "($12.00)",
            "−12",
            "USD -12.00",
        ] {
            assert_eq!(cents(text, Point), Ok(-1200), "{text}");
        }
    }

    #[test]
    fn misplaced_separators_are_errors_not_guesses() {
        for text in [
            "12,50",
            "1,23.00",
            "1,2345.00",
            "1.234,56",
            "--5",
            "(-5)",
            "12..5",
            "1 2 3",
            "abc",
            "5 apples 3",
        ] {
            assert!(
                cents(text, Point).is_err(),
                "{text} should not read with a decimal point"
            );
        }
        assert_eq!(cents("12,34,567.00", Point), Ok(123_456_700));
        assert!(matches!(cents("", Point), Err(AmountError::Empty)));
        assert!(matches!(
            cents("1.234", Point),
            Err(AmountError::TooManyDecimals { .. })
        ));
    }

    #[test]
    fn exponents_decide_the_minor_units() {
        assert_eq!(parse_amount("¥1,200", Point, 0), Ok(1200));
        assert_eq!(parse_amount("1.250", Point, 3), Ok(1250));
        assert_eq!(parse_amount("27,76", Comma, 2), Ok(2776));
        assert_eq!(parse_amount("1200.00", Point, 0), Ok(1200));
        assert!(parse_amount("1200.5", Point, 0).is_err());
        assert_eq!(parse_amount(".5", Point, 2), Ok(50));
    }

    #[test]
    fn the_decimal_mark_is_read_off_a_column() {
        assert_eq!(DecimalMark::detect(["1.234", "27,76"]), Comma);
        assert_eq!(DecimalMark::detect(["1,234", "3.5"]), Point);
        assert_eq!(DecimalMark::detect(["1.234,56 €"]), Comma);
        assert_eq!(DecimalMark::detect(["1,234.56"]), Point);
        assert_eq!(DecimalMark::detect(["12", "(3,5)"]), Comma);
        assert_eq!(DecimalMark::detect(["12", "7"]), Point);
    }
}
