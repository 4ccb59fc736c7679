//! The bound that keeps every sum the ledger makes exact. Per currency, `magnitudes` holds the sum of
//! the absolute values (gross, fees, net, quantity) of every stored version, current or replaced. A rollup
//! row, a report's total, a dry run's difference: each is a sum over some of those versions, so none can
//! be larger than the magnitude. A row that would take a magnitude past `MAX_MAGNITUDE` is refused, as a
//! row error, before anything of it is written; that bound is a quarter of what an INTEGER holds, so a
//! transaction's pending deltas (what enters plus what leaves) cannot pass it either.
//!
//! Updates add the new version (the old one stays stored, as a revision); undo subtracts what it deletes
//! and never adds, since a version it restores was counted when it was first written.

use crate::error::Result;
use rusqlite::{OptionalExtension, Transaction};

/// The most a currency's magnitude may reach: 2⁶¹ minor units (23 quadrillion dollars), against the
/// 10¹⁵ one amount may be (`tributary_model::MAX_ROW_MINOR`): room for millions of the largest rows.
pub const MAX_MAGNITUDE: i64 = 1 << 61;

/// The fields a magnitude is kept for, in `values` order.
const FIELDS: [&str; 4] = ["gross", "fees", "net", "quantity"];

/// A version's absolute values: gross, fees, net, quantity.
pub(crate) type Values = [i64; 4];

/// A version's values as its magnitude counts them.
pub(crate) fn values(gross: i64, fees: i64, net: i64, quantity: i64) -> Values {
    [gross, fees, net, quantity]
}

/// A row that would take its currency's magnitude past the bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exceeded {
    /// The field that would pass the bound (`gross`, `fees`, `net`, `quantity`).
    pub field: &'static str,
}

struct Entry {
    currency: String,
    stored: [i128; 4],
    pending: [i128; 4],
}

/// The magnitudes a transaction has touched: what was stored when it first met each currency, and what it
/// has added or taken away since.
#[derive(Default)]
pub(crate) struct Magnitudes {
    entries: Vec<Entry>,
}

fn absolute(values: Values) -> [i128; 4] {
    values.map(|v| i128::from(v.unsigned_abs()))
}

impl Magnitudes {
    /// The entry of `currency`, read from the table the first time.
    fn entry(&mut self, tx: &Transaction<'_>, currency: &str) -> Result<&mut Entry> {
        // A ledger has a handful of currencies: a scan beats hashing.
        let at = match self.entries.iter().position(|e| e.currency == currency) {
            Some(at) => at,
            None => {
                let stored: [i64; 4] = tx
                    .prepare_cached(
                        "SELECT gross_minor, fees_minor, net_minor, quantity FROM magnitudes
                         WHERE currency = ?1",
                    )?
                    .query_row([currency], |r| {
                        Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
                    })
                    .optional()?
                    .unwrap_or_default();
                self.entries.push(Entry {
                    currency: currency.to_string(),
                    stored: stored.map(i128::from),
                    pending: [0; 4],
                });
                self.entries.len() - 1
            }
        };
        Ok(&mut self.entries[at])
    }

    /// Counts a version about to be stored, or says which of its fields would pass the bound (and then
    /// counts nothing).
    pub(crate) fn admit(
        &mut self,
        tx: &Transaction<'_>,
        currency: &str,
        values: Values,
    ) -> Result<std::result::Result<(), Exceeded>> {
        let entry = self.entry(tx, currency)?;
        let added = absolute(values);
        for (i, field) in FIELDS.iter().enumerate() {
            if entry.stored[i] + entry.pending[i] + added[i] > i128::from(MAX_MAGNITUDE) {
                return Ok(Err(Exceeded { field }));
            }
        }
        for (pending, added) in entry.pending.iter_mut().zip(added) {
            *pending += added;
        }
        Ok(Ok(()))
    }

    /// Stops counting a version that is being deleted.
    pub(crate) fn release(
        &mut self,
        tx: &Transaction<'_>,
        currency: &str,
        values: Values,
    ) -> Result<()> {
        let entry = self.entry(tx, currency)?;
        for (pending, removed) in entry.pending.iter_mut().zip(absolute(values)) {
            *pending -= removed;
        }
        Ok(())
    }

    /// Writes the magnitudes that changed; call once, before commit.
    pub(crate) fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO magnitudes (currency, gross_minor, fees_minor, net_minor, quantity)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (currency) DO UPDATE SET gross_minor = excluded.gross_minor,
                 fees_minor = excluded.fees_minor, net_minor = excluded.net_minor,
                 quantity = excluded.quantity",
        )?;
        for entry in self.entries.drain(..) {
            if entry.pending == [0; 4] {
                continue;
            }
            // Within [0, MAX_MAGNITUDE] by construction; clamped so that a ledger edited by hand
            // cannot make this fail.
            let now: [i64; 4] = std::array::from_fn(|i| {
                let total = (entry.stored[i] + entry.pending[i]).max(0);
                i64::try_from(total).unwrap_or(i64::MAX)
            });
            upsert.execute(rusqlite::params![
                entry.currency,
                now[0],
                now[1],
                now[2],
                now[3]
            ])?;
        }
        Ok(())
    }
}
