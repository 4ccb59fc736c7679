//! Money over time (the figures of `figures.rs`), bucketed by day, ISO week or month, per platform and currency: what the
//! dashboard's stacked chart draws. Read from the daily rollups (a few rows per day), never the events.

use crate::error::Result;
use crate::figures::{read_figures, Figures, SUMS};
use crate::reports::{key_text, FROM_EPOCH_DAY};
use rusqlite::Connection;
use std::str::FromStr;
use tributary_model::Day;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Bucket {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
}

impl FromStr for Bucket {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "day" => Ok(Bucket::Day),
            "week" => Ok(Bucket::Week),
            "month" => Ok(Bucket::Month),
            other => Err(format!("'{other}' is not a bucket (day, week, month)")),
        }
    }
}

/// One bucket's sums for one platform in one currency.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeriesPoint {
    /// The bucket's first day (`YYYY-MM-DD`): the day, the week's Monday, the month's 1st.
    pub bucket: String,
    pub platform: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The SQL expression giving the first day of a row's bucket (`YYYY-MM-DD`) from its `day` (a number of
/// days since 1970-01-01, which was a Thursday).
fn bucket_start(bucket: Bucket) -> String {
    match bucket {
        Bucket::Day => format!("date({FROM_EPOCH_DAY}day)"),
        // ((day + 3) % 7 + 7) % 7 is 0 on a Monday, before 1970 too.
        Bucket::Week => format!("date({FROM_EPOCH_DAY}day - ((day + 3) % 7 + 7) % 7)"),
        Bucket::Month => format!("date({FROM_EPOCH_DAY}day, 'start of month')"),
    }
}

/// The points of the days `from..=to` (open ends when `None`), sorted by bucket, platform, currency.
/// Buckets where nothing happened are left out. A week or month cut by the range holds only the
/// range's days.
pub fn series(
    conn: &Connection,
    from: Option<Day>,
    to: Option<Day>,
    bucket: Bucket,
) -> Result<Vec<SeriesPoint>> {
    let from = from.map_or(i64::MIN, Day::epoch_day);
    let to = to.map_or(i64::MAX, Day::epoch_day);
    let sql = format!(
        "SELECT {start} AS bucket, {platform}, {currency}, {SUMS}
         FROM rollup_daily AS s WHERE day BETWEEN ?1 AND ?2 AND events <> 0
         GROUP BY 1, s.platform, s.currency
         ORDER BY 1, 2, 3",
        start = bucket_start(bucket),
        platform = key_text("platform"),
        currency = key_text("currency"),
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let points = statement
        .query_map([from, to], |row| {
            Ok(SeriesPoint {
                bucket: row.get(0)?,
                platform: row.get(1)?,
                figures: read_figures(row, 2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(points)
}
