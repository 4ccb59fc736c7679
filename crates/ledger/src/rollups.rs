//! Rollup deltas: what a write transaction adds to (or takes from) the rollup tables, summed per key
//! and written once per key before the transaction commits. Rows reach the rollups only through here,
//! so inserts, updates and undo all count the same way.
//!
//! The writer turns each event into key ids (`rollup_keys`) and hands them to a worker thread
//! (`rollup_worker.rs`) that sums them, spilling sorted runs past its memory (`rollup_runs.rs`), and
//! at the end sends back each table's rows in the table's order, which the writer upserts: each rollup
//! row is written once, however large the import.

use crate::connection::{set_cache_bytes, MIN_CACHE_BYTES, WRITER_CACHE_BYTES};
use crate::error::{LedgerError, Result};
use crate::figures::{EventMoney, SUM_COUNT};
use crate::rollup_worker::{Delta, Merged, Tables, Worker, BATCH};
use crate::rollup_zone;
use rusqlite::{CachedStatement, OptionalExtension, Transaction};
use rustc_hash::FxHashMap as HashMap;
use tributary_model::{EventKind, UtcInstant, Zone};

/// Bytes the pending deltas of all breakdowns may take together, out of the writer's page cache: past
/// it, the breakdown about to grow spills its deltas to disk as a sorted run. Small, since a spill costs
/// little (sequential writes, read back once) and the page cache is what keeps an import off the disk.
const DELTA_BYTES_BUDGET: usize = 6 << 20;

/// The figures a rollup row sums (`figures.rs` says what each is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub money: EventMoney,
    pub units: i64,
    pub kenp_pages: i64,
    pub events: i64,
    /// Of `events`, the estimates (of a period not yet settled).
    pub estimated: i64,
}

impl Sums {
    /// A delta that changes nothing (an event written and rewritten within one transaction).
    fn is_zero(&self) -> bool {
        *self == Sums::default()
    }

    /// The sums in the order of the rollup tables' columns (`SUM_COLUMNS` in `figures.rs`).
    pub(crate) fn to_array(self) -> [i64; SUM_COUNT] {
        let m = self.money;
        [
            m.sales_minor,
            m.refunds_minor,
            m.chargebacks_minor,
            m.fees_minor,
            m.net_minor,
            self.units,
            self.kenp_pages,
            self.events,
            self.estimated,
        ]
    }

    /// The sums from `to_array`'s order.
    pub(crate) fn from_array(
        [sales_minor, refunds_minor, chargebacks_minor, fees_minor, net_minor, units, kenp_pages, events, estimated]: [i64; SUM_COUNT],
    ) -> Sums {
        Sums {
            money: EventMoney {
                sales_minor,
                refunds_minor,
                chargebacks_minor,
                fees_minor,
                net_minor,
            },
            units,
            kenp_pages,
            events,
            estimated,
        }
    }

    pub(crate) fn add(&mut self, other: &Sums) {
        self.money.add(&other.money);
        self.units += other.units;
        self.kenp_pages += other.kenp_pages;
        self.events += other.events;
        self.estimated += other.estimated;
    }
}

/// One event as the rollups see it.
#[derive(Clone)]
pub struct Contribution<'a> {
    /// When it happened; the rollups count it on its day in their zone (`rollup_zone.rs`).
    pub occurred_at: UtcInstant,
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
    /// The period a platform settles as a whole that the event belongs to (`settlement.rs`).
    pub period: Option<&'a str>,
    /// An estimate that final figures of its period will replace.
    pub estimated: bool,
}

impl Contribution<'_> {
    fn sums(&self, sign: i64) -> Sums {
        Sums {
            money: EventMoney::of(self.kind, self.gross_minor, self.fees_minor, self.net_minor)
                .times(sign),
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
            estimated: if self.estimated { sign } else { 0 },
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

/// A rollup table and the statement that adds a delta to one of its rows. The statement's parameters are
/// the key columns (period first: a day's number, or its month's first day's), then the nine sums.
struct RollupTable {
    name: &'static str,
    /// How many key columns the table has, period included.
    key_columns: usize,
    upsert: &'static str,
}

macro_rules! rollup_upsert {
    ($table:literal, $keys:literal, $values:literal) => {
        concat!(
            "INSERT INTO ", $table, " (", $keys,
            ", sales_minor, refunds_minor, chargebacks_minor, fees_minor, net_minor, units, kenp_pages, events, estimated) VALUES (", $values,
            ") ON CONFLICT (", $keys, ") DO UPDATE SET ",
            "sales_minor = sales_minor + excluded.sales_minor, refunds_minor = refunds_minor + excluded.refunds_minor, ",
            "chargebacks_minor = chargebacks_minor + excluded.chargebacks_minor, fees_minor = fees_minor + excluded.fees_minor, ",
            "net_minor = net_minor + excluded.net_minor, ",
            "units = units + excluded.units, kenp_pages = kenp_pages + excluded.kenp_pages, ",
            "events = events + excluded.events, estimated = estimated + excluded.estimated"
        )
    };
}

const TABLES: [RollupTable; 6] = [
    RollupTable {
        name: "rollup_daily",
        key_columns: 3,
        upsert: rollup_upsert!(
            "rollup_daily",
            "day, platform, currency",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12"
        ),
    },
    RollupTable {
        name: "rollup_daily_product",
        key_columns: 4,
        upsert: rollup_upsert!(
            "rollup_daily_product",
            "day, platform, product, currency",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13"
        ),
    },
    RollupTable {
        name: "rollup_daily_country",
        key_columns: 3,
        upsert: rollup_upsert!(
            "rollup_daily_country",
            "day, country, currency",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12"
        ),
    },
    RollupTable {
        name: "rollup_monthly",
        key_columns: 3,
        upsert: rollup_upsert!(
            "rollup_monthly",
            "month, platform, currency",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12"
        ),
    },
    RollupTable {
        name: "rollup_monthly_product",
        key_columns: 4,
        upsert: rollup_upsert!(
            "rollup_monthly_product",
            "month, platform, product, currency",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13"
        ),
    },
    RollupTable {
        name: "rollup_monthly_country",
        key_columns: 3,
        upsert: rollup_upsert!(
            "rollup_monthly_country",
            "month, country, currency",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12"
        ),
    },
];

/// Every table the rollups write: the six tables of sums, and products' names.
pub(crate) fn table_names() -> impl Iterator<Item = &'static str> {
    TABLES
        .iter()
        .map(|t| t.name)
        .chain(["rollup_product_names"])
}

/// Adds `sums` to the row of `table` at `keys` (period first; as many as the table has). True when the
/// row loses events (it may then count none).
fn upsert(
    statement: &mut CachedStatement<'_>,
    table: &RollupTable,
    keys: [i64; 4],
    sums: &Sums,
) -> Result<bool> {
    if sums.is_zero() {
        return Ok(false);
    }
    let figures = sums.to_array();
    let values: Vec<&dyn rusqlite::ToSql> = keys[..table.key_columns]
        .iter()
        .chain(figures.iter())
        .map(|v| v as &dyn rusqlite::ToSql)
        .collect();
    statement.execute(values.as_slice())?;
    Ok(sums.events < 0)
}

/// Platforms, product keys, currencies and countries as the ids the rollup tables are keyed by
/// (`rollup_keys`): each text looked up, or added, once per transaction.
#[derive(Default)]
struct Keys {
    ids: HashMap<String, u32>,
}

impl Keys {
    fn id(&mut self, tx: &Transaction<'_>, text: &str) -> Result<u32> {
        if let Some(&id) = self.ids.get(text) {
            return Ok(id);
        }
        let found: Option<i64> = tx
            .prepare_cached("SELECT id FROM rollup_keys WHERE text = ?1")?
            .query_row([text], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                tx.prepare_cached("INSERT INTO rollup_keys (text) VALUES (?1)")?
                    .execute([text])?;
                tx.last_insert_rowid()
            }
        };
        let id = u32::try_from(id)
            .map_err(|_| LedgerError::Corrupt(format!("rollup key id {id} out of range")))?;
        self.ids.insert(text.to_string(), id);
        Ok(id)
    }
}

/// Products' names, seen often and written once per product: interned for the transaction only.
#[derive(Default)]
struct Names {
    ids: HashMap<String, u32>,
    texts: Vec<String>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }
}

/// Pending changes to the rollup tables: the key ids of each event counted in or out, batched to the
/// worker thread that sums them (`rollup_worker.rs`), and at the end its merged rows, upserted here.
pub struct RollupDeltas {
    /// `DELTA_BYTES_BUDGET`, except in tests that make early writes happen.
    budget: usize,
    keys: Keys,
    names: Names,
    /// Deltas not yet sent to the worker.
    pending: Vec<Delta>,
    /// Started with the first delta.
    worker: Option<Worker>,
    /// The worker's bytes when the page cache was last sized for them.
    cache_sized_for: usize,
    /// The zone whose days the rollups count in: the ledger's, read with the first delta.
    zone: Option<Zone>,
}

impl Default for RollupDeltas {
    fn default() -> RollupDeltas {
        RollupDeltas {
            budget: DELTA_BYTES_BUDGET,
            keys: Keys::default(),
            names: Names::default(),
            pending: Vec::new(),
            worker: None,
            cache_sized_for: 0,
            zone: None,
        }
    }
}

/// Where the product breakdown's rows go (indexes into `TABLES`), and the platform rollups summed
/// from it.
const BY_PRODUCT: Tables = Tables {
    daily: 1,
    monthly: 4,
    summed: Some((0, 3)),
};
const BY_COUNTRY: Tables = Tables {
    daily: 2,
    monthly: 5,
    summed: None,
};

impl RollupDeltas {
    /// Deltas counted in `zone`'s days, whatever the ledger's zone is (a rebuild in a new zone).
    pub(crate) fn in_zone(zone: Zone) -> RollupDeltas {
        RollupDeltas {
            zone: Some(zone),
            ..RollupDeltas::default()
        }
    }

    /// Counts an event in (`sign` = 1) or out (`sign` = -1).
    pub fn record(&mut self, tx: &Transaction<'_>, c: &Contribution<'_>, sign: i64) -> Result<()> {
        if !c.kind.is_revenue() {
            return Ok(());
        }
        let zone = match &self.zone {
            Some(zone) => zone,
            None => self.zone.insert(rollup_zone::stored(tx)?),
        };
        let delta = Delta {
            day: zone.epoch_day(c.occurred_at),
            platform: self.keys.id(tx, c.platform)?,
            product: self.keys.id(tx, c.product_key())?,
            currency: self.keys.id(tx, c.currency)?,
            country: self.keys.id(tx, c.country.unwrap_or(""))?,
            // Only a version being counted in names its product; one being taken out says nothing new.
            name: match c.product_name {
                Some(n) if sign > 0 => Some(self.names.id(n)),
                _ => None,
            },
            sums: c.sums(sign),
        };
        self.pending.push(delta);
        if self.pending.len() >= BATCH {
            self.send(tx)?;
        }
        Ok(())
    }

    /// Sends the pending deltas to the worker (starting it), and sizes the page cache for what the
    /// worker holds.
    fn send(&mut self, tx: &Transaction<'_>) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let worker = match &mut self.worker {
            Some(worker) => worker,
            none => none.insert(Worker::start(
                tx.path(),
                self.budget,
                BY_PRODUCT,
                BY_COUNTRY,
            )?),
        };
        worker.add(std::mem::replace(
            &mut self.pending,
            Vec::with_capacity(BATCH),
        ))?;
        let held = worker.bytes();
        // Resized when the maps have grown or shrunk by a megabyte: a resize is a pragma.
        if held.abs_diff(self.cache_sized_for) >= 1 << 20 {
            // The page cache gives up what the deltas took.
            set_cache_bytes(
                tx,
                WRITER_CACHE_BYTES.saturating_sub(held).max(MIN_CACHE_BYTES),
            )?;
            self.cache_sized_for = held;
        }
        Ok(())
    }

    /// Writes every pending delta, and the name each product was last seen with, drops rollup rows that
    /// no event counts any more, and gives the memory the deltas held back to the page cache.
    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        self.send(tx)?;
        let Some(worker) = self.worker.take() else {
            return Ok(());
        };
        let mut removed = false;
        let mut names = None;
        for merged in worker.merge()? {
            match merged {
                Merged::Rows { table, rows } => {
                    let table = &TABLES[table];
                    let mut statement = tx.prepare_cached(table.upsert)?;
                    for (keys, sums) in &rows {
                        removed |= upsert(&mut statement, table, *keys, sums)?;
                    }
                }
                Merged::Done(latest) => {
                    names = Some(latest);
                    break;
                }
                Merged::Failed(e) => return Err(e),
            }
        }
        drop(worker);
        // A worker that ends without saying it is done has not sent every row.
        let names = names.ok_or_else(|| {
            LedgerError::Spill("the thread summing the rollups stopped before it was done".into())
        })?;
        let mut name_row = tx.prepare_cached(
            "INSERT INTO rollup_product_names (platform, product, name, day) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (platform, product) DO UPDATE SET name = excluded.name, day = excluded.day
             WHERE excluded.day >= rollup_product_names.day",
        )?;
        for ((platform, product), (name, day)) in names {
            name_row.execute(rusqlite::params![
                platform,
                product,
                self.names.text(name),
                day
            ])?;
        }
        set_cache_bytes(tx, WRITER_CACHE_BYTES)?;
        self.cache_sized_for = 0;
        if removed {
            for table in &TABLES {
                tx.execute(&format!("DELETE FROM {} WHERE events = 0", table.name), [])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ledger;

    fn contributions() -> Vec<(Contribution<'static>, i64)> {
        const PLATFORMS: [&str; 3] = ["stripe", "gumroad", "kdp"];
        const PRODUCTS: [Option<&str>; 4] = [Some("p1"), Some("p2"), None, Some("p4")];
        const COUNTRIES: [Option<&str>; 3] = [Some("DE"), None, Some("US")];
        // A product's name changes from one event to the next, as platforms' titles do.
        const NAMES: [&str; 5] = ["A name", "Renamed", "Third", "Fourth", "Fifth"];
        const KINDS: [EventKind; 4] = [
            EventKind::Sale,
            EventKind::Refund,
            EventKind::KenpRead,
            EventKind::Payout,
        ];
        let counted: Vec<Contribution<'static>> = (0..3_000i64)
            .map(|i| Contribution {
                occurred_at: UtcInstant::from_millis((19_700 + (i * 7919) % 400) * 86_400_000 + i),
                platform: PLATFORMS[(i % 3) as usize],
                currency: if i % 5 == 0 { "EUR" } else { "USD" },
                kind: KINDS[(i % 4) as usize],
                product_id: PRODUCTS[(i % 4) as usize],
                product_name: PRODUCTS[(i % 4) as usize].map(|_| NAMES[(i % 5) as usize]),
                country: COUNTRIES[(i % 3) as usize],
                quantity: 1 + i % 3,
                gross_minor: 100 + i,
                fees_minor: 10,
                net_minor: 90 + i,
                period: None,
                estimated: i % 11 == 0,
            })
            .collect();
        // Every seventh step takes an event counted three steps earlier back out, as an update or an
        // undo does (and is not counted itself).
        (0..counted.len())
            .map(|i| {
                if i % 7 == 6 {
                    (counted[i - 3].clone(), -1)
                } else {
                    (counted[i].clone(), 1)
                }
            })
            .collect()
    }

    fn tables_after(budget: usize) -> Vec<Vec<String>> {
        let ledger = Ledger::open_in_memory().unwrap();
        let tx = ledger.connection().unchecked_transaction().unwrap();
        let mut deltas = RollupDeltas {
            budget,
            ..RollupDeltas::default()
        };
        for (c, sign) in contributions() {
            deltas.record(&tx, &c, sign).unwrap();
        }
        deltas.flush(&tx).unwrap();
        table_names()
            .map(|table| {
                let mut rows = tx
                    .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3, 4"))
                    .unwrap();
                let columns = rows.column_count();
                rows.query_map([], |r| {
                    let mut line = Vec::new();
                    for i in 0..columns {
                        line.push(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Text(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                            other => format!("{other:?}"),
                        });
                    }
                    Ok(line.join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
            })
            .collect()
    }

    #[test]
    fn writing_out_early_gives_the_same_rollups_as_writing_once() {
        let once = tables_after(usize::MAX);
        // A budget of one byte writes a map out every time it would grow.
        let early = tables_after(1);

        assert!(once.iter().all(|rows| !rows.is_empty()));
        for (table, (a, b)) in table_names().zip(once.iter().zip(&early)) {
            let only_once: Vec<_> = a.iter().filter(|r| !b.contains(r)).collect();
            let only_early: Vec<_> = b.iter().filter(|r| !a.contains(r)).collect();
            assert!(
                only_once.is_empty() && only_early.is_empty(),
                "{table}: written once only {only_once:?}, written early only {only_early:?}"
            );
        }
    }
}
