//! One page of a sync as one transaction, beside `BatchWriter`: the page's events, the connection's new
//! position, the run's counts and what the page added to the figures commit together, so a sync that
//! dies resumes after its last whole page and a page is never half in the ledger. A dry run keeps one
//! writer over every page and rolls it all back.

use crate::batches::begin_immediate;
use crate::figures::{change, Figures, SUM_COLUMNS};
use crate::reports::all_time_totals;
use crate::sync_runs::{record_requests, RequestRow};
use crate::turns::{Turn, WaitHook};
use crate::writer::{EventWriter, Provenance, WriteCounts, WriteOutcome};
use crate::{error::Result, LedgerError};
use rusqlite::{Connection, Transaction};
use tributary_model::{NewEvent, RowError, UtcInstant};

/// Refused events kept per run (all are counted).
const MAX_STORED_ERRORS: i64 = 1_000;

pub struct SyncPageWriter<'c> {
    // Declared before the transaction so that its statements are finalized before a rollback.
    events: EventWriter<'c>,
    tx: Transaction<'c>,
    run_id: i64,
    connection_id: i64,
    rejected: u64,
    before: Vec<Figures>,
    span: Option<(UtcInstant, UtcInstant)>,
    _turn: Option<Turn>,
}

impl<'c> SyncPageWriter<'c> {
    pub(crate) fn begin(
        conn: &'c mut Connection,
        run_id: i64,
        turn: Option<Turn>,
        on_wait: Option<&WaitHook>,
    ) -> Result<SyncPageWriter<'c>> {
        let conn: &'c Connection = conn;
        let tx = begin_immediate(conn, on_wait)?;
        let connection_id: i64 = tx
            .query_row(
                "SELECT connection_id FROM sync_runs WHERE id = ?1 AND status = 'running'",
                [run_id],
                |r| r.get(0),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => LedgerError::SyncRunNotFound(run_id),
                other => other.into(),
            })?;
        Self::within(conn, tx, run_id, connection_id, turn)
    }

    fn within(
        conn: &'c Connection,
        tx: Transaction<'c>,
        run_id: i64,
        connection_id: i64,
        turn: Option<Turn>,
    ) -> Result<SyncPageWriter<'c>> {
        let before = all_time_totals(&tx)?;
        Ok(SyncPageWriter {
            events: EventWriter::new(conn, Provenance::SyncRun(run_id))?,
            tx,
            run_id,
            connection_id,
            rejected: 0,
            before,
            span: None,
            _turn: turn,
        })
    }

    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// The ledger's all-time totals when this writer began.
    pub fn totals_before(&self) -> &[Figures] {
        &self.before
    }

    pub fn write(&mut self, event: &NewEvent) -> Result<WriteOutcome> {
        let at = event.occurred_at;
        self.span = Some(match self.span {
            None => (at, at),
            Some((first, last)) => (first.min(at), last.max(at)),
        });
        self.events.write(&self.tx, event)
    }

    /// Keeps an event the ledger refused, naming the page it came on.
    pub fn reject(&mut self, page: &str, error: &RowError) -> Result<()> {
        self.rejected += 1;
        let stored: i64 = self.tx.query_row(
            "SELECT COUNT(*) FROM sync_run_errors WHERE sync_run_id = ?1",
            [self.run_id],
            |r| r.get(0),
        )?;
        if stored < MAX_STORED_ERRORS {
            self.tx
                .prepare_cached(
                    "INSERT INTO sync_run_errors (sync_run_id, page, message) VALUES (?1, ?2, ?3)",
                )?
                .execute(rusqlite::params![self.run_id, page, error.message])?;
        }
        Ok(())
    }

    pub fn counts(&self) -> WriteCounts {
        self.events.counts()
    }

    /// Commits the page: its events, the connection's new `cursor` (its lease renewed until
    /// `lease_until`), the requests it took, the run's counts and figures.
    pub fn commit(
        self,
        cursor: &str,
        requests: &[RequestRow],
        lease_until: UtcInstant,
    ) -> Result<WriteCounts> {
        let counts = self.events.finish(&self.tx)?;
        let after = all_time_totals(&self.tx)?;
        for f in change(&self.before, &after) {
            self.tx
                .prepare_cached(&format!(
                    "INSERT INTO sync_run_figures (sync_run_id, currency, {SUM_COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                     ON CONFLICT (sync_run_id, currency) DO UPDATE SET
                         sales_minor = sales_minor + excluded.sales_minor,
                         refunds_minor = refunds_minor + excluded.refunds_minor,
                         chargebacks_minor = chargebacks_minor + excluded.chargebacks_minor,
                         fees_minor = fees_minor + excluded.fees_minor,
                         net_minor = net_minor + excluded.net_minor,
                         units = units + excluded.units,
                         kenp_pages = kenp_pages + excluded.kenp_pages,
                         events = events + excluded.events,
                         estimated = estimated + excluded.estimated"
                ))?
                .execute(rusqlite::params![
                    self.run_id,
                    f.currency,
                    f.sales_minor,
                    f.refunds_minor,
                    f.chargebacks_minor,
                    f.fees_minor,
                    f.net_minor,
                    f.units,
                    f.kenp_pages,
                    f.events,
                    f.estimated_events
                ])?;
        }
        self.tx.execute(
            "UPDATE sync_runs SET pages = pages + 1, inserted = inserted + ?2,
                 updated = updated + ?3, duplicates = duplicates + ?4, rejected = rejected + ?5,
                 first_event_at = MIN(COALESCE(first_event_at, ?6), ?6),
                 last_event_at = MAX(COALESCE(last_event_at, ?7), ?7)
             WHERE id = ?1",
            rusqlite::params![
                self.run_id,
                counts.inserted as i64,
                counts.updated as i64,
                counts.duplicates as i64,
                self.rejected as i64,
                self.span.map(|s| s.0.millis()),
                self.span.map(|s| s.1.millis()),
            ],
        )?;
        record_requests(&self.tx, self.run_id, requests)?;
        self.tx.execute(
            "UPDATE connections SET sync_cursor = ?2, lease_expires_at = ?3, updated_at = ?4
             WHERE id = ?1",
            rusqlite::params![
                self.connection_id,
                cursor,
                lease_until.millis(),
                UtcInstant::now().millis()
            ],
        )?;
        self.tx.commit()?;
        Ok(counts)
    }

    /// What committing every page written would leave, then throws it all away (a dry run): the
    /// counts and what it would add to the figures, per currency.
    pub fn preview(self) -> Result<(WriteCounts, Vec<Figures>)> {
        let counts = self.events.finish(&self.tx)?;
        let after = all_time_totals(&self.tx)?;
        let added = change(&self.before, &after);
        self.tx.rollback()?;
        Ok((counts, added))
    }
}

/// A dry run's throwaway run: inserted in the transaction the preview rolls back.
pub(crate) fn begin_preview<'c>(
    conn: &'c mut Connection,
    connection: i64,
    turn: Option<Turn>,
    on_wait: Option<&WaitHook>,
) -> Result<SyncPageWriter<'c>> {
    let conn: &'c Connection = conn;
    let tx = begin_immediate(conn, on_wait)?;
    tx.execute(
        "INSERT INTO sync_runs (connection_id, status, started_at) VALUES (?1, 'running', ?2)",
        rusqlite::params![connection, UtcInstant::now().millis()],
    )?;
    let run_id = tx.last_insert_rowid();
    SyncPageWriter::within(conn, tx, run_id, connection, turn)
}
