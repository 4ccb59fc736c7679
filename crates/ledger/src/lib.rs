//! Tributary's ledger: one SQLite file holding every money event with its provenance, the import
//! batches that brought them, connections (never their secrets), sync runs, the job queue, and the
//! rollups that reports read. This crate knows SQL and nothing of files or HTTP.
//!
//! Writes go through one connection (`Ledger`), in transactions: an import is all or nothing, and the
//! rollups change in the same transaction as the events. Readers may open their own connections with
//! [`open_reader`].

mod alert_marks;
mod alert_settings;
mod batches;
mod cache;
mod connection;
mod connections;
mod coverage;
mod deliveries;
mod error;
mod estimates;
mod events;
mod figures;
mod fingerprint;
mod jobs;
mod magnitude;
pub mod migrate;
mod probe;
mod reports;
mod rollup_runs;
mod rollup_worker;
mod rollup_zone;
mod rollups;
mod runner;
mod schedules;
mod series;
mod settlement;
mod status;
mod sync_runs;
mod sync_writer;
mod turns;
mod undo;
mod writer;

pub use alert_marks::SalesAfter;
pub use batches::{
    BatchEnd, BatchRecord, BatchStart, BatchWriter, Preview, UndoReport, MAX_STORED_ERRORS,
};
pub use connection::open_reader;
pub use connections::{Connected, ConnectionRecord, NewConnection};
pub use coverage::PlatformCoverage;
pub use error::{LedgerError, Result, StorageFailure};
pub use estimates::EstimatedPeriod;
pub use events::StoredEvent;
pub use figures::{change, EventMoney};
pub use fingerprint::identity_hash;
pub use jobs::{AfterFailure, ClaimedJob, JobRecord, NewJob};
pub use magnitude::MAX_MAGNITUDE;
pub use migrate::MigrationReport;
pub use probe::ChangeProbe;
pub use reports::{Figures, GroupBy, GroupFigures, Report, ReportQuery};
pub use runner::{Runner, RunnerLease};
pub use schedules::{Schedule, MAX_EVERY_SECS, MIN_EVERY_SECS};
pub use series::{Bucket, SeriesPoint};
pub use status::LedgerStatus;
pub use sync_runs::{RequestRow, RunFailure, RunStart, SyncRunRecord, SyncUndoReport};
pub use sync_writer::SyncPageWriter;
pub use tributary_model::RowError;
pub use turns::{Turn, WaitHook, Waiting};
pub use undo::RemovedCounts;
pub use writer::{Provenance, WriteCounts, WriteOutcome};

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use tributary_model::UtcInstant;

/// The ledger's writer connection, migrated to the schema this build knows.
pub struct Ledger {
    conn: Connection,
    path: Option<PathBuf>,
    migration: MigrationReport,
    /// Where writers take their turns; None in memory, where this connection is the only writer.
    turns: Option<turns::Turns>,
    on_wait: Option<WaitHook>,
    /// Opened for reading only: its file or folder cannot be written.
    read_only: bool,
}

impl Ledger {
    /// Opens (creating if needed) the ledger file and brings its schema up to date, backing the file up
    /// first when it already holds data.
    pub fn open(path: &Path) -> Result<Ledger> {
        Self::open_at(path, migrate::latest_version())
    }

    /// Opens the file migrated only up to `version`: for tests of upgrades from older schemas.
    pub fn open_at(path: &Path, version: i64) -> Result<Ledger> {
        Self::open_waiting(path, version, None)
    }

    /// Opens the file as `open_at` does; `on_wait` hears when an upgrade of its schema, or any write
    /// later, has to wait for another writer.
    pub fn open_waiting(path: &Path, version: i64, on_wait: Option<WaitHook>) -> Result<Ledger> {
        let mut conn = match connection::open_writer(path) {
            Ok(conn) => conn,
            Err(LedgerError::ReadOnly { .. }) => return Self::open_read_only(path, version),
            Err(e) => return Err(e),
        };
        let turns = turns::Turns::of(path);
        let behind = migrate::current_version(&conn)? < version;
        // Two processes opening an old ledger at once: the second upgrades nothing once its turn comes.
        let turn = match behind {
            true => Some(turns.take("upgrading the ledger", on_wait.as_ref())?),
            false => None,
        };
        let migration = migrate::migrate_to(&mut conn, Some(path), version)?;
        drop(turn);
        Ok(Ledger {
            conn,
            path: Some(path.to_path_buf()),
            migration,
            turns: Some(turns),
            on_wait,
            read_only: false,
        })
    }

    /// A ledger whose file or folder cannot be written, opened for reading: reports, exports and lists
    /// work; writes are refused saying so. One from an older build cannot be upgraded, so it is refused.
    fn open_read_only(path: &Path, version: i64) -> Result<Ledger> {
        let conn = connection::open_read_only(path)?;
        let found = migrate::current_version(&conn).map_err(|e| match e {
            LedgerError::Sqlite(reason) => LedgerError::Open {
                path: path.to_path_buf(),
                reason,
            },
            other => other,
        })?;
        if found > migrate::latest_version() {
            return Err(LedgerError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported: migrate::latest_version(),
            });
        }
        if found < version {
            return Err(LedgerError::ReadOnlyOutdated {
                path: path.to_path_buf(),
                found,
                supported: version,
            });
        }
        Ok(Ledger {
            conn,
            path: Some(path.to_path_buf()),
            migration: MigrationReport {
                from_version: found,
                to_version: found,
                backup: None,
            },
            turns: None,
            on_wait: None,
            read_only: true,
        })
    }

    /// Whether the ledger was opened for reading only (its file or folder cannot be written).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn open_in_memory() -> Result<Ledger> {
        let mut conn = connection::open_memory()?;
        let migration = migrate::migrate_to(&mut conn, None, migrate::latest_version())?;
        Ok(Ledger {
            conn,
            path: None,
            migration,
            turns: None,
            on_wait: None,
            read_only: false,
        })
    }

    /// Who hears when a write has to wait for another writer (`turns.rs`).
    pub fn set_wait_hook(&mut self, on_wait: Option<WaitHook>) {
        self.on_wait = on_wait;
    }

    /// Who hears when a write has to wait, if anyone.
    pub fn wait_hook(&self) -> Option<WaitHook> {
        self.on_wait.clone()
    }

    /// Waits for this writer's turn (see `turns.rs`); `what` tells writers behind what it is doing.
    fn turn(&self, what: &str) -> Result<Option<Turn>> {
        if self.read_only {
            return Err(LedgerError::ReadOnly {
                path: self.path.clone().unwrap_or_default(),
            });
        }
        self.turns
            .as_ref()
            .map(|t| t.take(what, self.on_wait.as_ref()))
            .transpose()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What opening did to the schema.
    pub fn migration(&self) -> &MigrationReport {
        &self.migration
    }

    /// A read-only view on the writer connection, for queries between writes.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Starts an import batch; nothing it writes is visible until it commits.
    /// Waits for its turn to write (saying so through the wait hook), then begins the batch.
    pub fn begin_batch(&mut self, start: &BatchStart) -> Result<BatchWriter<'_>> {
        let turn = self.turn(&format!("importing {}", start.file_name))?;
        BatchWriter::begin(&mut self.conn, start, turn, self.on_wait.as_ref())
    }

    /// The time zone whose calendar days the rollups, and so every report and series, count in.
    pub fn zone(&self) -> Result<tributary_model::Zone> {
        rollup_zone::stored(&self.conn)
    }

    /// Counts days in `zone` from now on. When that is not the rollups' zone already, every rollup is
    /// rebuilt from the events in it, in one transaction (a writer's turn): readers see the old days or
    /// the new, never a mix. True when the rollups were rebuilt.
    pub fn set_zone(&mut self, zone: &tributary_model::Zone) -> Result<bool> {
        if self.zone()? == *zone {
            return Ok(false);
        }
        let turn = self.turn(&format!("counting days in {zone}"))?;
        let tx = batches::begin_immediate(&self.conn, self.on_wait.as_ref())?;
        // Another process may have rebuilt them in this zone while this one waited.
        if rollup_zone::stored(&tx)? == *zone {
            return Ok(false);
        }
        rollup_zone::rebuild(&tx, zone)?;
        tx.commit()?;
        drop(turn);
        Ok(true)
    }

    /// The zone the creator chose for this ledger over the system's, if any.
    pub fn chosen_zone(&self) -> Result<Option<tributary_model::Zone>> {
        rollup_zone::chosen(&self.conn)
    }

    /// Records the creator's zone (None: follow the system's). Counting in it is `set_zone`'s.
    pub fn choose_zone(&mut self, zone: Option<&tributary_model::Zone>) -> Result<()> {
        let turn = self.turn("choosing the time zone")?;
        let tx = batches::begin_immediate(&self.conn, self.on_wait.as_ref())?;
        rollup_zone::choose(&tx, zone)?;
        tx.commit()?;
        drop(turn);
        Ok(())
    }

    pub fn undo_batch(&mut self, id: i64) -> Result<UndoReport> {
        let turn = self.turn(&format!("undoing import batch {id}"))?;
        batches::undo(&mut self.conn, id, turn, self.on_wait.as_ref())
    }

    /// What undoing batch `id` would change in the figures, per currency, without undoing it.
    pub fn undo_preview(&mut self, id: i64) -> Result<Vec<Figures>> {
        let turn = self.turn(&format!(
            "working out what undoing import batch {id} takes out"
        ))?;
        batches::undo_effect(&mut self.conn, id, turn, self.on_wait.as_ref())
    }

    // Connections and their sync runs (connections.rs, sync_runs.rs, sync_writer.rs).

    /// Makes a connection, or makes the one this platform account already has active again.
    pub fn connect(&mut self, new: &NewConnection) -> Result<Connected> {
        let turn = self.turn(&format!("connecting {}", new.platform))?;
        let tx = batches::begin_immediate(&self.conn, self.on_wait.as_ref())?;
        let connected = connections::connect(&tx, new)?;
        tx.commit()?;
        drop(turn);
        Ok(connected)
    }

    pub fn connections(&self) -> Result<Vec<ConnectionRecord>> {
        connections::list(&self.conn)
    }

    /// Renames a connection; its runs, events and secret stay with it (they hang on its id).
    pub fn rename_connection(&mut self, name: &str, new_name: &str) -> Result<ConnectionRecord> {
        let turn = self.turn("renaming a connection")?;
        let tx = batches::begin_immediate(&self.conn, self.on_wait.as_ref())?;
        let record = connections::rename(&tx, name, new_name)?;
        tx.commit()?;
        drop(turn);
        Ok(record)
    }

    /// The ledger accounts that hold events of `platform` (from files or connections), by name.
    pub fn accounts_of(&self, platform: &str) -> Result<Vec<String>> {
        connections::accounts_of(&self.conn, platform)
    }

    /// The connection with this name (or id).
    pub fn find_connection(&self, name: &str) -> Result<ConnectionRecord> {
        connections::find(&self.conn, name)?
            .ok_or_else(|| LedgerError::ConnectionNotFound(name.to_string()))
    }

    /// The connector's saved position of connection `id`.
    pub fn connection_cursor(&self, id: i64) -> Result<Option<String>> {
        connections::cursor(&self.conn, id)
    }

    /// Puts a connection in `state` (`active`, `paused`, `needs_reconnect`, `disconnected`).
    pub fn set_connection_state(
        &mut self,
        id: i64,
        state: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        let turn = self.turn("changing a connection")?;
        let tx = batches::begin_immediate(&self.conn, self.on_wait.as_ref())?;
        connections::set_state(&tx, id, state, reason)?;
        tx.commit()?;
        drop(turn);
        Ok(())
    }

    /// Frees connection `id`'s lease if `holder` still holds it: for a holder the caller knows is gone
    /// (its process died: SIGKILL, a crash, a power cut), so that the next sync need not wait out the
    /// lease. Its run is marked interrupted when the next one starts.
    pub fn release_connection_lease(&mut self, id: i64, holder: &str) -> Result<()> {
        let turn = self.turn("freeing a sync's lease")?;
        connections::release_lease(&self.conn, id, holder)?;
        drop(turn);
        Ok(())
    }

    pub(crate) fn in_small_transaction<T>(
        &mut self,
        what: &str,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let turn = self.turn(what)?;
        let tx = batches::begin_immediate(&self.conn, self.on_wait.as_ref())?;
        let out = work(&tx)?;
        tx.commit()?;
        drop(turn);
        Ok(out)
    }

    /// Holds connection `id`'s lease for `owner` until `until` without starting a run (a dry run
    /// renewing its sign-in): refused, naming the holder, while another holds it.
    pub fn take_connection_lease(&mut self, id: i64, owner: &str, until: UtcInstant) -> Result<()> {
        self.in_small_transaction(
            "taking a connection's lease",
            |tx| match connections::take_lease(tx, id, owner, until)? {
                Ok(()) => Ok(()),
                Err((holder, until)) => Err(LedgerError::ConnectionBusy {
                    name: connections::get(tx, id).map_or_else(|_| id.to_string(), |r| r.name),
                    holder,
                    until: until.to_rfc3339(),
                }),
            },
        )
    }

    /// Starts a sync run of connection `id` for `owner` (refused while another holds its lease).
    pub fn start_sync_run(
        &mut self,
        id: i64,
        full: bool,
        owner: &str,
        lease_until: UtcInstant,
    ) -> Result<RunStart> {
        self.in_small_transaction("starting a sync", |tx| {
            sync_runs::start(tx, id, full, owner, lease_until)
        })
    }

    /// One page of run `run_id`, in a transaction of its own.
    pub fn begin_sync_page(&mut self, run_id: i64, what: &str) -> Result<SyncPageWriter<'_>> {
        let turn = self.turn(what)?;
        SyncPageWriter::begin(&mut self.conn, run_id, turn, self.on_wait.as_ref())
    }

    /// A dry run of connection `id`: every page into one writer that `preview` rolls back.
    pub fn begin_sync_preview(&mut self, id: i64, what: &str) -> Result<SyncPageWriter<'_>> {
        let turn = self.turn(what)?;
        sync_writer::begin_preview(&mut self.conn, id, turn, self.on_wait.as_ref())
    }

    /// Ends run `run_id` (succeeded, or failed with `failure`), keeping the requests of the page that
    /// failed, and releases the connection's lease.
    pub fn finish_sync_run(
        &mut self,
        run_id: i64,
        owner: &str,
        requests: &[RequestRow],
        failure: Option<&RunFailure>,
    ) -> Result<SyncRunRecord> {
        let turn = self.turn("finishing a sync")?;
        let tx = batches::begin_immediate(&self.conn, self.on_wait.as_ref())?;
        sync_runs::record_requests(&tx, run_id, requests)?;
        let record = sync_runs::finish(&tx, run_id, owner, failure)?;
        tx.commit()?;
        drop(turn);
        Ok(record)
    }

    /// Ends run `run_id` as interrupted (the process is stopping), keeping its whole pages and the
    /// requests of the page it gave up, and releases the connection's lease.
    pub fn interrupt_sync_run(
        &mut self,
        run_id: i64,
        owner: &str,
        requests: &[RequestRow],
    ) -> Result<SyncRunRecord> {
        self.in_small_transaction("stopping a sync", |tx| {
            sync_runs::record_requests(tx, run_id, requests)?;
            sync_runs::interrupt(tx, run_id, owner)
        })
    }

    pub fn sync_run(&self, id: i64) -> Result<Option<SyncRunRecord>> {
        sync_runs::run(&self.conn, id)
    }

    /// A connection's runs, newest first.
    pub fn sync_runs(&self, connection: i64, limit: u32) -> Result<Vec<SyncRunRecord>> {
        sync_runs::runs(&self.conn, connection, limit)
    }

    pub fn sync_requests(&self, run_id: i64) -> Result<Vec<RequestRow>> {
        sync_runs::requests(&self.conn, run_id)
    }

    pub fn undo_sync_run(&mut self, id: i64) -> Result<SyncUndoReport> {
        let turn = self.turn(&format!("undoing sync run {id}"))?;
        sync_runs::undo(&mut self.conn, id, turn, self.on_wait.as_ref())
    }

    pub fn batches(&self) -> Result<Vec<BatchRecord>> {
        batches::list(&self.conn)
    }

    pub fn batch(&self, id: i64) -> Result<Option<BatchRecord>> {
        batches::batch(&self.conn, id)
    }

    pub fn batch_errors(&self, id: i64) -> Result<Vec<RowError>> {
        batches::errors(&self.conn, id)
    }

    pub fn report(&self, query: &ReportQuery) -> Result<Report> {
        reports::report(&self.conn, query)
    }

    /// Every period whose estimates still count (no final figures yet), with the files they came from.
    pub fn still_estimated(&self) -> Result<Vec<EstimatedPeriod>> {
        estimates::still_estimated(&self.conn)
    }

    /// The first and last day each platform has counted events on.
    pub fn coverage(&self) -> Result<Vec<PlatformCoverage>> {
        coverage::coverage(&self.conn)
    }

    /// Net revenue per bucket, platform and currency over the days `from..=to`.
    pub fn series(
        &self,
        from: Option<tributary_model::Day>,
        to: Option<tributary_model::Day>,
        bucket: Bucket,
    ) -> Result<Vec<SeriesPoint>> {
        series::series(&self.conn, from, to, bucket)
    }

    pub fn status(&self) -> Result<LedgerStatus> {
        status::status(&self.conn)
    }

    pub fn has_events(&self) -> Result<bool> {
        status::has_events(&self.conn)
    }

    pub fn schema_version(&self) -> Result<i64> {
        migrate::current_version(&self.conn)
    }

    /// When the last import still in the ledger finished (RFC 3339).
    pub fn last_import(&self) -> Result<Option<String>> {
        status::last_import(&self.conn)
    }

    /// A read transaction: the statements run until it is dropped all see one state of the file,
    /// whatever other connections commit meanwhile.
    pub fn snapshot(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.unchecked_transaction()?)
    }

    pub fn change_counter(&self) -> Result<i64> {
        status::change_counter(&self.conn)
    }

    /// Streams every event, oldest recorded first.
    pub fn for_each_event<E: From<LedgerError>>(
        &self,
        each: impl FnMut(StoredEvent) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        events::for_each(&self.conn, each)
    }
}

/// Report functions over any connection (a reader's, for instance).
pub fn report_on(conn: &Connection, query: &ReportQuery) -> Result<Report> {
    reports::report(conn, query)
}
