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
    /// Refund rows told by a column's value: the column, and the values that mean a refund.
    #[serde(default)]
    pub refund_column: Option<String>,
    #[serde(default)]
    pub refund_values: Vec<String>,
    /// Refund rows told by a negative amount.
    #[serde(default)]
    pub refund_when_negative: bool,
}

#[derive(Serialize)]
struct KindToml<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative: Option<&'a str>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    values: std::collections::BTreeMap<&'a str, &'a str>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<KindToml<'a>>,
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
    /// What the draft still lacks, said as the mapping editor's fields are named ("choose the date
    /// column"), before the TOML's own checks (which name its keys) ever see it.
    pub fn check(&self) -> Result<(), EngineError> {
        let given = |v: &Option<String>| chosen(v).is_some_and(|s| !s.is_empty());
        let lacking = if self.name.trim().is_empty() {
            Some("give the mapping a name")
        } else if self.platform.trim().is_empty() {
            Some("say which platform the file comes from")
        } else if self.date_column.trim().is_empty() {
            Some("choose the date column")
        } else if !given(&self.gross) && !given(&self.net) {
            Some("choose the amount column (what was charged, or what was kept)")
        } else if given(&self.currency_column) && given(&self.currency_fixed) {
            Some("choose a currency column or one currency for the whole file, not both")
        } else if !given(&self.currency_column) && !given(&self.currency_fixed) {
            Some("choose the currency column, or the one currency of the whole file")
        } else if given(&self.id_column) && !chosen_all(&self.id_derive).is_empty() {
            Some("choose an id column or the columns that together name a row, not both")
        } else if !given(&self.id_column) && chosen_all(&self.id_derive).is_empty() {
            Some("choose the id column, or the columns that together name a row")
        } else if given(&self.refund_column) && chosen_all(&self.refund_values).is_empty() {
            Some("say which values of the refund column mark a refund")
        } else {
            None
        };
        match lacking {
            Some(reason) => Err(EngineError::Mapping {
                path: PathBuf::from("the column mapping"),
                reason: reason.to_string(),
            }),
            None => Ok(()),
        }
    }

    /// The refund rows' rule: `[kind]` with the refund column's values, and `negative`.
    fn kind(&self) -> Option<KindToml<'_>> {
        let column = chosen(&self.refund_column);
        let values: std::collections::BTreeMap<&str, &str> = match column {
            Some(_) => chosen_all(&self.refund_values)
                .into_iter()
                .map(|v| (v, "refund"))
                .collect(),
            None => Default::default(),
        };
        let negative = self.refund_when_negative.then_some("refund");
        (!values.is_empty() || negative.is_some()).then(|| KindToml {
            column: column.filter(|_| !values.is_empty()),
            negative,
            values,
        })
    }

    /// The mapping as TOML. `detect` lists the columns the mapping cannot do without, so that a saved
    /// mapping is picked for the next file with the same header.
    pub fn to_toml(&self) -> Result<String, EngineError> {
        self.check()?;
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
            kind: self.kind(),
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
    fn refund_rows_are_marked_by_a_value_or_a_negative_amount() {
        let by_value = MappingDraft {
            refund_column: Some("Art".into()),
            refund_values: vec!["Erstattung".into(), " ".into(), "Storno".into()],
            ..draft()
        };
        let mapping = by_value.to_mapping().unwrap();
        let kind = mapping.kind.expect("a [kind] rule");
        assert_eq!(kind.values.len(), 2);
        assert_eq!(
            kind.values.get("Erstattung").map(String::as_str),
            Some("refund")
        );
        assert!(kind.negative.is_none());
        let by_sign = MappingDraft {
            refund_when_negative: true,
            ..draft()
        };
        let kind = by_sign.to_mapping().unwrap().kind.expect("a [kind] rule");
        assert_eq!(kind.negative.as_deref(), Some("refund"));
        assert!(kind.column.is_none());
        assert!(draft().to_mapping().unwrap().kind.is_none());
        let no_values = MappingDraft {
            refund_column: Some("Art".into()),
            ..draft()
        };
        let error = no_values.to_mapping().unwrap_err().to_string();
        assert!(
            error.contains("which values of the refund column"),
            "{error}"
        );
    }

    #[test]
    fn a_draft_without_its_required_columns_is_refused_by_the_mappings_rules() {
        let missing_currency = MappingDraft {
            currency_fixed: None,
            ..draft()
        };
        let error = missing_currency.to_mapping().unwrap_err().to_string();
        assert_eq!(
            error,
            "the column mapping: choose the currency column, or the one currency of the whole file"
        );
        // Each lack in the editor's words, never a TOML key.
        for (draft, says) in [
            (
                MappingDraft {
                    date_column: " ".into(),
                    ..draft()
                },
                "choose the date column",
            ),
            (
                MappingDraft {
                    gross: None,
                    net: None,
                    ..draft()
                },
                "choose the amount column",
            ),
            (
                MappingDraft {
                    id_column: None,
                    id_derive: vec![],
                    ..draft()
                },
                "choose the id column",
            ),
            (
                MappingDraft {
                    currency_column: Some("Währung".into()),
                    ..draft()
                },
                "not both",
            ),
            (
                MappingDraft {
                    name: String::new(),
                    ..draft()
                },
                "give the mapping a name",
            ),
        ] {
            let error = draft.to_mapping().unwrap_err().to_string();
            assert!(error.contains(says) && !error.contains('['), "{error}");
        }
    }
}
