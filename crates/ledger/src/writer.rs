//! Idempotent event writes inside one transaction: a new identity is inserted, an identical repeat is
//! counted as a duplicate, a changed one is updated with its previous version kept as a revision. Every
//! stored version remembers which batch (and line) or sync run wrote it.

use crate::error::{LedgerError, Result};
use crate::rollups::{Contribution, RollupDeltas};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, OptionalExtension, Statement, Transaction};
use std::collections::HashMap;
use tributary_model::{EventKind, NewEvent, UtcInstant};

/// Who wrote a version of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    Batch(i64),
    SyncRun(i64),
}

impl Provenance {
    fn batch_id(self) -> Option<i64> {
        match self {
            Provenance::Batch(id) => Some(id),
            Provenance::SyncRun(_) => None,
        }
    }

    fn sync_run_id(self) -> Option<i64> {
        match self {
            Provenance::SyncRun(id) => Some(id),
            Provenance::Batch(_) => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Inserted,
    Updated,
    Duplicate,
}

/// How many rows each outcome had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteCounts {
    pub inserted: u64,
    pub updated: u64,
    pub duplicates: u64,
}

/// The values of a stored version that decide whether a new row changes it.
#[derive(PartialEq, Eq)]
struct StoredValues {
    kind: String,
    occurred_at: i64,
    product_id: Option<String>,
    product_name: Option<String>,
    quantity: i64,
    currency: String,
    gross_minor: i64,
    fees_minor: i64,
    net_minor: i64,
    buyer_email: Option<String>,
    country: Option<String>,
    raw: Option<String>,
}

impl StoredValues {
    fn contribution<'a>(&'a self, platform: &'a str) -> Result<Contribution<'a>> {
        Ok(Contribution {
            epoch_day: UtcInstant::from_millis(self.occurred_at).epoch_day(),
            platform,
            currency: &self.currency,
            kind: self
                .kind
                .parse::<EventKind>()
                .map_err(|e| LedgerError::Corrupt(e.to_string()))?,
            product_id: self.product_id.as_deref(),
            product_name: self.product_name.as_deref(),
            country: self.country.as_deref(),
            quantity: self.quantity,
            gross_minor: self.gross_minor,
            fees_minor: self.fees_minor,
            net_minor: self.net_minor,
        })
    }
}

/// Columns of `events` and `event_revisions` that hold a version's values, in `StoredValues` order.
pub(crate) const VALUE_COLUMNS: &str =
    "kind, occurred_at, product_id, product_name, quantity, currency, \
     gross_minor, fees_minor, net_minor, buyer_email, country, raw";

/// Inserts a new identity (?1 source, ?2 external id, ?3 its hash) with its first version (?4..?19).
const INSERT_VERSION: &str = "INSERT INTO events (source_id, external_id, identity_hash, kind, occurred_at,
         product_id, product_name, quantity, currency, gross_minor, fees_minor, net_minor, buyer_email,
         country, raw, batch_id, sync_run_id, source_line, recorded_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

/// The current version of an identity (?1 its hash, ?2 source, ?3 external id): id, then the
/// `VALUE_COLUMNS`. The hash finds the row through the index; the source and external id rule out
/// another identity with the same hash.
const LOOKUP: &str =
    "SELECT id, kind, occurred_at, product_id, product_name, quantity, currency, gross_minor,
         fees_minor, net_minor, buyer_email, country, raw
     FROM events WHERE identity_hash = ?1 AND source_id = ?2 AND external_id = ?3";

/// The indexed key of the identity (`source_id`, `external_id`): stored in `events.identity_hash`.
/// XXH3 is specified and stable, so keys written by one version of Tributary are found by the next.
pub fn identity_hash(source_id: i64, external_id: &str) -> i64 {
    // The bits are kept as they are: SQLite's integers are signed.
    xxhash_rust::xxh3::xxh3_64_with_seed(external_id.as_bytes(), source_id as u64) as i64
}

/// Copies the current version of event ?1 into its history, stamped as replaced at ?2.
const KEEP_REVISION: &str = "INSERT INTO event_revisions (event_id, kind, occurred_at, product_id, product_name,
         quantity, currency, gross_minor, fees_minor, net_minor, buyer_email, country, raw, batch_id,
         sync_run_id, source_line, recorded_at, superseded_at)
     SELECT id, kind, occurred_at, product_id, product_name, quantity, currency, gross_minor, fees_minor,
         net_minor, buyer_email, country, raw, batch_id, sync_run_id, source_line, recorded_at, ?2
     FROM events WHERE id = ?1";

/// Replaces the current version of event ?1 with the values and provenance in ?2..?17.
const REPLACE_VERSION: &str = "UPDATE events SET kind = ?2, occurred_at = ?3, product_id = ?4, product_name = ?5,
         quantity = ?6, currency = ?7, gross_minor = ?8, fees_minor = ?9, net_minor = ?10, buyer_email = ?11,
         country = ?12, raw = ?13, batch_id = ?14, sync_run_id = ?15, source_line = ?16, recorded_at = ?17
     WHERE id = ?1";

/// Whether the stored version in `row` (id, then `VALUE_COLUMNS`) has exactly the values of `e`.
fn stored_equals(row: &rusqlite::Row<'_>, e: &NewEvent) -> rusqlite::Result<bool> {
    use rusqlite::types::ValueRef;
    let text = |i: usize, want: Option<&str>| -> rusqlite::Result<bool> {
        Ok(match row.get_ref(i)? {
            ValueRef::Null => want.is_none(),
            ValueRef::Text(t) => want.map(str::as_bytes) == Some(t),
            _ => false,
        })
    };
    let int = |i: usize, want: i64| -> rusqlite::Result<bool> {
        Ok(row.get_ref(i)? == ValueRef::Integer(want))
    };
    Ok(text(1, Some(e.kind.as_str()))?
        && int(2, e.occurred_at.millis())?
        && text(3, e.product_id.as_deref())?
        && text(4, e.product_name.as_deref())?
        && int(5, e.quantity)?
        && text(6, Some(e.currency.code()))?
        && int(7, e.gross_minor)?
        && int(8, e.fees_minor)?
        && int(9, e.net_minor)?
        && text(10, e.buyer_email.as_deref())?
        && text(11, e.country.as_deref())?
        && text(12, e.raw.as_deref())?)
}

fn read_values(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<StoredValues> {
    Ok(StoredValues {
        kind: row.get(first)?,
        occurred_at: row.get(first + 1)?,
        product_id: row.get(first + 2)?,
        product_name: row.get(first + 3)?,
        quantity: row.get(first + 4)?,
        currency: row.get(first + 5)?,
        gross_minor: row.get(first + 6)?,
        fees_minor: row.get(first + 7)?,
        net_minor: row.get(first + 8)?,
        buyer_email: row.get(first + 9)?,
        country: row.get(first + 10)?,
        raw: row.get(first + 11)?,
    })
}

fn contribution_of(e: &NewEvent) -> Contribution<'_> {
    Contribution {
        epoch_day: e.occurred_at.epoch_day(),
        platform: &e.platform,
        currency: e.currency.code(),
        kind: e.kind,
        product_id: e.product_id.as_deref(),
        product_name: e.product_name.as_deref(),
        country: e.country.as_deref(),
        quantity: e.quantity,
        gross_minor: e.gross_minor,
        fees_minor: e.fees_minor,
        net_minor: e.net_minor,
    }
}

/// Writes events into an open transaction and keeps the rollups in step with them.
pub struct EventWriter<'c> {
    /// The two statements every row runs, prepared once for the whole transaction.
    lookup: Statement<'c>,
    insert: Statement<'c>,
    provenance: Provenance,
    recorded_at: i64,
    /// platform → account → source id.
    sources: HashMap<String, HashMap<String, i64>>,
    rollups: RollupDeltas,
    counts: WriteCounts,
}

impl<'c> EventWriter<'c> {
    /// A writer for the transaction open on `conn`.
    pub fn new(conn: &'c Connection, provenance: Provenance) -> Result<EventWriter<'c>> {
        Ok(EventWriter {
            lookup: conn.prepare(LOOKUP)?,
            insert: conn.prepare(INSERT_VERSION)?,
            provenance,
            recorded_at: UtcInstant::now().millis(),
            sources: HashMap::new(),
            rollups: RollupDeltas::default(),
            counts: WriteCounts::default(),
        })
    }

    pub fn counts(&self) -> WriteCounts {
        self.counts
    }

    /// The values and provenance of a new version of `e`, in the order `INSERT_VERSION` (after its key)
    /// and `REPLACE_VERSION` (after the id) take them. Borrowed: nothing is copied per row.
    fn version_values<'e>(
        provenance: Provenance,
        recorded_at: i64,
        e: &'e NewEvent,
    ) -> [ToSqlOutput<'e>; 16] {
        let text = |t: Option<&'e str>| match t {
            Some(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            None => ToSqlOutput::Borrowed(ValueRef::Null),
        };
        let int = |i: Option<i64>| match i {
            Some(i) => ToSqlOutput::from(i),
            None => ToSqlOutput::Borrowed(ValueRef::Null),
        };
        [
            text(Some(e.kind.as_str())),
            int(Some(e.occurred_at.millis())),
            text(e.product_id.as_deref()),
            text(e.product_name.as_deref()),
            int(Some(e.quantity)),
            text(Some(e.currency.code())),
            int(Some(e.gross_minor)),
            int(Some(e.fees_minor)),
            int(Some(e.net_minor)),
            text(e.buyer_email.as_deref()),
            text(e.country.as_deref()),
            text(e.raw.as_deref()),
            int(provenance.batch_id()),
            int(provenance.sync_run_id()),
            int(e.source_line.and_then(|l| i64::try_from(l).ok())),
            int(Some(recorded_at)),
        ]
    }

    /// Inserts `e` as a new identity, known not to be stored yet.
    fn insert(
        &mut self,
        tx: &Transaction<'_>,
        source_id: i64,
        hash: i64,
        e: &NewEvent,
    ) -> Result<()> {
        let key = [
            ToSqlOutput::from(source_id),
            ToSqlOutput::from(e.external_id.as_str()),
            ToSqlOutput::from(hash),
        ];
        let values = Self::version_values(self.provenance, self.recorded_at, e);
        self.insert
            .execute(params_from_iter(key.into_iter().chain(values)))?;
        self.rollups.record(tx, &contribution_of(e), 1)?;
        self.counts.inserted += 1;
        Ok(())
    }

    fn source_id(&mut self, tx: &Transaction<'_>, platform: &str, account: &str) -> Result<i64> {
        if let Some(&id) = self.sources.get(platform).and_then(|a| a.get(account)) {
            return Ok(id);
        }
        tx.prepare_cached("INSERT OR IGNORE INTO sources (platform, account) VALUES (?1, ?2)")?
            .execute([platform, account])?;
        let id: i64 = tx
            .prepare_cached("SELECT id FROM sources WHERE platform = ?1 AND account = ?2")?
            .query_row([platform, account], |r| r.get(0))?;
        self.sources
            .entry(platform.to_string())
            .or_default()
            .insert(account.to_string(), id);
        Ok(id)
    }

    pub fn write(&mut self, tx: &Transaction<'_>, e: &NewEvent) -> Result<WriteOutcome> {
        let source_id = self.source_id(tx, &e.platform, &e.account)?;
        let hash = identity_hash(source_id, &e.external_id);
        // Compared in place: a duplicate (the common case on re-import) allocates nothing.
        let existing = self
            .lookup
            .query_row(rusqlite::params![hash, source_id, e.external_id], |row| {
                let id = row.get::<_, i64>(0)?;
                Ok(if stored_equals(row, e)? {
                    (id, None)
                } else {
                    (id, Some(read_values(row, 1)?))
                })
            })
            .optional()?;
        match existing {
            None => {
                self.insert(tx, source_id, hash, e)?;
                Ok(WriteOutcome::Inserted)
            }
            Some((_, None)) => {
                self.counts.duplicates += 1;
                Ok(WriteOutcome::Duplicate)
            }
            Some((id, Some(old))) => {
                tx.prepare_cached(KEEP_REVISION)?
                    .execute([id, self.recorded_at])?;
                tx.prepare_cached(REPLACE_VERSION)?
                    .execute(params_from_iter(
                        std::iter::once(ToSqlOutput::from(id)).chain(Self::version_values(
                            self.provenance,
                            self.recorded_at,
                            e,
                        )),
                    ))?;
                self.rollups
                    .record(tx, &old.contribution(&e.platform)?, -1)?;
                self.rollups.record(tx, &contribution_of(e), 1)?;
                self.counts.updated += 1;
                Ok(WriteOutcome::Updated)
            }
        }
    }

    /// Writes the pending rollup changes and bumps the change counter; call once, before commit.
    pub fn finish(mut self, tx: &Transaction<'_>) -> Result<WriteCounts> {
        self.rollups.flush(tx)?;
        bump_change_counter(tx)?;
        Ok(self.counts)
    }
}

pub(crate) fn bump_change_counter(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE change_counter SET value = value + 1 WHERE id = 1",
        [],
    )?;
    Ok(())
}

/// Puts back the previous version of every event whose current version `provenance` wrote (deleting the
/// events it first created) and forgets the versions it wrote that were later replaced.
pub(crate) fn remove_versions(
    tx: &Transaction<'_>,
    provenance: Provenance,
) -> Result<RemovedCounts> {
    let (column, id) = match provenance {
        Provenance::Batch(id) => ("batch_id", id),
        Provenance::SyncRun(id) => ("sync_run_id", id),
    };
    let mut counts = RemovedCounts {
        forgotten_revisions: tx.execute(
            &format!("DELETE FROM event_revisions WHERE {column} = ?1"),
            [id],
        )? as u64,
        ..RemovedCounts::default()
    };
    let current: Vec<(i64, String, StoredValues)> = tx
        .prepare(&format!(
            "SELECT e.id, s.platform, {} FROM events e JOIN sources s ON s.id = e.source_id WHERE e.{column} = ?1",
            VALUE_COLUMNS
                .split(", ")
                .map(|c| format!("e.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?
        .query_map([id], |row| Ok((row.get(0)?, row.get(1)?, read_values(row, 2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut rollups = RollupDeltas::default();
    let mut previous_of = tx.prepare_cached(&format!(
        "SELECT id, {VALUE_COLUMNS}, batch_id, sync_run_id, source_line, recorded_at
         FROM event_revisions WHERE event_id = ?1 ORDER BY id DESC LIMIT 1"
    ))?;
    for (event_id, platform, values) in &current {
        rollups.record(tx, &values.contribution(platform)?, -1)?;
        let previous = previous_of
            .query_row([event_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    read_values(row, 1)?,
                    (
                        row.get::<_, Option<i64>>(13)?,
                        row.get::<_, Option<i64>>(14)?,
                        row.get::<_, Option<i64>>(15)?,
                        row.get::<_, i64>(16)?,
                    ),
                ))
            })
            .optional()?;
        match previous {
            Some((revision_id, old, (batch_id, sync_run_id, line, recorded_at))) => {
                tx.prepare_cached(REPLACE_VERSION)?
                    .execute(rusqlite::params![
                        event_id,
                        old.kind,
                        old.occurred_at,
                        old.product_id,
                        old.product_name,
                        old.quantity,
                        old.currency,
                        old.gross_minor,
                        old.fees_minor,
                        old.net_minor,
                        old.buyer_email,
                        old.country,
                        old.raw,
                        batch_id,
                        sync_run_id,
                        line,
                        recorded_at
                    ])?;
                tx.prepare_cached("DELETE FROM event_revisions WHERE id = ?1")?
                    .execute([revision_id])?;
                rollups.record(tx, &old.contribution(platform)?, 1)?;
                counts.restored += 1;
            }
            None => {
                tx.prepare_cached("DELETE FROM events WHERE id = ?1")?
                    .execute([event_id])?;
                counts.removed += 1;
            }
        }
    }
    rollups.flush(tx)?;
    bump_change_counter(tx)?;
    Ok(counts)
}

/// What removing a batch's or sync run's versions did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RemovedCounts {
    /// Events that only this batch had written, now gone.
    pub removed: u64,
    /// Events this batch had changed, now back to their previous version.
    pub restored: u64,
    /// Earlier versions this batch had written that a later batch had already replaced.
    pub forgotten_revisions: u64,
}
