//! What each alert channel last told the person, and the new sales since it last summed them. A mark
//! moves only from the value its teller read (compare and swap in one transaction), so when the app
//! and the tray process both see a connection start failing, one of them tells it.

use rusqlite::{params, OptionalExtension};
use std::collections::BTreeMap;
use tributary_model::UtcInstant;

use crate::error::Result;
use crate::Ledger;

/// The new sales of finished sync runs after a mark, per platform and currency.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SalesAfter {
    /// The newest finished run read (the mark to move to); `None` when there is none.
    pub last_run: Option<i64>,
    /// (platform, currency) → (sales in minor units, events new to the ledger).
    pub by_platform: BTreeMap<(String, String), (i64, i64)>,
}

impl Ledger {
    /// Channel `channel`'s marks, by subject.
    pub fn alert_marks(&self, channel: &str) -> Result<BTreeMap<String, String>> {
        let mut statement = self
            .conn
            .prepare("SELECT subject, mark FROM alert_marks WHERE channel = ?1")?;
        let rows = statement.query_map([channel], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves `subject`'s mark from `from` (`None`: there is none yet) to `to`; false when another
    /// process moved it first (its teller tells, not this one).
    pub fn move_alert_mark(
        &mut self,
        channel: &str,
        subject: &str,
        from: Option<&str>,
        to: &str,
        now: UtcInstant,
    ) -> Result<bool> {
        self.in_small_transaction("moving an alert mark", |tx| {
            let current: Option<String> = tx
                .query_row(
                    "SELECT mark FROM alert_marks WHERE channel = ?1 AND subject = ?2",
                    [channel, subject],
                    |r| r.get(0),
                )
                .optional()?;
            if current.as_deref() != from {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO alert_marks (channel, subject, mark, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (channel, subject) DO UPDATE SET mark = excluded.mark, at = excluded.at",
                params![channel, subject, to, now.millis()],
            )?;
            Ok(true)
        })
    }

    /// What finished sync runs after run `after` (all of them for `None`) added as sales. A failed run
    /// counts too: the pages it wrote are kept.
    pub fn sales_after_run(&self, after: Option<i64>) -> Result<SalesAfter> {
        let after = after.unwrap_or(0);
        let last_run: Option<i64> = self.conn.query_row(
            "SELECT max(id) FROM sync_runs WHERE id > ?1 AND finished_at IS NOT NULL",
            [after],
            |r| r.get(0),
        )?;
        let mut statement = self.conn.prepare(
            "SELECT c.platform, f.currency, sum(f.sales_minor), sum(f.events)
             FROM sync_run_figures f
             JOIN sync_runs r ON r.id = f.sync_run_id
             JOIN connections c ON c.id = r.connection_id
             WHERE r.id > ?1 AND r.id <= ?2 AND r.finished_at IS NOT NULL
               AND r.status IN ('succeeded', 'failed', 'interrupted')
             GROUP BY c.platform, f.currency",
        )?;
        let rows = statement.query_map(params![after, last_run.unwrap_or(after)], |r| {
            Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?)))
        })?;
        Ok(SalesAfter {
            last_run,
            by_platform: rows.collect::<rusqlite::Result<_>>()?,
        })
    }
}
