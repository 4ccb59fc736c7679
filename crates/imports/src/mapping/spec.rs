//! A column mapping as written in TOML: which columns of a CSV hold the date, amounts, currency, id,
//! product, quantity and kind, and the rules of a platform's export (rows to skip, refunds and disputes
//! recorded on the sale row). Users write one for an unknown CSV (`--map mapping.toml`); the presets for
//! platform exports (`presets/*.toml`) are the same thing, so an export whose header changes is fixed
//! by editing data, not code. `docs/formats/mapping.md` describes every key.

use crate::amount::DecimalMark;
use crate::dates::DateOrder;
use serde::Deserialize;

/// Column names that may hold one value: the first present in the header is used (exports rename
/// columns between versions). Written as one string or a list.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Any(Vec<String>),
}

impl Names {
    pub fn all(&self) -> &[String] {
        match self {
            Names::One(name) => std::slice::from_ref(name),
            Names::Any(names) => names,
        }
    }

    /// The first name, as errors show it.
    pub fn first(&self) -> &str {
        self.all().first().map_or("", String::as_str)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Short name: how `--format` and `tributary formats` call it, and what batches record.
    pub name: String,
    /// What the file is, for people.
    #[serde(default)]
    pub title: String,
    /// The ledger's platform slug for every row (`stripe`, `gumroad`, `etsy`, …).
    pub platform: String,
    #[serde(default = "main_account")]
    pub account: String,
    /// Columns that must all be in the header for this mapping to be picked automatically.
    #[serde(default)]
    pub detect: Vec<Names>,
    pub date: DateRule,
    pub id: IdRule,
    pub currency: CurrencyRule,
    /// The amount charged (major units). May be left out when `net` is given: gross is then net + fees
    /// (ledger-style exports fill only the balance change on every row, payouts included).
    pub gross: Option<Names>,
    /// Fee columns, summed (a fee and the tax on it, say). Positive when charged.
    #[serde(default)]
    pub fees: Vec<Names>,
    /// The net amount; gross − fees when absent.
    pub net: Option<Names>,
    /// Amounts are written in minor units (`1199` for 11.99 USD), as API dumps write them; a value with
    /// decimals is then a row error, since it means the file is not what the mapping says.
    #[serde(default)]
    pub minor_units: bool,
    pub product_id: Option<Names>,
    pub product_name: Option<Names>,
    /// Units; 1 when absent.
    pub quantity: Option<Names>,
    pub buyer_email: Option<Names>,
    /// ISO 3166-1 alpha-2 country; other values are kept out (not errors).
    pub country: Option<Names>,
    /// How amounts are written; read off the file when absent.
    pub decimal_mark: Option<DecimalMark>,
    pub kind: Option<KindRule>,
    /// Rows to leave out (a totals row, failed payments).
    #[serde(default)]
    pub skip: Vec<Condition>,
    /// A refund recorded on the sale row.
    pub refund: Option<RefundRule>,
    /// A dispute (chargeback) recorded on the sale row.
    pub dispute: Option<DisputeRule>,
}

fn main_account() -> String {
    "main".into()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRule {
    pub column: Names,
    /// How dates are written; read off the file when absent (an ambiguous file is then an error).
    pub order: Option<DateOrder>,
    /// Offset of times written without one, like `+01:00`; UTC when absent.
    pub utc_offset: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdRule {
    /// The column holding the platform's id for the row.
    pub column: Option<Names>,
    /// Or, for files without ids: columns whose values together name the row. Two rows with the same
    /// values are then the same event.
    #[serde(default)]
    pub derive: Vec<Names>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencyRule {
    /// The column holding an ISO 4217 code per row.
    pub column: Option<Names>,
    /// Or the one currency of the whole file.
    pub fixed: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRule {
    pub column: Option<Names>,
    /// The kind of rows whose value is not listed (or of every row without a column).
    pub default: Option<String>,
    /// Value in the file → kind (values compared trimmed, ignoring case).
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, String>,
    /// Values whose rows are left out.
    #[serde(default)]
    pub skip: Vec<String>,
    /// The kind of rows whose amount is negative (a refund, in files that write refunds as negative
    /// sales), unless their value is listed in `values`.
    pub negative: Option<String>,
}

/// A column's value is (ignoring case) one of `equals`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub column: Names,
    pub equals: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundRule {
    /// Amount refunded so far (positive, cumulative), e.g. Stripe's `Amount Refunded`.
    pub amount: Option<Names>,
    /// Or: the whole sale is refunded when this holds (Gumroad's `Fully Refunded?`); with `amount`, only
    /// on rows whose amount is empty or zero…
    pub full_when: Option<Condition>,
    /// …and this column holds a partial refund's amount.
    pub partial: Option<Names>,
    /// When the refund happened; the sale's date when absent or empty.
    pub date: Option<Names>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputeRule {
    /// Amount disputed (positive), e.g. Stripe's `Disputed Amount`.
    pub amount: Option<Names>,
    /// Or: the whole sale is disputed when this holds (Gumroad's `Disputed?`).
    pub when: Option<Condition>,
    /// A dispute the seller won takes nothing away.
    pub won_when: Option<Condition>,
    pub date: Option<Names>,
}

impl Mapping {
    /// Whether every detecting column of this mapping is in `header`.
    pub fn detects(&self, header: &[String]) -> bool {
        !self.detect.is_empty()
            && self.detect.iter().all(|names| {
                names.all().iter().any(|n| {
                    header
                        .iter()
                        .any(|h| h.trim().eq_ignore_ascii_case(n.trim()))
                })
            })
    }

    /// Parses a mapping file's text; `source` names it in errors.
    /// The mapping in `text`, checked; an error is one line saying where in the text and what is wrong
    /// (the caller names the file).
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let mapping: Mapping = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        mapping.check()?;
        Ok(mapping)
    }

    /// Rules serde cannot express.
    fn check(&self) -> Result<(), String> {
        if self.platform.is_empty()
            || !self
                .platform
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(format!(
                "platform '{}' is not a slug (lowercase letters, digits, _ and -)",
                self.platform
            ));
        }
        if self.gross.is_none() && self.net.is_none() {
            return Err("gross is missing: give gross, or net (gross is then net + fees)".into());
        }
        match (&self.id.column, self.id.derive.is_empty()) {
            (Some(_), false) => return Err("[id] has both column and derive: give one".into()),
            (None, true) => return Err("[id] needs column or derive".into()),
            _ => {}
        }
        match (&self.currency.column, &self.currency.fixed) {
            (Some(_), Some(_)) => {
                return Err("[currency] has both column and fixed: give one".into())
            }
            (None, None) => return Err("[currency] needs column or fixed".into()),
            (None, Some(code)) => {
                tributary_model::Currency::from_code(code)
                    .map_err(|e| format!("[currency] {e}"))?;
            }
            _ => {}
        }
        if let Some(offset) = &self.date.utc_offset {
            crate::mapping::columns::parse_offset(offset)
                .ok_or_else(|| format!("[date] utc_offset '{offset}' is not like +01:00"))?;
        }
        if let Some(refund) = &self.refund {
            if refund.amount.is_none() && refund.full_when.is_none() && refund.partial.is_none() {
                return Err("[refund] needs amount, or full_when and/or partial".into());
            }
        }
        if let Some(dispute) = &self.dispute {
            if dispute.amount.is_none() && dispute.when.is_none() {
                return Err("[dispute] needs amount or when".into());
            }
        }
        Ok(())
    }
}

/// A TOML error in one line: where (line and column) and what, without the excerpt toml draws.
fn toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}
