//! Rollup deltas: what a write transaction adds to (or takes from) the daily rollup tables, summed in
//! memory per key and written once per key before the transaction commits. Rows reach the rollups only
//! through here, so inserts, updates and undo all count the same way.
//!
//! Deltas that outgrow their memory are spilled as sorted runs (`rollup_runs.rs`) and merged back at
//! the end, so that each rollup row is written once, in its table's order, however large the import.

use crate::connection::{set_cache_bytes, MIN_CACHE_BYTES, WRITER_CACHE_BYTES};
use crate::error::Result;
use crate::rollup_runs::{order, Entry, Runs};
use rusqlite::{CachedStatement, Transaction};
use rustc_hash::FxHashMap as HashMap;
use tributary_model::{Day, EventKind};

/// Bytes the pending deltas of all breakdowns may take together, out of the writer's page cache: past
/// it, the breakdown about to grow spills its deltas to disk as a sorted run. Small, since a spill costs
/// little (sequential writes, read back once) and the page cache is what keeps an import off the disk.
const DELTA_BYTES_BUDGET: usize = 8 << 20;

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
    /// Of `events`, the estimates (of a period not yet settled).
    pub estimated: i64,
}

impl Sums {
    /// A delta that changes nothing (an event written and rewritten within one transaction).
    fn is_zero(&self) -> bool {
        *self == Sums::default()
    }

    /// The sums in the order of the rollup tables' columns (`SUM_COLUMNS` in `reports.rs`).
    pub(crate) fn to_array(self) -> [i64; 8] {
        [
            self.gross_minor,
            self.fees_minor,
            self.net_minor,
            self.refunds_minor,
            self.units,
            self.kenp_pages,
            self.events,
            self.estimated,
        ]
    }

    /// The sums from `to_array`'s order.
    pub(crate) fn from_array(
        [gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated]: [i64; 8],
    ) -> Sums {
        Sums {
            gross_minor,
            fees_minor,
            net_minor,
            refunds_minor,
            units,
            kenp_pages,
            events,
            estimated,
        }
    }

    pub(crate) fn add(&mut self, other: &Sums) {
        self.gross_minor += other.gross_minor;
        self.fees_minor += other.fees_minor;
        self.net_minor += other.net_minor;
        self.refunds_minor += other.refunds_minor;
        self.units += other.units;
        self.kenp_pages += other.kenp_pages;
        self.events += other.events;
        self.estimated += other.estimated;
    }
}

/// One event as the rollups see it.
#[derive(Clone)]
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
    /// The period a platform settles as a whole that the event belongs to (`settlement.rs`).
    pub period: Option<&'a str>,
    /// An estimate that final figures of its period will replace.
    pub estimated: bool,
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
/// the key columns (period first), then `product_name` where the table keeps one, then the eight sums.
struct RollupTable {
    name: &'static str,
    /// How many key columns the table has, period included.
    key_columns: usize,
    named: bool,
    upsert: &'static str,
}

macro_rules! rollup_upsert {
    ($table:literal, $keys:literal, $named_col:literal, $values:literal, $named_update:literal) => {
        concat!(
            "INSERT INTO ", $table, " (", $keys, $named_col,
            ", gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events, estimated) VALUES (", $values,
            ") ON CONFLICT (", $keys, ") DO UPDATE SET ", $named_update,
            "gross_minor = gross_minor + excluded.gross_minor, fees_minor = fees_minor + excluded.fees_minor, ",
            "net_minor = net_minor + excluded.net_minor, refunds_minor = refunds_minor + excluded.refunds_minor, ",
            "units = units + excluded.units, kenp_pages = kenp_pages + excluded.kenp_pages, ",
            "events = events + excluded.events, estimated = estimated + excluded.estimated"
        )
    };
}

const TABLES: [RollupTable; 6] = [
    RollupTable {
        name: "rollup_daily",
        key_columns: 3,
        named: false,
        upsert: rollup_upsert!(
            "rollup_daily",
            "day, platform, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11",
            ""
        ),
    },
    RollupTable {
        name: "rollup_daily_product",
        key_columns: 4,
        named: true,
        upsert: rollup_upsert!(
            "rollup_daily_product",
            "day, platform, product_key, currency",
            ", product_name",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13",
            "product_name = COALESCE(excluded.product_name, product_name), "
        ),
    },
    RollupTable {
        name: "rollup_daily_country",
        key_columns: 3,
        named: false,
        upsert: rollup_upsert!(
            "rollup_daily_country",
            "day, country, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11",
            ""
        ),
    },
    RollupTable {
        name: "rollup_monthly",
        key_columns: 3,
        named: false,
        upsert: rollup_upsert!(
            "rollup_monthly",
            "month, platform, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11",
            ""
        ),
    },
    RollupTable {
        name: "rollup_monthly_product",
        key_columns: 4,
        named: true,
        upsert: rollup_upsert!(
            "rollup_monthly_product",
            "month, platform, product_key, currency",
            ", product_name",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13",
            "product_name = COALESCE(excluded.product_name, product_name), "
        ),
    },
    RollupTable {
        name: "rollup_monthly_country",
        key_columns: 3,
        named: false,
        upsert: rollup_upsert!(
            "rollup_monthly_country",
            "month, country, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11",
            ""
        ),
    },
];

/// Adds `sums` to the row of `table` at `keys` (period first; as many as the table has), naming the
/// product when the table keeps names. True when the row loses events (it may then count none).
fn upsert(
    statement: &mut CachedStatement<'_>,
    table: &RollupTable,
    keys: [&str; 4],
    name: Option<&str>,
    sums: &Sums,
) -> Result<bool> {
    if sums.is_zero() {
        return Ok(false);
    }
    let figures = sums.to_array();
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(13);
    values.extend(
        keys[..table.key_columns]
            .iter()
            .map(|k| k as &dyn rusqlite::ToSql),
    );
    if table.named {
        values.push(&name);
    }
    values.extend(figures.iter().map(|v| v as &dyn rusqlite::ToSql));
    statement.execute(values.as_slice())?;
    Ok(sums.events < 0)
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

    /// Each id's place in the byte order of the names (SQLite's BINARY collation), by id.
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by_key(|&id| self.name(id));
        let mut rank = vec![0; order.len()];
        for (place, id) in order.into_iter().enumerate() {
            rank[id as usize] = place as u32;
        }
        rank
    }
}

/// Sums, with the interned product name last seen for them (products only).
type NamedSums = (Sums, Option<u32>);

/// One breakdown of the rollups (by product, by country; by platform is summed from by product): its
/// pending deltas per day, the runs it spilled, and the daily and monthly tables they go to.
struct Breakdown {
    daily: &'static RollupTable,
    monthly: &'static RollupTable,
    /// Tables whose rows are sums of this breakdown's over its second key, written with it: the platform
    /// rollups are the product rollups summed over products, so they need no map of their own (one hash
    /// lookup per row fewer, the costliest part of the deltas).
    summed: Option<(&'static RollupTable, &'static RollupTable)>,
    /// (epoch day, the breakdown's key ids, padded with 0) → what changed.
    deltas: HashMap<(i64, [u32; 3]), NamedSums>,
    runs: Runs,
    /// The days of the deltas spilled to the runs.
    days: rustc_hash::FxHashSet<i64>,
}

/// Keys of the rows a breakdown's entries go to, as ids: a daily or monthly row of the breakdown, or of
/// the table summed from it (its first and third keys).
type RowKeys = [u32; 3];

/// Rows of one period (a day or a month) of one table, summed while the merge passes through it and
/// written, in key order, when it moves to the next.
struct PeriodRows {
    table: &'static RollupTable,
    /// The period's text and id; None before the first entry.
    period: Option<(i64, u32)>,
    rows: HashMap<RowKeys, NamedSums>,
}

impl PeriodRows {
    fn new(table: &'static RollupTable) -> PeriodRows {
        PeriodRows {
            table,
            period: None,
            rows: HashMap::default(),
        }
    }

    /// Writes the rows of the period it holds, in key order. True when a row lost events.
    fn write(&mut self, tx: &Transaction<'_>, strings: &Interner, rank: &[u32]) -> Result<bool> {
        let Some((_, period)) = self.period else {
            return Ok(false);
        };
        let mut rows: Vec<(&RowKeys, &NamedSums)> = self.rows.iter().collect();
        rows.sort_unstable_by_key(|(keys, _)| keys.map(|k| rank[k as usize]));
        let mut statement = tx.prepare_cached(self.table.upsert)?;
        let mut removed = false;
        for (keys, (sums, name)) in rows {
            let [a, b, c] = keys.map(|k| strings.name(k));
            removed |= upsert(
                &mut statement,
                self.table,
                [strings.name(period), a, b, c],
                name.map(|n| strings.name(n)),
                sums,
            )?;
        }
        self.rows.clear();
        Ok(removed)
    }

    /// Adds to the row at `keys` of the period numbered `at` (whose text is interned as `period`),
    /// writing out the period before it first.
    fn add(
        &mut self,
        tx: &Transaction<'_>,
        strings: &Interner,
        rank: &[u32],
        (at, period): (i64, u32),
        keys: RowKeys,
        entry: &Entry,
    ) -> Result<bool> {
        let mut removed = false;
        if self.period.map(|(p, _)| p) != Some(at) {
            removed = self.write(tx, strings, rank)?;
            self.period = Some((at, period));
        }
        let row = self.rows.entry(keys).or_default();
        row.0.add(&entry.sums);
        if entry.name.is_some() {
            row.1 = entry.name;
        }
        Ok(removed)
    }
}

impl Breakdown {
    fn new(daily: &'static RollupTable, monthly: &'static RollupTable) -> Breakdown {
        Breakdown {
            daily,
            monthly,
            summed: None,
            deltas: HashMap::default(),
            runs: Runs::default(),
            days: Default::default(),
        }
    }

    /// Also writes `daily` and `monthly` rows keyed by this breakdown's first and third keys.
    fn summed_into(
        mut self,
        daily: &'static RollupTable,
        monthly: &'static RollupTable,
    ) -> Breakdown {
        self.summed = Some((daily, monthly));
        self
    }

    /// Bytes the map's table takes at `capacity` entries (hashbrown: a power of two of buckets, at most
    /// 7/8 of them full, each bucket an entry and a control byte).
    fn table_bytes(capacity: usize) -> usize {
        if capacity == 0 {
            return 0;
        }
        let buckets = (capacity * 8 / 7).next_power_of_two();
        buckets * (std::mem::size_of::<((i64, [u32; 3]), NamedSums)>() + 1)
    }

    fn bytes(&self) -> usize {
        Self::table_bytes(self.deltas.capacity())
    }

    /// What the table would grow by on the next insert, if it is full.
    fn growth(&self) -> usize {
        if self.deltas.len() < self.deltas.capacity() {
            0
        } else {
            Self::table_bytes((self.deltas.capacity() * 2).max(4)) - self.bytes()
        }
    }

    fn add(&mut self, day: i64, keys: [u32; 3], sums: &Sums, name: Option<u32>) {
        let entry = self.deltas.entry((day, keys)).or_default();
        entry.0.add(sums);
        if name.is_some() {
            entry.1 = name;
        }
    }

    /// The deltas in memory as entries in key order, the map emptied (its memory kept).
    fn sorted_entries(&mut self, rank: &[u32]) -> Vec<Entry> {
        let mut entries: Vec<Entry> = self
            .deltas
            .drain()
            .map(|((day, keys), (sums, name))| Entry {
                day,
                keys,
                name,
                sums,
            })
            .collect();
        entries.sort_unstable_by(|a, b| order(rank, a, b));
        entries
    }

    /// Writes the deltas in memory to disk as a run, keeping the map's memory for the next ones.
    fn spill(&mut self, tx: &Transaction<'_>, strings: &Interner) -> Result<()> {
        if self.deltas.is_empty() {
            return Ok(());
        }
        self.days.extend(self.deltas.keys().map(|&(d, _)| d));
        let entries = self.sorted_entries(&strings.ranks());
        self.runs.spill(tx.path(), entries.iter())
    }

    /// Adds every delta (the runs' and memory's, merged) to its daily and monthly rows, and to the summed
    /// tables' rows, then forgets them. True when some row lost events (it may now count none).
    fn flush(&mut self, tx: &Transaction<'_>, strings: &mut Interner) -> Result<bool> {
        if self.deltas.is_empty() && self.runs.is_empty() {
            return Ok(false);
        }
        // Every day's text and its month's, interned before the ranks are taken, so that every key of
        // the merge is a tuple of ids.
        self.days.extend(self.deltas.keys().map(|&(d, _)| d));
        let mut periods: HashMap<i64, Period> = HashMap::default();
        for &d in &self.days {
            let day = Day::from_epoch_day(d);
            let iso = day.map(|d| d.iso()).unwrap_or_default();
            periods.insert(
                d,
                Period {
                    day: strings.id(&iso),
                    month: strings.id(iso.get(..7).unwrap_or_default()),
                    month_start: day.map_or(d, |d| d.month_start().epoch_day()),
                },
            );
        }
        self.days.clear();
        let rank = strings.ranks();
        let memory = self.sorted_entries(&rank);
        let strings: &Interner = strings;
        let mut daily = PeriodRows::new(self.daily);
        let mut monthly = PeriodRows::new(self.monthly);
        let mut summed = self
            .summed
            .map(|(d, m)| (PeriodRows::new(d), PeriodRows::new(m)));
        let mut removed = false;
        self.runs.merge(memory, &rank, |entry| {
            let p = periods.get(&entry.day).copied().unwrap_or_default();
            let [a, _, c] = entry.keys;
            removed |= daily.add(tx, strings, &rank, (entry.day, p.day), entry.keys, &entry)?;
            removed |= monthly.add(
                tx,
                strings,
                &rank,
                (p.month_start, p.month),
                entry.keys,
                &entry,
            )?;
            if let Some((d, m)) = &mut summed {
                removed |= d.add(tx, strings, &rank, (entry.day, p.day), [a, c, 0], &entry)?;
                removed |= m.add(
                    tx,
                    strings,
                    &rank,
                    (p.month_start, p.month),
                    [a, c, 0],
                    &entry,
                )?;
            }
            Ok(())
        })?;
        removed |= daily.write(tx, strings, &rank)?;
        removed |= monthly.write(tx, strings, &rank)?;
        if let Some((d, m)) = &mut summed {
            removed |= d.write(tx, strings, &rank)?;
            removed |= m.write(tx, strings, &rank)?;
        }
        self.deltas = HashMap::default();
        Ok(removed)
    }
}

/// A day's text and its month's (interned), and the first day of its month (which tells the months
/// apart as the merge passes through them), for the merge.
#[derive(Clone, Copy, Default)]
struct Period {
    day: u32,
    month: u32,
    month_start: i64,
}

/// Pending changes to the rollup tables.
pub struct RollupDeltas {
    /// `DELTA_BYTES_BUDGET`, except in tests that make early writes happen.
    budget: usize,
    strings: Interner,
    by_product: Breakdown,
    by_country: Breakdown,
    /// Some rollup row lost events since rows counting nothing were last dropped.
    removed: bool,
}

impl Default for RollupDeltas {
    fn default() -> RollupDeltas {
        RollupDeltas {
            budget: DELTA_BYTES_BUDGET,
            strings: Interner::default(),
            by_product: Breakdown::new(&TABLES[1], &TABLES[4]).summed_into(&TABLES[0], &TABLES[3]),
            by_country: Breakdown::new(&TABLES[2], &TABLES[5]),
            removed: false,
        }
    }
}

impl RollupDeltas {
    /// Counts an event in (`sign` = 1) or out (`sign` = -1). A breakdown that would take the deltas past
    /// their memory budget spills what it holds to disk first, as a sorted run: the others keep summing
    /// in memory.
    pub fn record(&mut self, tx: &Transaction<'_>, c: &Contribution<'_>, sign: i64) -> Result<()> {
        if !c.kind.is_revenue() {
            return Ok(());
        }
        let sums = c.sums(sign);
        let platform = self.strings.id(c.platform);
        let currency = self.strings.id(c.currency);
        let product = self.strings.id(c.product_key());
        // Only a version being counted in names its product; one being taken out says nothing new.
        let name = match c.product_name {
            Some(n) if sign > 0 => Some(self.strings.id(n)),
            _ => None,
        };
        let country = self.strings.id(c.country.unwrap_or(""));
        let day = c.epoch_day;
        // A map about to grow past the budget is spilled and emptied first (keeping its table).
        let held = self.bytes();
        for breakdown in [&mut self.by_product, &mut self.by_country] {
            if held + breakdown.growth() > self.budget {
                breakdown.spill(tx, &self.strings)?;
            }
        }
        self.by_product
            .add(day, [platform, product, currency], &sums, name);
        self.by_country
            .add(day, [country, currency, 0], &sums, None);
        let now = self.bytes();
        if now != held {
            // The page cache gives up what the deltas took.
            set_cache_bytes(
                tx,
                WRITER_CACHE_BYTES.saturating_sub(now).max(MIN_CACHE_BYTES),
            )?;
        }
        Ok(())
    }

    /// Bytes the maps of pending deltas take.
    fn bytes(&self) -> usize {
        [&self.by_product, &self.by_country]
            .iter()
            .map(|b| b.bytes())
            .sum()
    }

    /// Writes every pending delta, drops rollup rows that no event counts any more, and gives the memory
    /// the deltas held back to the page cache.
    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        for breakdown in [&mut self.by_product, &mut self.by_country] {
            self.removed |= breakdown.flush(tx, &mut self.strings)?;
            breakdown.deltas = HashMap::default();
        }
        set_cache_bytes(tx, WRITER_CACHE_BYTES)?;
        if std::mem::take(&mut self.removed) {
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
        const KINDS: [EventKind; 4] = [
            EventKind::Sale,
            EventKind::Refund,
            EventKind::KenpRead,
            EventKind::Payout,
        ];
        let counted: Vec<Contribution<'static>> = (0..3_000i64)
            .map(|i| Contribution {
                epoch_day: 19_700 + (i * 7919) % 400,
                platform: PLATFORMS[(i % 3) as usize],
                currency: if i % 5 == 0 { "EUR" } else { "USD" },
                kind: KINDS[(i % 4) as usize],
                product_id: PRODUCTS[(i % 4) as usize],
                product_name: PRODUCTS[(i % 4) as usize].map(|_| "A name"),
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
        TABLES
            .iter()
            .map(|t| {
                let mut rows = tx
                    .prepare(&format!("SELECT * FROM {} ORDER BY 1, 2, 3, 4", t.name))
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
        for (table, (a, b)) in TABLES.iter().zip(once.iter().zip(&early)) {
            let only_once: Vec<_> = a.iter().filter(|r| !b.contains(r)).collect();
            let only_early: Vec<_> = b.iter().filter(|r| !a.contains(r)).collect();
            assert!(
                only_once.is_empty() && only_early.is_empty(),
                "{}: written once only {only_once:?}, written early only {only_early:?}",
                table.name
            );
        }
    }
}
