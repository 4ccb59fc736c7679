//! A mapping applied to one file's header: each named column found (by trimmed, case-insensitive name,
//! first alias present), kinds and conditions parsed, so that reading a row is indexing, not searching.
//! A mapping whose required columns are missing fails here, naming them.

use super::spec::{Condition, Mapping, Names};
use crate::FileError;
use chrono::FixedOffset;
use std::collections::BTreeMap;
use tributary_model::{Currency, EventKind};

/// A condition on one column, ready to test.
#[derive(Clone, Debug)]
pub(crate) struct Test {
    pub column: usize,
    /// Lower-cased, trimmed.
    pub equals: Vec<String>,
}

impl Test {
    pub fn holds(&self, field: &str) -> bool {
        let value = field.trim();
        self.equals.iter().any(|e| e.eq_ignore_ascii_case(value))
    }
}

#[derive(Clone, Debug)]
pub(crate) enum IdSource {
    Column(usize),
    Derived(Vec<usize>),
}

#[derive(Clone, Debug)]
pub(crate) enum CurrencySource {
    Column(usize),
    Fixed(Currency),
}

#[derive(Clone, Debug)]
pub(crate) struct KindColumn {
    pub column: Option<usize>,
    pub default: EventKind,
    /// Lower-cased value → kind.
    pub values: BTreeMap<String, EventKind>,
    pub skip: Vec<String>,
    /// The kind of a row with a negative amount whose value is not listed.
    pub negative: Option<EventKind>,
}

#[derive(Clone, Debug)]
pub(crate) struct RefundColumns {
    pub amount: Option<usize>,
    pub full_when: Option<Test>,
    pub partial: Option<usize>,
    pub date: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct DisputeColumns {
    pub amount: Option<usize>,
    pub when: Option<Test>,
    pub won_when: Option<Test>,
    pub date: Option<usize>,
}

/// Where a row's gross and net come from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Amounts {
    /// Gross from its column; net from its column where given and filled, else gross − fees.
    Gross { gross: usize, net: Option<usize> },
    /// The mapping gives net and no gross: gross is net + fees.
    Net(usize),
}

impl Amounts {
    /// The columns holding gross or net.
    pub fn columns(self) -> impl Iterator<Item = usize> {
        let (first, second) = match self {
            Amounts::Gross { gross, net } => (gross, net),
            Amounts::Net(net) => (net, None),
        };
        std::iter::once(first).chain(second)
    }
}

/// Where each mapped value is in this file's rows.
#[derive(Clone, Debug)]
pub(crate) struct Columns {
    pub width: usize,
    pub names: Vec<String>,
    pub date: usize,
    pub utc_offset: FixedOffset,
    pub id: IdSource,
    pub currency: CurrencySource,
    pub amounts: Amounts,
    pub fees: Vec<usize>,
    /// Amounts are whole minor units.
    pub minor_units: bool,
    pub product_id: Option<usize>,
    pub product_name: Option<usize>,
    pub quantity: Option<usize>,
    pub buyer_email: Option<usize>,
    pub country: Option<usize>,
    pub kind: KindColumn,
    pub skip: Vec<Test>,
    pub refund: Option<RefundColumns>,
    pub dispute: Option<DisputeColumns>,
}

/// `+01:00`, `-0500`, `Z` or `UTC` as an offset.
pub(crate) fn parse_offset(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let sign = match t.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = t[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn kind_named(text: &str, place: &str) -> Result<EventKind, FileError> {
    text.parse::<EventKind>()
        .map_err(|e| FileError::Mapping(format!("{place}: {e}")))
}

impl Columns {
    /// Finds the mapping's columns in `header`.
    pub fn resolve(mapping: &Mapping, header: &[String]) -> Result<Columns, FileError> {
        let find = |names: &Names| -> Option<usize> {
            names.all().iter().find_map(|n| {
                header
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(n.trim()))
            })
        };
        let mut missing: Vec<String> = Vec::new();
        let mut required = |names: &Names| -> usize {
            find(names).unwrap_or_else(|| {
                missing.push(names.first().to_string());
                usize::MAX
            })
        };
        let date = required(&mapping.date.column);
        // `Mapping::check` saw to it that one of the two is given.
        let amounts = match (&mapping.gross, &mapping.net) {
            (Some(gross), net) => Amounts::Gross {
                gross: required(gross),
                net: net.as_ref().and_then(find),
            },
            (None, Some(net)) => Amounts::Net(required(net)),
            (None, None) => return Err(FileError::Mapping("gross is missing".into())),
        };
        let id = match &mapping.id.column {
            Some(names) => IdSource::Column(required(names)),
            None => IdSource::Derived(mapping.id.derive.iter().map(&mut required).collect()),
        };
        let currency = match (&mapping.currency.column, &mapping.currency.fixed) {
            (Some(names), _) => CurrencySource::Column(required(names)),
            (None, Some(code)) => CurrencySource::Fixed(
                Currency::from_code(code).map_err(|e| FileError::Mapping(e.to_string()))?,
            ),
            (None, None) => return Err(FileError::Mapping("[currency] is missing".into())),
        };
        // A condition on a column the file does not have never holds: exports let the user choose
        // their columns (Stripe's dialog), and a file without "Dispute Status" has no won disputes.
        let test = |c: &Condition| {
            find(&c.column).map(|column| Test {
                column,
                equals: c.equals.iter().map(|e| e.trim().to_lowercase()).collect(),
            })
        };
        let skip: Vec<Test> = mapping.skip.iter().filter_map(test).collect();
        let refund_full = mapping
            .refund
            .as_ref()
            .and_then(|r| r.full_when.as_ref())
            .and_then(test);
        let dispute_when = mapping
            .dispute
            .as_ref()
            .and_then(|d| d.when.as_ref())
            .and_then(test);
        let dispute_won = mapping
            .dispute
            .as_ref()
            .and_then(|d| d.won_when.as_ref())
            .and_then(test);
        let fees = mapping.fees.iter().filter_map(find).collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                format: mapping.name.clone(),
                missing: missing.join(", "),
            });
        }
        let optional = |names: &Option<Names>| names.as_ref().and_then(find);
        let kind = match &mapping.kind {
            None => KindColumn {
                column: None,
                default: EventKind::Sale,
                values: BTreeMap::new(),
                skip: Vec::new(),
                negative: None,
            },
            Some(rule) => KindColumn {
                column: optional(&rule.column),
                default: match &rule.default {
                    Some(k) => kind_named(k, "[kind] default")?,
                    None => EventKind::Sale,
                },
                values: rule
                    .values
                    .iter()
                    .map(|(value, kind)| {
                        Ok((
                            value.trim().to_lowercase(),
                            kind_named(kind, &format!("[kind] value '{value}'"))?,
                        ))
                    })
                    .collect::<Result<_, FileError>>()?,
                skip: rule.skip.iter().map(|s| s.trim().to_lowercase()).collect(),
                negative: rule
                    .negative
                    .as_deref()
                    .map(|k| kind_named(k, "[kind] negative"))
                    .transpose()?,
            },
        };
        Ok(Columns {
            width: header.len(),
            names: header.iter().map(|h| h.trim().to_string()).collect(),
            date,
            utc_offset: match &mapping.date.utc_offset {
                Some(text) => parse_offset(text).ok_or_else(|| {
                    FileError::Mapping(format!("[date] utc_offset '{text}' is not like +01:00"))
                })?,
                None => FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()),
            },
            id,
            currency,
            amounts,
            fees,
            minor_units: mapping.minor_units,
            product_id: optional(&mapping.product_id),
            product_name: optional(&mapping.product_name),
            quantity: optional(&mapping.quantity),
            buyer_email: optional(&mapping.buyer_email),
            country: optional(&mapping.country),
            kind,
            skip,
            refund: mapping.refund.as_ref().map(|r| RefundColumns {
                amount: optional(&r.amount),
                full_when: refund_full,
                partial: optional(&r.partial),
                date: optional(&r.date),
            }),
            dispute: mapping.dispute.as_ref().map(|d| DisputeColumns {
                amount: optional(&d.amount),
                when: dispute_when,
                won_when: dispute_won,
                date: optional(&d.date),
            }),
        })
    }
}
