//! Which days each platform has data for: what "KDP through Nov 20" and "your newest data is from …"
//! say. Read from the daily rollups (a row per day, platform and currency), never the events.

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
    let mut statement = conn.prepare_cached(
        "SELECT (SELECT text FROM rollup_keys WHERE id = platform), MIN(day), MAX(day)
         FROM rollup_daily WHERE events <> 0 GROUP BY platform ORDER BY 1",
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
