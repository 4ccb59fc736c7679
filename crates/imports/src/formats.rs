//! The formats Tributary reads, and which one a file is. Ledger CSV is known by its header; platform
//! exports by their presets' `detect` columns (`presets/*.toml`, built in); anything else needs a mapping.

use crate::kdp;
use crate::ledger_csv;
use crate::mapping::{peek, Mapping};
use crate::FileError;
use std::io::{BufRead, Read};

/// The built-in presets, as (file name, text).
const PRESETS: [(&str, &str); 4] = [
    (
        "stripe-payments.toml",
        include_str!("../presets/stripe-payments.toml"),
    ),
    (
        "gumroad-sales.toml",
        include_str!("../presets/gumroad-sales.toml"),
    ),
    (
        "lemonsqueezy-orders.toml",
        include_str!("../presets/lemonsqueezy-orders.toml"),
    ),
    (
        "whatnot-financial.toml",
        include_str!("../presets/whatnot-financial.toml"),
    ),
];

/// A format a file can be read as.
#[derive(Clone, Debug)]
pub enum Format {
    LedgerCsv,
    /// A KDP Dashboard or Prior Months' Royalties workbook (xlsx, xls).
    KdpWorkbook,
    /// A KDP report sheet saved as CSV.
    KdpCsv,
    Mapped(Box<Mapping>),
}

impl Format {
    pub fn name(&self) -> &str {
        match self {
            Format::LedgerCsv => ledger_csv::FORMAT,
            Format::KdpWorkbook => kdp::WORKBOOK_FORMAT,
            Format::KdpCsv => kdp::CSV_FORMAT,
            Format::Mapped(mapping) => &mapping.name,
        }
    }
}

/// A line of `tributary formats`.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormatInfo {
    pub name: String,
    pub title: String,
    pub platform: Option<String>,
}

/// The built-in mappings of platform exports.
pub fn presets() -> Vec<Mapping> {
    PRESETS
        .iter()
        .map(|(file, text)| {
            Mapping::from_toml(text)
                // Built-in text checked by tests: a failure here is a bug in this build, not user input.
                .unwrap_or_else(|e| panic!("built-in preset {file}: {e}"))
        })
        .collect()
}

/// Every format, for `tributary formats`.
pub fn list() -> Vec<FormatInfo> {
    let mut all = vec![
        FormatInfo {
            name: ledger_csv::FORMAT.into(),
            title: "Tributary ledger CSV (what `tributary export` writes)".into(),
            platform: None,
        },
        FormatInfo {
            name: kdp::WORKBOOK_FORMAT.into(),
            title: "KDP Dashboard or Prior Months' Royalties workbook (.xlsx, .xls; English, Spanish, Japanese)".into(),
            platform: Some("kdp".into()),
        },
        FormatInfo {
            name: kdp::CSV_FORMAT.into(),
            title: "A KDP report sheet saved as CSV".into(),
            platform: Some("kdp".into()),
        },
    ];
    all.extend(presets().into_iter().map(FormatInfo::from));
    all
}

/// A mapping (built in or saved) as a line of the format list.
impl From<Mapping> for FormatInfo {
    fn from(mapping: Mapping) -> FormatInfo {
        FormatInfo {
            name: mapping.name,
            title: mapping.title,
            platform: Some(mapping.platform),
        }
    }
}

/// The format named `name` (as `--format` gives it).
pub fn by_name(name: &str) -> Result<Format, FileError> {
    let own = [Format::LedgerCsv, Format::KdpWorkbook, Format::KdpCsv];
    if let Some(format) = own.into_iter().find(|f| f.name() == name) {
        return Ok(format);
    }
    presets()
        .into_iter()
        .find(|m| m.name == name)
        .map(|m| Format::Mapped(Box::new(m)))
        .ok_or_else(|| {
            let names: Vec<String> = list().into_iter().map(|f| f.name).collect();
            FileError::Unrecognized(format!(
                "there is no format '{name}' (formats: {})",
                names.join(", ")
            ))
        })
}

/// The format of the file that `input` reads, from its header.
pub fn detect<R: Read>(input: R) -> Result<Format, FileError> {
    detect_with(input, &[])
}

/// The format of the file that `input` reads, from its header, also trying the user's saved mappings
/// (after the built-in formats, so that a saved mapping cannot shadow one).
pub fn detect_with<R: Read>(input: R, saved: &[Mapping]) -> Result<Format, FileError> {
    let mut input = std::io::BufReader::new(input);
    let start = input.fill_buf()?;
    if start.is_empty() {
        return Err(FileError::Empty);
    }
    if kdp::is_workbook(start) {
        return Ok(Format::KdpWorkbook);
    }
    let header = peek(input)?.header;
    let lower: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    if ledger_csv::REQUIRED
        .iter()
        .all(|c| lower.iter().any(|h| h == c))
    {
        return Ok(Format::LedgerCsv);
    }
    if let Some(mapping) = presets().into_iter().find(|m| m.detects(&header)) {
        return Ok(Format::Mapped(Box::new(mapping)));
    }
    if kdp::is_kdp_header(&header) {
        return Ok(Format::KdpCsv);
    }
    if let Some(mapping) = saved.iter().find(|m| m.detects(&header)) {
        return Ok(Format::Mapped(Box::new(mapping.clone())));
    }
    if header
        .iter()
        .any(|h| h.chars().any(|c| c.is_control() || c == '\u{fffd}'))
    {
        return Err(FileError::Unrecognized(
            "this is neither text nor a workbook Tributary reads (it holds binary data)".into(),
        ));
    }
    let shown: Vec<String> = header
        .iter()
        .take(8)
        .map(|h| match h.char_indices().nth(40) {
            Some((cut, _)) => format!("{}…", &h[..cut]),
            None => h.clone(),
        })
        .collect();
    Err(FileError::UnknownHeader(format!(
        "not a format Tributary knows (header: {}{}); it can be read through a column mapping",
        shown.join(", "),
        if header.len() > 8 { ", …" } else { "" }
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_names_itself_once() {
        let all = list();
        assert_eq!(all.len(), PRESETS.len() + 3);
        for (i, f) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|g| g.name != f.name), "{}", f.name);
        }
    }

    #[test]
    fn headers_pick_their_format() {
        let pick =
            |header: &str| detect(format!("{header}\n").as_bytes()).map(|f| f.name().to_string());
        assert_eq!(
            pick("platform,account,external_id,kind,occurred_at,quantity,currency,gross").unwrap(),
            "ledger-csv"
        );
        assert_eq!(
            pick("id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Fee,Status")
                .unwrap(),
            "stripe-payments"
        );
        assert_eq!(
            pick("id,Description,Created (UTC),Amount,Amount Refunded,Currency,Fee,Tax,Status")
                .unwrap(),
            "stripe-payments"
        );
        assert_eq!(
            pick("Purchase ID,Item Name,Buyer Name,Purchase Date,Sale Price ($),Fees ($),Net Total ($)").unwrap(),
            "gumroad-sales"
        );
        assert_eq!(
            pick("identifier,order_number,user_name,user_email,currency,subtotal,discount_total,tax,total,refunded,refunded_at,refunded_amount,status,created_at,product_name,variant_name,country").unwrap(),
            "lemonsqueezy-orders"
        );
        assert_eq!(
            pick("Identifier,Order Number,Customer Email,Currency,Total,Status,Created At")
                .unwrap(),
            "lemonsqueezy-orders"
        );
        assert_eq!(
            pick("transaction_completed_at_utc,order_placed_at_utc,seller_id,transaction_type,order_id,transaction_currency,transaction_amount,commission_fee,ledger_transaction_id").unwrap(),
            "whatnot-financial"
        );
        // Whatnot's web order history is another file: it has none of the report's transaction columns.
        assert!(pick("Order ID,Buyer,Seller,Product Name,Processed Date,Order Status").is_err());
        let unknown = pick("Date;Betrag;Kunde").unwrap_err().to_string();
        assert!(
            unknown.contains("Date, Betrag, Kunde")
                && unknown.contains("column mapping")
                && !unknown.contains("--map"),
            "{unknown}"
        );
    }
}
