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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// Of `events`, how many are estimates whose period has no final figures yet (KDP's daily
    /// royalties before the month's final report): figures with estimates in them may still change.
    pub estimated_events: i64,
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

const SUMS: &str =
    "SUM(gross_minor), SUM(fees_minor), SUM(net_minor), SUM(refunds_minor), SUM(units), \
     SUM(kenp_pages), SUM(events), SUM(estimated)";

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
        estimated_events: row.get(first + 8)?,
    })
}

/// Which rollup rows answer a day range: whole months from the monthly tables, the days before the first
/// whole month and after the last from the daily tables. Empty ranges are written as ('1', '0').
struct Plan {
    months: (String, String),
    head_days: (String, String),
    tail_days: (String, String),
}

const NOTHING: (&str, &str) = ("1", "0");

fn none() -> (String, String) {
    (NOTHING.0.to_string(), NOTHING.1.to_string())
}

fn plan(from: Option<Day>, to: Option<Day>) -> Plan {
    let first_month = match from {
        None => Some("0000-01".to_string()),
        Some(f) if f == f.month_start() => Some(f.month()),
        Some(f) => (f.month_end() < f.month_end().succ()).then(|| f.month_end().succ().month()),
    };
    let last_month = match to {
        None => Some("9999-12".to_string()),
        Some(t) if t == t.month_end() => Some(t.month()),
        Some(t) => {
            (t.month_start().pred() < t.month_start()).then(|| t.month_start().pred().month())
        }
    };
    match (first_month, last_month) {
        (Some(first), Some(last)) if first <= last => {
            // Days before the first whole month and after the last one.
            let head_days = match from {
                Some(f) if f != f.month_start() => (f.iso(), f.month_end().iso()),
                _ => none(),
            };
            let tail_days = match to {
                Some(t) if t != t.month_end() => (t.month_start().iso(), t.iso()),
                _ => none(),
            };
            Plan {
                months: (first, last),
                head_days,
                tail_days,
            }
        }
        _ => Plan {
            months: none(),
            head_days: (
                from.map_or_else(|| "0000-01-01".to_string(), Day::iso),
                to.map_or_else(|| "9999-12-31".to_string(), Day::iso),
            ),
            tail_days: none(),
        },
    }
}

/// The rollup family a grouping reads: monthly table, daily table, and the columns they share.
fn family(by: Option<GroupBy>) -> (&'static str, &'static str, &'static str) {
    match by {
        Some(GroupBy::Product) => (
            "rollup_monthly_product",
            "rollup_daily_product",
            "platform, product_key, product_name",
        ),
        Some(GroupBy::Country) => ("rollup_monthly_country", "rollup_daily_country", "country"),
        _ => ("rollup_monthly", "rollup_daily", "platform"),
    }
}

const SUM_COLUMNS: &str =
    "gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated";

pub fn report(conn: &Connection, query: &ReportQuery) -> Result<Report> {
    let (source, params): (String, Vec<String>) = if query.by == Some(GroupBy::Day) {
        let from = query
            .from
            .map_or_else(|| "0000-01-01".to_string(), Day::iso);
        let to = query.to.map_or_else(|| "9999-12-31".to_string(), Day::iso);
        (
            format!("SELECT day AS period, platform, currency, {SUM_COLUMNS} FROM rollup_daily WHERE day BETWEEN ?1 AND ?2"),
            vec![from, to],
        )
    } else {
        let (monthly, daily, columns) = family(query.by);
        let p = plan(query.from, query.to);
        (
            format!(
                "SELECT month AS period, {columns}, currency, {SUM_COLUMNS} FROM {monthly}
                 WHERE month BETWEEN ?1 AND ?2
                 UNION ALL
                 SELECT substr(day, 1, 7), {columns}, currency, {SUM_COLUMNS} FROM {daily}
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
    let totals = conn
        .prepare_cached(&format!(
            "SELECT currency, {SUMS} FROM ({source}) GROUP BY currency ORDER BY currency"
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
        GroupBy::Day | GroupBy::Month => ("period", "NULL, NULL", "1, currency"),
        GroupBy::Platform => ("platform", "NULL, NULL", "1, currency"),
        GroupBy::Currency => ("currency", "NULL, NULL", "1, currency"),
        GroupBy::Country => ("country", "NULL, NULL", "1, currency"),
        GroupBy::Product => (
            "product_key",
            "platform, MAX(product_name)",
            "platform, product_key, currency",
        ),
    };
    let groups = conn
        .prepare_cached(&format!(
            "SELECT {key}, {extra}, currency, {SUMS} FROM ({source})
             GROUP BY {group} ORDER BY 1, 2, currency"
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
