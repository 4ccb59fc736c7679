//! Rollup deltas: what a write transaction adds to (or takes from) the daily rollup tables, summed in
//! memory per key and written once per key before the transaction commits. Rows reach the rollups only
//! through here, so inserts, updates and undo all count the same way.

use crate::error::Result;
use rusqlite::Transaction;
use std::collections::HashMap;
use tributary_model::{Day, EventKind};

/// Past this many keys in memory the deltas are written out early (still inside the transaction), so
/// that a file with millions of distinct products stays in bounded memory.
const MAX_KEYS_IN_MEMORY: usize = 50_000;

/// The figures a rollup row sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub gross_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
    pub refunds_minor: i64,
    pub units: i64,
    pub kenp_pages: i64,
    pub events: i64,
}

impl Sums {
    /// A delta that changes nothing (an event written and rewritten within one transaction).
    fn is_zero(&self) -> bool {
        *self == Sums::default()
    }

    fn add(&mut self, other: &Sums) {
        self.gross_minor += other.gross_minor;
        self.fees_minor += other.fees_minor;
        self.net_minor += other.net_minor;
        self.refunds_minor += other.refunds_minor;
        self.units += other.units;
        self.kenp_pages += other.kenp_pages;
        self.events += other.events;
    }
}

/// One event as the rollups see it.
pub struct Contribution<'a> {
    pub epoch_day: i64,
    pub platform: &'a str,
    pub currency: &'a str,
    pub kind: EventKind,
    pub product_id: Option<&'a str>,
    pub product_name: Option<&'a str>,
    pub country: Option<&'a str>,
    pub quantity: i64,
    pub gross_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
}

impl Contribution<'_> {
    fn sums(&self, sign: i64) -> Sums {
        Sums {
            gross_minor: sign * self.gross_minor,
            fees_minor: sign * self.fees_minor,
            net_minor: sign * self.net_minor,
            refunds_minor: if self.kind.is_reversal() {
                sign * self.net_minor
            } else {
                0
            },
            units: if self.kind.counts_units() {
                sign * self.quantity
            } else {
                0
            },
            kenp_pages: if self.kind == EventKind::KenpRead {
                sign * self.quantity
            } else {
                0
            },
            events: sign,
        }
    }

    /// The product a rollup groups by: its id, else its name, else '' (unknown).
    fn product_key(&self) -> &str {
        self.product_id
            .filter(|s| !s.is_empty())
            .or(self.product_name.filter(|s| !s.is_empty()))
            .unwrap_or("")
    }
}

/// Small strings seen often (platforms, currencies, products, countries) stored once, keyed by index.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// Pending changes to the three rollup tables.
#[derive(Default)]
pub struct RollupDeltas {
    strings: Interner,
    daily: HashMap<(i64, u32, u32), Sums>,
    by_product: HashMap<(i64, u32, u32, u32), (Sums, Option<u32>)>,
    by_country: HashMap<(i64, u32, u32), Sums>,
}

impl RollupDeltas {
    /// Counts an event in (`sign` = 1) or out (`sign` = -1), writing out early if memory runs high.
    pub fn record(&mut self, tx: &Transaction<'_>, c: &Contribution<'_>, sign: i64) -> Result<()> {
        if !c.kind.is_revenue() {
            return Ok(());
        }
        let sums = c.sums(sign);
        let platform = self.strings.id(c.platform);
        let currency = self.strings.id(c.currency);
        let product = self.strings.id(c.product_key());
        let name = c.product_name.map(|n| self.strings.id(n));
        let country = self.strings.id(c.country.unwrap_or(""));
        self.daily
            .entry((c.epoch_day, platform, currency))
            .or_default()
            .add(&sums);
        let entry = self
            .by_product
            .entry((c.epoch_day, platform, product, currency))
            .or_default();
        entry.0.add(&sums);
        if sign > 0 && name.is_some() {
            entry.1 = name;
        }
        self.by_country
            .entry((c.epoch_day, country, currency))
            .or_default()
            .add(&sums);
        if self.daily.len() + self.by_product.len() + self.by_country.len() > MAX_KEYS_IN_MEMORY {
            self.flush(tx)?;
        }
        Ok(())
    }

    /// Adds every pending delta to its rollup row and drops rows that no event counts any more.
    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let day = |d: i64| Day::from_epoch_day(d).map(|d| d.iso()).unwrap_or_default();
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO rollup_daily (day, platform, currency, gross_minor, fees_minor, net_minor,
                                           refunds_minor, units, kenp_pages, events)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (day, platform, currency) DO UPDATE SET
                     gross_minor = gross_minor + excluded.gross_minor,
                     fees_minor = fees_minor + excluded.fees_minor,
                     net_minor = net_minor + excluded.net_minor,
                     refunds_minor = refunds_minor + excluded.refunds_minor,
                     units = units + excluded.units,
                     kenp_pages = kenp_pages + excluded.kenp_pages,
                     events = events + excluded.events",
            )?;
            for (&(d, platform, currency), s) in &self.daily {
                if s.is_zero() {
                    continue;
                }
                upsert.execute(rusqlite::params![
                    day(d),
                    self.strings.name(platform),
                    self.strings.name(currency),
                    s.gross_minor,
                    s.fees_minor,
                    s.net_minor,
                    s.refunds_minor,
                    s.units,
                    s.kenp_pages,
                    s.events
                ])?;
            }
        }
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO rollup_daily_product (day, platform, product_key, currency, product_name,
                                                   gross_minor, fees_minor, net_minor, refunds_minor,
                                                   units, kenp_pages, events)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (day, platform, product_key, currency) DO UPDATE SET
                     product_name = COALESCE(excluded.product_name, product_name),
                     gross_minor = gross_minor + excluded.gross_minor,
                     fees_minor = fees_minor + excluded.fees_minor,
                     net_minor = net_minor + excluded.net_minor,
                     refunds_minor = refunds_minor + excluded.refunds_minor,
                     units = units + excluded.units,
                     kenp_pages = kenp_pages + excluded.kenp_pages,
                     events = events + excluded.events",
            )?;
            for (&(d, platform, product, currency), (s, name)) in &self.by_product {
                if s.is_zero() {
                    continue;
                }
                upsert.execute(rusqlite::params![
                    day(d),
                    self.strings.name(platform),
                    self.strings.name(product),
                    self.strings.name(currency),
                    name.map(|n| self.strings.name(n)),
                    s.gross_minor,
                    s.fees_minor,
                    s.net_minor,
                    s.refunds_minor,
                    s.units,
                    s.kenp_pages,
                    s.events
                ])?;
            }
        }
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO rollup_daily_country (day, country, currency, gross_minor, fees_minor,
                                                   net_minor, refunds_minor, units, kenp_pages, events)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (day, country, currency) DO UPDATE SET
                     gross_minor = gross_minor + excluded.gross_minor,
                     fees_minor = fees_minor + excluded.fees_minor,
                     net_minor = net_minor + excluded.net_minor,
                     refunds_minor = refunds_minor + excluded.refunds_minor,
                     units = units + excluded.units,
                     kenp_pages = kenp_pages + excluded.kenp_pages,
                     events = events + excluded.events",
            )?;
            for (&(d, country, currency), s) in &self.by_country {
                if s.is_zero() {
                    continue;
                }
                upsert.execute(rusqlite::params![
                    day(d),
                    self.strings.name(country),
                    self.strings.name(currency),
                    s.gross_minor,
                    s.fees_minor,
                    s.net_minor,
                    s.refunds_minor,
                    s.units,
                    s.kenp_pages,
                    s.events
                ])?;
            }
        }
        let any_removal = self
            .daily
            .values()
            .chain(self.by_country.values())
            .chain(self.by_product.values().map(|(s, _)| s))
            .any(|s| s.events < 0);
        if any_removal {
            tx.execute_batch(
                "DELETE FROM rollup_daily WHERE events = 0;
                 DELETE FROM rollup_daily_product WHERE events = 0;
                 DELETE FROM rollup_daily_country WHERE events = 0;",
            )?;
        }
        self.daily.clear();
        self.by_product.clear();
        self.by_country.clear();
        Ok(())
    }
}
