//! Estimates said in words: which estimated events a batch's final figures replace (KDP's daily
//! royalties, replaced by the month's royalties per marketplace), and which are still estimated, so that
//! a preview can say "replaces 12 estimated events of March (Amazon.com, Amazon.de) from
//! KDP_Dashboard-…" and the dashboard which report would settle what is left.

use crate::error::Result;
use rusqlite::Connection;

/// Estimated events of one settled period (a month in one marketplace) in one currency.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EstimatedPeriod {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Where the platform settles it (KDP: the marketplace, `Amazon.com`).
    pub marketplace: String,
    pub platform: String,
    pub currency: String,
    pub events: i64,
    /// The files the estimates came from (their batches' file names), in order.
    pub files: Vec<String>,
}

/// A stored period (`2026-03 Amazon.com`; a ledger CSV may write `2026-03/amazon.de`) as its month and
/// marketplace. A period that does not start with its month is all marketplace.
fn split_period(period: &str) -> (String, String) {
    let is_month = |m: &str| {
        m.len() == 7
            && m.bytes().enumerate().all(|(i, b)| {
                if i == 4 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    };
    match period.get(..7).filter(|m| is_month(m)) {
        Some(month) => (
            month.to_string(),
            period[7..]
                .trim_start_matches([' ', '/', '-', '_'])
                .to_string(),
        ),
        None => (String::new(), period.to_string()),
    }
}

/// Reads rows of (period, platform, currency, file name, events), in period and currency order, into
/// one `EstimatedPeriod` per (period, platform, currency) with its files.
fn read_periods(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<EstimatedPeriod>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map(params, |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, i64>(4)?,
        ))
    })?;
    let mut out: Vec<EstimatedPeriod> = Vec::new();
    for row in rows {
        let (period, platform, currency, file, events) = row?;
        let (month, marketplace) = split_period(&period);
        let same = out.last_mut().filter(|p| {
            p.month == month
                && p.marketplace == marketplace
                && p.platform == platform
                && p.currency == currency
        });
        let entry = match same {
            Some(entry) => entry,
            None => {
                out.push(EstimatedPeriod {
                    month,
                    marketplace,
                    platform,
                    currency,
                    events: 0,
                    files: Vec::new(),
                });
                out.last_mut().expect("just pushed")
            }
        };
        entry.events += events;
        if let Some(file) = file.filter(|f| !entry.files.contains(f)) {
            entry.files.push(file);
        }
    }
    Ok(out)
}

/// The estimates that batch `batch_id`'s final figures replace: those of the periods it brought the
/// first final events of (a file of finals imported again replaces nothing), as the transaction that
/// wrote the batch sees them.
pub(crate) fn replaced_by(conn: &Connection, batch_id: i64) -> Result<Vec<EstimatedPeriod>> {
    read_periods(
        conn,
        "WITH mine AS (
             SELECT DISTINCT source_id, period FROM events
             WHERE batch_id = ?1 AND period IS NOT NULL AND estimated = 0
         ), newly AS (
             SELECT m.source_id, m.period FROM mine AS m
             WHERE NOT EXISTS (SELECT 1 FROM events AS f INDEXED BY events_by_period
                               WHERE f.source_id = m.source_id AND f.period = m.period
                                 AND f.estimated = 0 AND f.batch_id IS NOT ?1)
         )
         SELECT e.period, s.platform, e.currency, b.file_name, COUNT(*)
         FROM newly AS n
         JOIN events AS e INDEXED BY events_by_period ON e.source_id = n.source_id AND e.period = n.period
         JOIN sources AS s ON s.id = e.source_id
         LEFT JOIN batches AS b ON b.id = e.batch_id
         WHERE e.estimated = 1
         GROUP BY e.period, s.platform, e.currency, b.file_name
         ORDER BY e.period, s.platform, e.currency, b.file_name",
        [batch_id],
    )
}

/// Every period whose estimates still count (no final figures for it yet), with the files they came
/// from: what the dashboard names, with the report that would settle it.
pub(crate) fn still_estimated(conn: &Connection) -> Result<Vec<EstimatedPeriod>> {
    read_periods(
        conn,
        "SELECT e.period, s.platform, e.currency, b.file_name, COUNT(*)
         FROM sources AS s
         JOIN events AS e INDEXED BY events_by_period ON e.source_id = s.id AND e.period IS NOT NULL
         LEFT JOIN batches AS b ON b.id = e.batch_id
         WHERE e.estimated = 1
           AND COALESCE((SELECT final_events FROM settled_periods AS p
                         WHERE p.source_id = e.source_id AND p.period = e.period), 0) = 0
         GROUP BY e.period, s.platform, e.currency, b.file_name
         ORDER BY e.period, s.platform, e.currency, b.file_name",
        [],
    )
}
