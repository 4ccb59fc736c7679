//! Idempotent event writes inside one transaction: a new identity is inserted, an identical repeat is
//! counted as a duplicate, a changed one is updated with its previous version kept as a revision. Every
//! stored version remembers which batch (and line) or sync run wrote it.

use crate::deliveries;
use crate::error::{LedgerError, Result};
use crate::fingerprint::{content_hash, identity_hash, VersionView};
use crate::magnitude::{self, Magnitudes, MAX_MAGNITUDE};
use crate::rollups::{Contribution, RollupDeltas};
use crate::settlement;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, OptionalExtension, Statement, Transaction};
use rustc_hash::FxHashMap as HashMap;
use tributary_model::{EventKind, Money, NewEvent, RowError, UtcInstant};

/// Who wrote a version of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    Batch(i64),
    SyncRun(i64),
}

impl Provenance {
    pub(crate) fn batch_id(self) -> Option<i64> {
        match self {
            Provenance::Batch(id) => Some(id),
            Provenance::SyncRun(_) => None,
        }
    }

    pub(crate) fn sync_run_id(self) -> Option<i64> {
        match self {
            Provenance::SyncRun(id) => Some(id),
            Provenance::Batch(_) => None,
        }
    }

    /// The provenance column of `events` (and the tables beside it) that names this, and the id in it.
    pub(crate) fn column(self) -> (&'static str, i64) {
        match self {
            Provenance::Batch(id) => ("batch_id", id),
            Provenance::SyncRun(id) => ("sync_run_id", id),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Inserted,
    Updated,
    Duplicate,
    /// Nothing was written: a value is past what the ledger takes (`NewEvent::out_of_bounds`), or the
    /// row would take its currency's sums past what the ledger can add up exactly.
    Rejected(RowError),
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
pub(crate) struct StoredValues {
    pub(crate) kind: String,
    pub(crate) occurred_at: i64,
    pub(crate) product_id: Option<String>,
    pub(crate) product_name: Option<String>,
    pub(crate) quantity: i64,
    pub(crate) currency: String,
    pub(crate) gross_minor: i64,
    pub(crate) fees_minor: i64,
    pub(crate) net_minor: i64,
    pub(crate) buyer_email: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) raw: Option<String>,
    pub(crate) period: Option<String>,
    pub(crate) estimated: bool,
}

impl StoredValues {
    pub(crate) fn view(&self) -> VersionView<'_> {
        VersionView {
            kind: &self.kind,
            occurred_at: self.occurred_at,
            product_id: self.product_id.as_deref(),
            product_name: self.product_name.as_deref(),
            quantity: self.quantity,
            currency: &self.currency,
            gross_minor: self.gross_minor,
            fees_minor: self.fees_minor,
            net_minor: self.net_minor,
            buyer_email: self.buyer_email.as_deref(),
            country: self.country.as_deref(),
            raw: self.raw.as_deref(),
            settlement: self.settled(),
        }
    }

    /// The settled period and whether this version is an estimate of it.
    fn settled(&self) -> Option<(&str, bool)> {
        self.period.as_deref().map(|p| (p, self.estimated))
    }

    pub(crate) fn contribution<'a>(&'a self, platform: &'a str) -> Result<Contribution<'a>> {
        Ok(Contribution {
            occurred_at: UtcInstant::from_millis(self.occurred_at),
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
            period: self.period.as_deref(),
            estimated: self.estimated,
        })
    }
}

/// Columns of `events` and `event_revisions` that hold a version's values, in `StoredValues` order.
pub(crate) const VALUE_COLUMNS: &str =
    "kind, occurred_at, product_id, product_name, quantity, currency, \
     gross_minor, fees_minor, net_minor, buyer_email, country, raw, period, estimated";

/// Inserts a new identity (?1 source, ?2 external id, ?3 identity hash) with its first version (?4 its
/// content hash, ?5..?22 values and provenance).
const INSERT_VERSION: &str = "INSERT INTO events (source_id, external_id, identity_hash, content_hash, kind,
         occurred_at, product_id, product_name, quantity, currency, gross_minor, fees_minor, net_minor,
         buyer_email, country, raw, period, estimated, batch_id, sync_run_id, source_line, recorded_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
         ?21, ?22)";

/// The rows that may hold the identity with hash ?1, from the index alone: id and content hash.
const CANDIDATES: &str = "SELECT id, content_hash FROM events WHERE identity_hash = ?1";

/// A candidate row's identity and current version: source, external id, then the `VALUE_COLUMNS`.
const CANDIDATE_ROW: &str =
    "SELECT source_id, external_id, kind, occurred_at, product_id, product_name, quantity, currency,
         gross_minor, fees_minor, net_minor, buyer_email, country, raw, period, estimated
     FROM events WHERE id = ?1";

/// Copies the current version of event ?1 into its history, stamped as replaced at ?2.
const KEEP_REVISION: &str = "INSERT INTO event_revisions (event_id, kind, occurred_at, product_id, product_name,
         quantity, currency, gross_minor, fees_minor, net_minor, buyer_email, country, raw, period, estimated,
         batch_id, sync_run_id, source_line, recorded_at, superseded_at)
     SELECT id, kind, occurred_at, product_id, product_name, quantity, currency, gross_minor, fees_minor,
         net_minor, buyer_email, country, raw, period, estimated, batch_id, sync_run_id, source_line,
         recorded_at, ?2
     FROM events WHERE id = ?1";

/// Replaces the current version of event ?1 with the values and provenance in ?2..?19 and their content
/// hash ?20.
pub(crate) const REPLACE_VERSION: &str = "UPDATE events SET kind = ?2, occurred_at = ?3, product_id = ?4, product_name = ?5,
         quantity = ?6, currency = ?7, gross_minor = ?8, fees_minor = ?9, net_minor = ?10, buyer_email = ?11,
         country = ?12, raw = ?13, period = ?14, estimated = ?15, batch_id = ?16, sync_run_id = ?17,
         source_line = ?18, recorded_at = ?19, content_hash = ?20
     WHERE id = ?1";

/// Whether the stored version in `row` (two other columns, then `VALUE_COLUMNS`) has exactly the values
/// of `e`.
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
    Ok(text(2, Some(e.kind.as_str()))?
        && int(3, e.occurred_at.millis())?
        && text(4, e.product_id.as_deref())?
        && text(5, e.product_name.as_deref())?
        && int(6, e.quantity)?
        && text(7, Some(e.currency.code()))?
        && int(8, e.gross_minor)?
        && int(9, e.fees_minor)?
        && int(10, e.net_minor)?
        && text(11, e.buyer_email.as_deref())?
        && text(12, e.country.as_deref())?
        && text(13, e.raw.as_deref())?
        && text(14, e.settlement.as_ref().map(|s| s.period.as_str()))?
        && int(
            15,
            e.settlement.as_ref().is_some_and(|s| s.estimated).into(),
        )?)
}

pub(crate) fn read_values(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<StoredValues> {
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
        period: row.get(first + 12)?,
        estimated: row.get::<_, i64>(first + 13)? != 0,
    })
}

fn view_of(e: &NewEvent) -> VersionView<'_> {
    VersionView {
        kind: e.kind.as_str(),
        occurred_at: e.occurred_at.millis(),
        product_id: e.product_id.as_deref(),
        product_name: e.product_name.as_deref(),
        quantity: e.quantity,
        currency: e.currency.code(),
        gross_minor: e.gross_minor,
        fees_minor: e.fees_minor,
        net_minor: e.net_minor,
        buyer_email: e.buyer_email.as_deref(),
        country: e.country.as_deref(),
        raw: e.raw.as_deref(),
        settlement: settled(e),
    }
}

/// `e`'s settled period and whether it is an estimate of it.
fn settled(e: &NewEvent) -> Option<(&str, bool)> {
    e.settlement
        .as_ref()
        .map(|s| (s.period.as_str(), s.estimated))
}

/// What the ledger holds for a new row's identity.
enum Stored {
    Absent,
    /// The current version (of this event id) has exactly the new row's values.
    Same(i64),
    /// The current version (its event id and values) differs.
    Other(i64, Box<StoredValues>),
}

fn contribution_of(e: &NewEvent) -> Contribution<'_> {
    Contribution {
        occurred_at: e.occurred_at,
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
        period: e.settlement.as_ref().map(|s| s.period.as_str()),
        estimated: e.settlement.as_ref().is_some_and(|s| s.estimated),
    }
}

/// Writes events into an open transaction and keeps the rollups in step with them.
pub struct EventWriter<'c> {
    /// The two statements every row runs, prepared once for the whole transaction.
    candidates: Statement<'c>,
    insert: Statement<'c>,
    /// A duplicate's delivery (the whole of a re-import), prepared once too.
    deliver: Statement<'c>,
    /// Rows that share the identity hash of the row being written but not its content hash.
    differing: Vec<i64>,
    /// The content hash's encoding buffer, reused row after row.
    scratch: Vec<u8>,
    provenance: Provenance,
    recorded_at: i64,
    /// The first event id this transaction gives a new identity: a duplicate of a row at or past it was
    /// written by this same batch, and is no other delivery.
    first_new_id: i64,
    magnitudes: Magnitudes,
    /// platform → account → source id.
    sources: HashMap<String, HashMap<String, i64>>,
    rollups: RollupDeltas,
    counts: WriteCounts,
}

impl<'c> EventWriter<'c> {
    /// A writer for the transaction open on `conn`.
    pub fn new(conn: &'c Connection, provenance: Provenance) -> Result<EventWriter<'c>> {
        Ok(EventWriter {
            candidates: conn.prepare(CANDIDATES)?,
            deliver: conn.prepare(deliveries::RECORD)?,
            insert: conn.prepare(INSERT_VERSION)?,
            differing: Vec::new(),
            scratch: Vec::new(),
            provenance,
            recorded_at: UtcInstant::now().millis(),
            first_new_id: conn.query_row(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM events",
                [],
                |r| r.get(0),
            )?,
            magnitudes: Magnitudes::default(),
            sources: HashMap::default(),
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
    ) -> [ToSqlOutput<'e>; 18] {
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
            text(e.settlement.as_ref().map(|s| s.period.as_str())),
            int(Some(
                e.settlement.as_ref().is_some_and(|s| s.estimated).into(),
            )),
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
        (hash, content): (i64, i64),
        e: &NewEvent,
    ) -> Result<()> {
        let key = [
            ToSqlOutput::from(source_id),
            ToSqlOutput::from(e.external_id.as_str()),
            ToSqlOutput::from(hash),
            ToSqlOutput::from(content),
        ];
        let values = Self::version_values(self.provenance, self.recorded_at, e);
        self.insert
            .execute(params_from_iter(key.into_iter().chain(values)))?;
        settlement::enter(tx, &mut self.rollups, source_id, &contribution_of(e))?;
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

    /// What is stored for `e`'s identity. An identical repeat (the whole of a re-import) is told from the
    /// index alone; only a row whose content differs is read, and checked to be the same identity.
    /// A repeat's event id comes with it, for its delivery.
    fn find(
        &mut self,
        tx: &Transaction<'_>,
        source_id: i64,
        (hash, content): (i64, i64),
        e: &NewEvent,
    ) -> Result<Stored> {
        self.differing.clear();
        let mut rows = self.candidates.query([hash])?;
        while let Some(row) = rows.next()? {
            if row.get::<_, i64>(1)? == content {
                return Ok(Stored::Same(row.get(0)?));
            }
            self.differing.push(row.get(0)?);
        }
        drop(rows);
        if self.differing.is_empty() {
            return Ok(Stored::Absent);
        }
        let mut read = tx.prepare_cached(CANDIDATE_ROW)?;
        for &id in &self.differing {
            let found = read
                .query_row([id], |row| {
                    let same_identity = row.get_ref(0)? == ValueRef::Integer(source_id)
                        && row.get_ref(1)? == ValueRef::Text(e.external_id.as_bytes());
                    Ok(if !same_identity {
                        None
                    } else if stored_equals(row, e)? {
                        // Equal values under another content hash: only a row edited outside
                        // Tributary could be so; it is still a repeat.
                        Some(Stored::Same(id))
                    } else {
                        Some(Stored::Other(id, Box::new(read_values(row, 2)?)))
                    })
                })
                .optional()?
                .flatten();
            if let Some(stored) = found {
                return Ok(stored);
            }
        }
        Ok(Stored::Absent)
    }

    /// Counts the magnitude of a version about to be stored, or refuses the row that would take its
    /// currency's sums past the bound.
    fn admit(&mut self, tx: &Transaction<'_>, e: &NewEvent) -> Result<Option<RowError>> {
        let values = magnitude::values(e.gross_minor, e.fees_minor, e.net_minor, e.quantity);
        Ok(
            match self.magnitudes.admit(tx, e.currency.code(), values)? {
                Ok(()) => None,
                Err(exceeded) => Some(RowError {
                    line: e.source_line,
                    column: Some(exceeded.field.to_string()),
                    message: format!(
                    "with this row, the {} amounts in the ledger would add up past what it can \
                     sum exactly ({}); undo an import in {} first",
                    e.currency,
                    if exceeded.field == "quantity" {
                        format!("{MAX_MAGNITUDE} units")
                    } else {
                        Money::from_minor(MAX_MAGNITUDE, e.currency).to_string()
                    },
                    e.currency
                ),
                }),
            },
        )
    }

    pub fn write(&mut self, tx: &Transaction<'_>, e: &NewEvent) -> Result<WriteOutcome> {
        if let Some(refused) = e.out_of_bounds() {
            return Ok(WriteOutcome::Rejected(refused));
        }
        let source_id = self.source_id(tx, &e.platform, &e.account)?;
        let hashes = (
            identity_hash(source_id, &e.external_id),
            content_hash(source_id, &e.external_id, &view_of(e), &mut self.scratch),
        );
        let stored = self.find(tx, source_id, hashes, e)?;
        if !matches!(stored, Stored::Same(_)) {
            if let Some(refused) = self.admit(tx, e)? {
                return Ok(WriteOutcome::Rejected(refused));
            }
        }
        match stored {
            Stored::Absent => {
                self.insert(tx, source_id, hashes, e)?;
                Ok(WriteOutcome::Inserted)
            }
            Stored::Same(id) => {
                if id < self.first_new_id {
                    let line = e.source_line.and_then(|l| i64::try_from(l).ok());
                    deliveries::record(&mut self.deliver, id, self.provenance, line)?;
                }
                self.counts.duplicates += 1;
                Ok(WriteOutcome::Duplicate)
            }
            Stored::Other(id, old) => {
                settlement::leave(
                    tx,
                    &mut self.rollups,
                    source_id,
                    &old.contribution(&e.platform)?,
                )?;
                tx.prepare_cached(KEEP_REVISION)?
                    .execute([id, self.recorded_at])?;
                deliveries::follow_to_revision(tx, id, tx.last_insert_rowid())?;
                tx.prepare_cached(REPLACE_VERSION)?
                    .execute(params_from_iter(
                        std::iter::once(ToSqlOutput::from(id))
                            .chain(Self::version_values(self.provenance, self.recorded_at, e))
                            .chain(std::iter::once(ToSqlOutput::from(hashes.1))),
                    ))?;
                settlement::enter(tx, &mut self.rollups, source_id, &contribution_of(e))?;
                self.counts.updated += 1;
                Ok(WriteOutcome::Updated)
            }
        }
    }

    /// Writes the pending rollup changes and bumps the change counter; call once, before commit.
    pub fn finish(mut self, tx: &Transaction<'_>) -> Result<WriteCounts> {
        self.rollups.flush(tx)?;
        self.magnitudes.flush(tx)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BatchEnd, BatchStart, Ledger};
    use tributary_model::Currency;

    fn event(id: &str, gross: i64) -> NewEvent {
        NewEvent {
            platform: "gumroad".into(),
            account: "main".into(),
            external_id: id.into(),
            kind: EventKind::Sale,
            occurred_at: UtcInstant::from_millis(1_700_000_000_000),
            product_id: Some("p1".into()),
            product_name: None,
            quantity: 1,
            currency: Currency::from_code("EUR").unwrap(),
            gross_minor: gross,
            fees_minor: 0,
            net_minor: gross,
            buyer_email: None,
            country: Some("FR".into()),
            raw: None,
            source_line: None,
            settlement: None,
        }
    }

    fn import(ledger: &mut Ledger, events: &[NewEvent]) -> i64 {
        let start = BatchStart {
            file_name: "t.csv".into(),
            file_path: None,
            format: "ledger-csv".into(),
        };
        let mut batch = ledger.begin_batch(&start).unwrap();
        for e in events {
            batch.write(e).unwrap();
        }
        batch.commit(&BatchEnd::default()).unwrap().id
    }

    /// Events whose stored hashes differ from those of their stored identity and values.
    fn untrue_hashes(ledger: &Ledger) -> Vec<String> {
        let mut scratch = Vec::new();
        ledger
            .connection()
            .prepare(&format!(
                "SELECT source_id, external_id, identity_hash, content_hash, {VALUE_COLUMNS} FROM events"
            ))
            .unwrap()
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                    read_values(row, 4)?,
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .filter(|(source, id, identity, content, values)| {
                identity_hash(*source, id) != *identity
                    || content_hash(*source, id, &values.view(), &mut scratch) != *content
            })
            .map(|(_, id, ..)| id)
            .collect()
    }

    #[test]
    fn inserts_updates_and_undo_keep_both_hashes_true() {
        let mut ledger = Ledger::open_in_memory().unwrap();
        import(&mut ledger, &[event("a", 100), event("b", 200)]);
        let update = import(&mut ledger, &[event("a", 150), event("c", 300)]);
        import(&mut ledger, &[event("b", 250)]);
        assert_eq!(untrue_hashes(&ledger), Vec::<String>::new());
        ledger.undo_batch(update).unwrap();
        let amounts: Vec<(String, i64)> = ledger
            .connection()
            .prepare("SELECT external_id, gross_minor FROM events ORDER BY external_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(amounts, [("a".into(), 100), ("b".into(), 250)]);
        assert_eq!(untrue_hashes(&ledger), Vec::<String>::new());
    }
}
