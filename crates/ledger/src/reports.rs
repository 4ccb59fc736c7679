//! Reports read from the rollup tables only, never from the events, so that a question over a million
//! events costs a few thousand rollup rows. Figures stay per currency: nothing adds USD to EUR.

use crate::error::Result;
use rusqlite::Connection;
use std::str::FromStr;
use tributary_model::Day;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Day,
    Month,
    Platform,
    Product,
    Currency,
    Country,
}

impl FromStr for GroupBy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "day" => GroupBy::Day,
            "month" => GroupBy::Month,
            "platform" => GroupBy::Platform,
            "product" => GroupBy::Product,
            "currency" => GroupBy::Currency,
            "country" => GroupBy::Country,
            other => {
                return Err(format!(
                    "'{other}' is not a grouping (day, month, platform, product, currency, country)"
                ))
            }
        })
    }
}

/// Which days (inclusive, UTC) and how to group.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportQuery {
    pub from: Option<Day>,
    pub to: Option<Day>,
    pub by: Option<GroupBy>,
}

/// Sums for one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    pub currency: String,
    pub gross_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
    /// Net of refund and chargeback events (zero or negative); already included in `net_minor`.
    pub refunds_minor: i64,
    pub units: i64,
    pub kenp_pages: i64,
    pub events: i64,
}

/// Sums for one group key in one currency.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct GroupFigures {
    pub key: String,
    /// For product groups: the platform the product is sold on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// For product groups: the product's name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub totals: Vec<Figures>,
    pub groups: Vec<GroupFigures>,
}

const SUMS: &str = "SUM(gross_minor), SUM(fees_minor), SUM(net_minor), SUM(refunds_minor), SUM(units), \
     SUM(kenp_pages), SUM(events)";

/// Reads `currency` and the sums starting at column `first`.
fn read_figures(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Figures> {
    Ok(Figures {
        currency: row.get(first)?,
        gross_minor: row.get(first + 1)?,
        fees_minor: row.get(first + 2)?,
        net_minor: row.get(first + 3)?,
        refunds_minor: row.get(first + 4)?,
        units: row.get(first + 5)?,
        kenp_pages: row.get(first + 6)?,
        events: row.get(first + 7)?,
    })
}

pub fn report(conn: &Connection, query: &ReportQuery) -> Result<Report> {
    let from = query.from.map_or_else(|| "0000-01-01".to_string(), Day::iso);
    let to = query.to.map_or_else(|| "9999-12-31".to_string(), Day::iso);
    let range = "day BETWEEN ?1 AND ?2";
    let totals = conn
        .prepare_cached(&format!(
            "SELECT currency, {SUMS} FROM rollup_daily WHERE {range} GROUP BY currency ORDER BY currency"
        ))?
        .query_map([&from, &to], |row| read_figures(row, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some(by) = query.by else {
        return Ok(Report {
            totals,
            groups: Vec::new(),
        });
    };
    let (table, key, extra) = match by {
        GroupBy::Day => ("rollup_daily", "day", "NULL, NULL"),
        GroupBy::Month => ("rollup_daily", "substr(day, 1, 7)", "NULL, NULL"),
        GroupBy::Platform => ("rollup_daily", "platform", "NULL, NULL"),
        GroupBy::Currency => ("rollup_daily", "currency", "NULL, NULL"),
        GroupBy::Country => ("rollup_daily_country", "country", "NULL, NULL"),
        GroupBy::Product => (
            "rollup_daily_product",
            "product_key",
            "platform, MAX(product_name)",
        ),
    };
    let group = match by {
        GroupBy::Product => "platform, product_key, currency",
        _ => "1, currency",
    };
    let sql = format!(
        "SELECT {key}, {extra}, currency, {SUMS} FROM {table} WHERE {range}
         GROUP BY {group} ORDER BY 1, 2, currency"
    );
    let groups = conn
        .prepare_cached(&sql)?
        .query_map([&from, &to], |row| {
            Ok(GroupFigures {
                key: row.get(0)?,
                platform: row.get(1)?,
                name: row.get(2)?,
                figures: read_figures(row, 3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Report { totals, groups })
}
