//! Reports read from the rollup tables only, never from the events, so that a question over a million
//! events costs a few thousand rollup rows. Figures stay per currency: nothing adds USD to EUR.

use crate::error::Result;
pub use crate::figures::Figures;
use crate::figures::{read_figures, SUMS, SUM_COLUMNS};
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

/// Sums for one group key in one currency.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupFigures {
    pub key: String,
    /// For product groups: the platform the product is sold on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub platform: Option<String>,
    /// For product groups: the product's name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub totals: Vec<Figures>,
    pub groups: Vec<GroupFigures>,
}

/// Which rollup rows answer a day range: whole months (numbered by their first day) from the monthly
/// tables, the days before the first whole month and after the last from the daily tables. Days are
/// numbered from 1970-01-01; empty ranges are written as (1, 0).
struct Plan {
    months: (i64, i64),
    head_days: (i64, i64),
    tail_days: (i64, i64),
}

const NOTHING: (i64, i64) = (1, 0);

fn plan(from: Option<Day>, to: Option<Day>) -> Plan {
    let first_month = match from {
        None => Some(i64::MIN),
        Some(f) if f == f.month_start() => Some(f.epoch_day()),
        Some(f) => (f.month_end() < f.month_end().succ()).then(|| f.month_end().succ().epoch_day()),
    };
    let last_month = match to {
        None => Some(i64::MAX),
        Some(t) if t == t.month_end() => Some(t.month_start().epoch_day()),
        Some(t) => (t.month_start().pred() < t.month_start())
            .then(|| t.month_start().pred().month_start().epoch_day()),
    };
    match (first_month, last_month) {
        (Some(first), Some(last)) if first <= last => {
            // Days before the first whole month and after the last one.
            let head_days = match from {
                Some(f) if f != f.month_start() => (f.epoch_day(), f.month_end().epoch_day()),
                _ => NOTHING,
            };
            let tail_days = match to {
                Some(t) if t != t.month_end() => (t.month_start().epoch_day(), t.epoch_day()),
                _ => NOTHING,
            };
            Plan {
                months: (first, last),
                head_days,
                tail_days,
            }
        }
        _ => Plan {
            months: NOTHING,
            head_days: (
                from.map_or(i64::MIN, Day::epoch_day),
                to.map_or(i64::MAX, Day::epoch_day),
            ),
            tail_days: NOTHING,
        },
    }
}

/// The rollup family a grouping reads: monthly table, daily table, and the key columns they share.
fn family(by: Option<GroupBy>) -> (&'static str, &'static str, &'static str) {
    match by {
        Some(GroupBy::Product) => (
            "rollup_monthly_product",
            "rollup_daily_product",
            "platform, product",
        ),
        Some(GroupBy::Country) => ("rollup_monthly_country", "rollup_daily_country", "country"),
        _ => ("rollup_monthly", "rollup_daily", "platform"),
    }
}

/// A day number as SQLite's calendar reads it: the Julian day of 1970-01-01 (at midnight) plus the days.
pub(crate) const FROM_EPOCH_DAY: &str = "2440587.5 + ";

/// The text of a rollup key id in column `column` of the rows `s`.
pub(crate) fn key_text(column: &str) -> String {
    format!("(SELECT text FROM rollup_keys WHERE id = s.{column})")
}

/// The ledger's totals per currency over all time, as `conn` sees them (what a change is measured by:
/// an import's, an undo's).
pub(crate) fn all_time_totals(conn: &Connection) -> Result<Vec<Figures>> {
    Ok(report(conn, &ReportQuery::default())?.totals)
}

pub fn report(conn: &Connection, query: &ReportQuery) -> Result<Report> {
    let (source, params): (String, Vec<i64>) = if query.by == Some(GroupBy::Day) {
        (
            format!(
                "SELECT date({FROM_EPOCH_DAY}day) AS period, platform, currency, {SUM_COLUMNS}
                 FROM rollup_daily WHERE day BETWEEN ?1 AND ?2"
            ),
            vec![
                query.from.map_or(i64::MIN, Day::epoch_day),
                query.to.map_or(i64::MAX, Day::epoch_day),
            ],
        )
    } else {
        let (monthly, daily, columns) = family(query.by);
        // Only a grouping by month needs each row's month as text.
        let (month_of_month, month_of_day) = if query.by == Some(GroupBy::Month) {
            (
                format!("strftime('%Y-%m', {FROM_EPOCH_DAY}month)"),
                format!("strftime('%Y-%m', {FROM_EPOCH_DAY}day)"),
            )
        } else {
            ("NULL".to_string(), "NULL".to_string())
        };
        let p = plan(query.from, query.to);
        (
            format!(
                "SELECT {month_of_month} AS period, {columns}, currency, {SUM_COLUMNS} FROM {monthly}
                 WHERE month BETWEEN ?1 AND ?2
                 UNION ALL
                 SELECT {month_of_day}, {columns}, currency, {SUM_COLUMNS} FROM {daily}
                 WHERE day BETWEEN ?3 AND ?4 OR day BETWEEN ?5 AND ?6"
            ),
            vec![
                p.months.0,
                p.months.1,
                p.head_days.0,
                p.head_days.1,
                p.tail_days.0,
                p.tail_days.1,
            ],
        )
    };
    let params = rusqlite::params_from_iter(params.iter());
    let currency = key_text("currency");
    let totals = conn
        .prepare_cached(&format!(
            "SELECT {currency}, {SUMS} FROM ({source}) AS s GROUP BY s.currency ORDER BY 1"
        ))?
        .query_map(params.clone(), |row| read_figures(row, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some(by) = query.by else {
        return Ok(Report {
            totals,
            groups: Vec::new(),
        });
    };
    let (key, extra, group) = match by {
        GroupBy::Day | GroupBy::Month => ("s.period".to_string(), "NULL, NULL".to_string(), "1"),
        GroupBy::Platform => (key_text("platform"), "NULL, NULL".to_string(), "s.platform"),
        GroupBy::Currency => (currency.clone(), "NULL, NULL".to_string(), "s.currency"),
        GroupBy::Country => (key_text("country"), "NULL, NULL".to_string(), "s.country"),
        GroupBy::Product => (
            key_text("product"),
            format!(
                "{}, (SELECT name FROM rollup_product_names AS n
                      WHERE n.platform = s.platform AND n.product = s.product)",
                key_text("platform")
            ),
            "s.platform, s.product",
        ),
    };
    let groups = conn
        .prepare_cached(&format!(
            "SELECT {key}, {extra}, {currency}, {SUMS} FROM ({source}) AS s
             GROUP BY {group}, s.currency ORDER BY 1, 2, 4"
        ))?
        .query_map(params, |row| {
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
