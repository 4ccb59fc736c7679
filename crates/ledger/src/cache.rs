//! A cache with a time to live and rate-limit counters per key and fixed window (migration 11), in
//! the ledger file so every process on the data folder shares them. Times are the caller's `now`.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use tributary_model::UtcInstant;

use crate::error::Result;

/// The value under `key`, unless it has expired.
pub(crate) fn get(conn: &Connection, key: &str, now: UtcInstant) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM cache WHERE key = ?1 AND expires_at > ?2",
            params![key, now.millis()],
            |r| r.get(0),
        )
        .optional()?)
}

pub(crate) fn set(
    tx: &Transaction<'_>,
    key: &str,
    value: &str,
    expires_at: UtcInstant,
) -> Result<()> {
    tx.execute(
        "INSERT INTO cache (key, value, expires_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
        params![key, value, expires_at.millis()],
    )?;
    Ok(())
}

/// Whether there was a value to forget.
pub(crate) fn invalidate(tx: &Transaction<'_>, key: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM cache WHERE key = ?1", [key])? > 0)
}

/// Deletes expired entries, and counters of windows that have ended; how many of each.
pub(crate) fn sweep(tx: &Transaction<'_>, now: UtcInstant) -> Result<(u64, u64)> {
    let entries = tx.execute("DELETE FROM cache WHERE expires_at <= ?1", [now.millis()])?;
    // A counter's window is over once a longer one could not still be counting it: a day is the
    // longest window the callers use.
    let counters = tx.execute(
        "DELETE FROM rate_counters WHERE window_start < ?1",
        [now.millis() - 86_400_000],
    )?;
    Ok((entries as u64, counters as u64))
}

/// Counts one request against `key`'s `limit` per window of `window_ms` (fixed windows from the
/// epoch): whether it is allowed, and how many the window has counted, this one included. A refused
/// one is not counted.
pub(crate) fn hit(
    tx: &Transaction<'_>,
    key: &str,
    window_ms: i64,
    limit: u32,
    now: UtcInstant,
) -> Result<(bool, u32)> {
    let window = window_ms.max(1);
    let start = now.millis().div_euclid(window) * window;
    let count: u32 = tx
        .query_row(
            "SELECT count FROM rate_counters WHERE key = ?1 AND window_start = ?2",
            params![key, start],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    if count >= limit {
        return Ok((false, count));
    }
    tx.execute(
        "INSERT INTO rate_counters (key, window_start, count) VALUES (?1, ?2, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1",
        params![key, start],
    )?;
    Ok((true, count + 1))
}

impl crate::Ledger {
    /// The cached value under `key`, unless it expired.
    pub fn cache_get(&self, key: &str, now: UtcInstant) -> Result<Option<String>> {
        get(&self.conn, key, now)
    }

    /// Caches `value` under `key` until `expires_at`.
    pub fn cache_set(&mut self, key: &str, value: &str, expires_at: UtcInstant) -> Result<()> {
        self.in_small_transaction("caching a value", |tx| set(tx, key, value, expires_at))
    }

    /// Forgets `key`; whether there was a value.
    pub fn cache_invalidate(&mut self, key: &str) -> Result<bool> {
        self.in_small_transaction("forgetting a cached value", |tx| invalidate(tx, key))
    }

    /// Deletes expired cache entries and ended rate windows: (entries, counters) removed.
    pub fn cache_sweep(&mut self, now: UtcInstant) -> Result<(u64, u64)> {
        self.in_small_transaction("sweeping the cache", |tx| sweep(tx, now))
    }

    /// Counts a request against `key`'s `limit` per `window_ms`: allowed, and the window's count.
    pub fn rate_hit(
        &mut self,
        key: &str,
        window_ms: i64,
        limit: u32,
        now: UtcInstant,
    ) -> Result<(bool, u32)> {
        self.in_small_transaction("counting a request", |tx| {
            hit(tx, key, window_ms, limit, now)
        })
    }
}
