//! A column mapping as the window builds it, one field per choice, written out as the same TOML a
//! creator would write by hand (docs/formats/mapping.md), so that a mapping made in the app is a file
//! like any other: readable, editable, usable from the CLI. The TOML's own checks then apply unchanged.

use crate::error::EngineError;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tributary_imports::amount::DecimalMark;
use tributary_imports::dates::DateOrder;
use tributary_imports::formats::Format;
use tributary_imports::mapping::Mapping;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MappingDraft {
    pub name: String,
    pub title: Option<String>,
    pub platform: String,
    pub date_column: String,
    pub date_order: Option<DateOrder>,
    pub gross: Option<String>,
    pub net: Option<String>,
    pub fees: Vec<String>,
    pub currency_column: Option<String>,
    pub currency_fixed: Option<String>,
    pub id_column: Option<String>,
    /// For files without ids: the columns whose values together name a row.
    pub id_derive: Vec<String>,
    pub product_name: Option<String>,
    pub product_id: Option<String>,
    pub quantity: Option<String>,
    pub buyer_email: Option<String>,
    pub country: Option<String>,
    pub decimal_mark: Option<DecimalMark>,
    pub minor_units: bool,
}

#[derive(Serialize)]
struct Column<'a> {
    column: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<DateOrder>,
}

#[derive(Serialize)]
struct IdToml<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    derive: Vec<&'a str>,
}

#[derive(Serialize)]
struct CurrencyToml<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<&'a str>,
}

/// The TOML layout: plain keys first, tables last, as TOML requires.
#[derive(Serialize)]
struct MappingToml<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    platform: &'a str,
    detect: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gross: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    net: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fees: Vec<&'a str>,
    minor_units: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    decimal_mark: Option<DecimalMark>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    date: Column<'a>,
    id: IdToml<'a>,
    currency: CurrencyToml<'a>,
}

/// An empty choice is no choice: a form's cleared field arrives as `""`.
fn chosen(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn chosen_all(values: &[String]) -> Vec<&str> {
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

impl MappingDraft {
    /// The mapping as TOML. `detect` lists the columns the mapping cannot do without, so that a saved
    /// mapping is picked for the next file with the same header.
    pub fn to_toml(&self) -> Result<String, EngineError> {
        let date = self.date_column.trim();
        let (gross, net) = (chosen(&self.gross), chosen(&self.net));
        let (currency_column, id_column) = (chosen(&self.currency_column), chosen(&self.id_column));
        let mut detect: Vec<&str> = [Some(date), gross, net, currency_column, id_column]
            .into_iter()
            .flatten()
            .filter(|c| !c.is_empty())
            .collect();
        detect.extend(chosen_all(&self.id_derive));
        detect.dedup();
        let toml = MappingToml {
            name: self.name.trim(),
            title: chosen(&self.title),
            platform: self.platform.trim(),
            detect,
            gross,
            net,
            fees: chosen_all(&self.fees),
            minor_units: self.minor_units,
            decimal_mark: self.decimal_mark,
            product_id: chosen(&self.product_id),
            product_name: chosen(&self.product_name),
            quantity: chosen(&self.quantity),
            buyer_email: chosen(&self.buyer_email),
            country: chosen(&self.country),
            date: Column {
                column: date,
                order: self.date_order,
            },
            id: IdToml {
                column: id_column,
                derive: chosen_all(&self.id_derive),
            },
            currency: CurrencyToml {
                column: currency_column,
                fixed: chosen(&self.currency_fixed),
            },
        };
        toml::to_string(&toml).map_err(|e| EngineError::Mapping {
            path: PathBuf::from("the column mapping"),
            reason: e.to_string(),
        })
    }

    /// The mapping, checked as a TOML file would be.
    pub fn to_mapping(&self) -> Result<Mapping, EngineError> {
        let text = self.to_toml()?;
        Mapping::from_toml(&text).map_err(|reason| EngineError::Mapping {
            path: PathBuf::from("the column mapping"),
            reason,
        })
    }
}

impl Workspace {
    /// Saves a mapping built in the window, as `mappings/<name>.toml`.
    pub fn save_mapping_draft(&self, draft: &MappingDraft) -> Result<Mapping, EngineError> {
        self.save_mapping_text(&draft.to_toml()?, Path::new("the column mapping"))
    }

    /// The format a draft reads files as, for a preview before it is saved.
    pub fn draft_format(draft: &MappingDraft) -> Result<Format, EngineError> {
        Ok(Format::Mapped(Box::new(draft.to_mapping()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> MappingDraft {
        MappingDraft {
            name: "hausbank-giro".into(),
            title: Some("Hausbank CSV".into()),
            platform: "hausbank".into(),
            date_column: "Buchungstag".into(),
            date_order: Some(DateOrder::DayMonthYear),
            gross: Some("Betrag".into()),
            fees: vec!["Gebühr".into(), "".into()],
            currency_fixed: Some("EUR".into()),
            id_column: Some("Referenz".into()),
            product_name: Some("Verwendungszweck".into()),
            buyer_email: Some(String::new()),
            decimal_mark: Some(DecimalMark::Comma),
            ..MappingDraft::default()
        }
    }

    #[test]
    fn a_draft_becomes_the_toml_a_person_would_write() {
        let text = draft().to_toml().unwrap();
        let mapping = Mapping::from_toml(&text).unwrap();
        assert_eq!(mapping.name, "hausbank-giro");
        assert_eq!(mapping.platform, "hausbank");
        assert_eq!(mapping.fees.len(), 1, "the empty fee column is no column");
        assert!(
            mapping.buyer_email.is_none(),
            "a cleared field is no choice"
        );
        assert_eq!(mapping.detect.len(), 3, "{text}");
        assert!(text.contains("[date]"), "{text}");
        assert!(text.contains("order = \"day_month_year\""), "{text}");
        assert!(text.contains("fixed = \"EUR\""), "{text}");
    }

    #[test]
    fn a_draft_without_its_required_columns_is_refused_by_the_mappings_rules() {
        let missing_currency = MappingDraft {
            currency_fixed: None,
            ..draft()
        };
        let error = missing_currency.to_mapping().unwrap_err().to_string();
        assert!(error.contains("the column mapping"), "{error}");
        assert!(error.contains("currency"), "{error}");
    }
}
