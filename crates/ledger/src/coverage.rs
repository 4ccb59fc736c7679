//! Which days each platform has data for: what "KDP through Nov 20" and "your newest data is from …"
//! say. Read from the rollups, never the events.

use crate::error::Result;
use rusqlite::Connection;
use tributary_model::Day;

/// The first and last day (in the ledger's zone) on which a platform has counted events.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlatformCoverage {
    pub platform: String,
    pub first_day: String,
    pub last_day: String,
}

/// Every platform with counted events, by name.
pub fn coverage(conn: &Connection) -> Result<Vec<PlatformCoverage>> {
    // The first and last month from the monthly rollups (a few hundred rows), then the first and last
    // day within those two months from the daily ones: bounded, where grouping the whole daily table
    // read every day of the ledger (10 ms for a million events, on every dashboard).
    let mut statement = conn.prepare_cached(
        "WITH months AS (
             SELECT platform, MIN(month) AS first_month, MAX(month) AS last_month
             FROM rollup_monthly WHERE events <> 0 GROUP BY platform)
         SELECT (SELECT text FROM rollup_keys WHERE id = m.platform),
                (SELECT MIN(day) FROM rollup_daily AS d
                 WHERE d.day BETWEEN m.first_month AND m.first_month + 30
                   AND d.platform = m.platform AND d.events <> 0),
                (SELECT MAX(day) FROM rollup_daily AS d
                 WHERE d.day BETWEEN m.last_month AND m.last_month + 30
                   AND d.platform = m.platform AND d.events <> 0)
         FROM months AS m ORDER BY 1",
    )?;
    let rows = statement.query_map([], |row| {
        let day = |i: usize| -> rusqlite::Result<String> {
            let n: i64 = row.get(i)?;
            Ok(Day::from_epoch_day(n).map(Day::iso).unwrap_or_default())
        };
        Ok(PlatformCoverage {
            platform: row.get(0)?,
            first_day: day(1)?,
            last_day: day(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
