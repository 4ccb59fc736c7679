//! The formats Tributary reads, and which one a file is. Ledger CSV is known by its header; platform
//! exports by their presets' `detect` columns (`presets/*.toml`, built in); anything else needs a mapping.

use crate::ledger_csv;
use crate::mapping::{peek, Mapping};
use crate::FileError;
use std::io::Read;

/// The built-in presets, as (file name, text).
const PRESETS: [(&str, &str); 2] = [
    (
        "stripe-payments.toml",
        include_str!("../presets/stripe-payments.toml"),
    ),
    (
        "gumroad-sales.toml",
        include_str!("../presets/gumroad-sales.toml"),
    ),
];

/// A format a file can be read as.
#[derive(Clone, Debug)]
pub enum Format {
    LedgerCsv,
    Mapped(Box<Mapping>),
}

impl Format {
    pub fn name(&self) -> &str {
        match self {
            Format::LedgerCsv => ledger_csv::FORMAT,
            Format::Mapped(mapping) => &mapping.name,
        }
    }
}

/// A line of `tributary formats`.
#[derive(Clone, Debug, serde::Serialize)]
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
            Mapping::from_toml(text, file)
                // Built-in text checked by tests: a failure here is a bug in this build, not user input.
                .unwrap_or_else(|e| panic!("built-in preset {e}"))
        })
        .collect()
}

/// Every format, for `tributary formats`.
pub fn list() -> Vec<FormatInfo> {
    let mut all = vec![FormatInfo {
        name: ledger_csv::FORMAT.into(),
        title: "Tributary ledger CSV (what `tributary export` writes)".into(),
        platform: None,
    }];
    all.extend(presets().into_iter().map(|m| FormatInfo {
        name: m.name,
        title: m.title,
        platform: Some(m.platform),
    }));
    all
}

/// The format named `name` (as `--format` gives it).
pub fn by_name(name: &str) -> Result<Format, FileError> {
    if name == ledger_csv::FORMAT {
        return Ok(Format::LedgerCsv);
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
    if let Some(mapping) = saved.iter().find(|m| m.detects(&header)) {
        return Ok(Format::Mapped(Box::new(mapping.clone())));
    }
    let shown: Vec<&str> = header.iter().take(8).map(String::as_str).collect();
    Err(FileError::Unrecognized(format!(
        "not a format Tributary knows (header: {}{}); import it with a column mapping: --map mapping.toml",
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
        assert_eq!(all.len(), PRESETS.len() + 1);
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
        let unknown = pick("Date;Betrag;Kunde").unwrap_err().to_string();
        assert!(
            unknown.contains("Date, Betrag, Kunde") && unknown.contains("--map"),
            "{unknown}"
        );
    }
}
