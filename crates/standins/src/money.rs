//! Currencies the stand-ins show and how amounts are written. Gumroad: `price` and `gumroad_fee` are
//! USD cents whatever the product's currency; the display currency only shows in `currency`, the
//! symbol, the formatted prices and `amount_refundable_in_currency`, which Gumroad writes with the
//! Money gem (`no_cents_if_whole`, English separators: `"10"`, `"9.20"`, `"4,500"`). Lemon Squeezy:
//! amounts in the order currency's minor units, formatted with their cents (`"$11.99"`).

/// A display currency: its code (lowercase, as the API writes it), symbol, decimals, and the rate
/// used to make up display prices (display minor units per 100 USD cents).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Currency {
    pub code: &'static str,
    pub symbol: &'static str,
    pub exponent: u32,
    pub per_100_usd_cents: i64,
}

const CURRENCIES: [Currency; 6] = [
    Currency {
        code: "usd",
        symbol: "$",
        exponent: 2,
        per_100_usd_cents: 100,
    },
    Currency {
        code: "eur",
        symbol: "€",
        exponent: 2,
        per_100_usd_cents: 92,
    },
    Currency {
        code: "gbp",
        symbol: "£",
        exponent: 2,
        per_100_usd_cents: 79,
    },
    Currency {
        code: "jpy",
        symbol: "¥",
        exponent: 0,
        per_100_usd_cents: 150,
    },
    Currency {
        code: "cad",
        symbol: "CA$",
        exponent: 2,
        per_100_usd_cents: 137,
    },
    Currency {
        code: "aud",
        symbol: "A$",
        exponent: 2,
        per_100_usd_cents: 152,
    },
];

/// The currency with this code (any case); unknown codes get two decimals and a USD rate.
pub(crate) fn currency(code: &str) -> Currency {
    CURRENCIES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
        .copied()
        .unwrap_or(Currency {
            code: "",
            symbol: "",
            exponent: 2,
            per_100_usd_cents: 100,
        })
}

pub(crate) fn is_known(code: &str) -> bool {
    CURRENCIES.iter().any(|c| c.code.eq_ignore_ascii_case(code))
}

/// USD cents to display minor units at the currency's made-up rate, rounded half up.
pub(crate) fn usd_to_display(usd_cents: i64, currency: &Currency) -> i64 {
    mul_div_round(usd_cents, currency.per_100_usd_cents, 100)
}

/// `a * b / c` rounded half away from zero, in 128 bits (no overflow for any i64 inputs, c > 0).
pub(crate) fn mul_div_round(a: i64, b: i64, c: i64) -> i64 {
    if c == 0 {
        return 0;
    }
    let (n, c) = (i128::from(a) * i128::from(b), i128::from(c));
    let q = (2 * n.abs() + c.abs()) / (2 * c.abs());
    let q = if (n < 0) != (c < 0) { -q } else { q };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

/// `1050` in a 2-decimal currency → `"10.50"`; `1000` → `"10"`; `450000` yen → `"450,000"`.
pub(crate) fn format_amount(minor: i64, exponent: u32, thousands: bool) -> String {
    format_minor(minor, exponent, thousands, false)
}

/// Always with the decimals: `1000` → `"10.00"`, `123456` → `"1,234.56"`, yen `1500` → `"1,500"`.
pub(crate) fn format_with_cents(minor: i64, exponent: u32) -> String {
    format_minor(minor, exponent, true, true)
}

fn format_minor(minor: i64, exponent: u32, thousands: bool, keep_cents: bool) -> String {
    let scale = 10i64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let (units, cents) = (
        minor.unsigned_abs() / scale as u64,
        minor.unsigned_abs() % scale as u64,
    );
    let mut whole = units.to_string();
    if thousands {
        let digits: Vec<char> = whole.chars().collect();
        whole = digits
            .iter()
            .enumerate()
            .fold(String::new(), |mut s, (i, d)| {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    s.push(',');
                }
                s.push(*d);
                s
            });
    }
    if exponent == 0 || (cents == 0 && !keep_cents) {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{cents:0width$}", width = exponent as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_as_gumroad_does() {
        assert_eq!(format_amount(1000, 2, true), "10");
        assert_eq!(format_amount(1050, 2, true), "10.50");
        assert_eq!(format_amount(1005, 2, true), "10.05");
        assert_eq!(format_amount(123_456_789, 2, true), "1,234,567.89");
        assert_eq!(format_amount(450_000, 0, true), "450,000");
        assert_eq!(format_amount(450_000, 0, false), "450000");
        assert_eq!(format_amount(0, 2, true), "0");
        assert_eq!(format_with_cents(1000, 2), "10.00");
        assert_eq!(format_with_cents(123_456, 2), "1,234.56");
        assert_eq!(format_with_cents(1500, 0), "1,500");
    }

    #[test]
    fn conversions_round_half_up() {
        assert_eq!(usd_to_display(1000, &currency("jpy")), 1500);
        assert_eq!(usd_to_display(1050, &currency("EUR")), 966);
        assert_eq!(mul_div_round(5, 1, 2), 3);
        assert_eq!(mul_div_round(-5, 1, 2), -3);
        assert!(!is_known("xyz"));
    }
}
