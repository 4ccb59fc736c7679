//! Rollup deltas: what a write transaction adds to (or takes from) the daily rollup tables, summed in
//! memory per key and written once per key before the transaction commits. Rows reach the rollups only
//! through here, so inserts, updates and undo all count the same way.

use crate::error::Result;
use rusqlite::Transaction;
use rustc_hash::FxHashMap as HashMap;
use tributary_model::{Day, EventKind};

/// Past this many keys in memory the deltas are written out early (still inside the transaction), so
/// that a file with millions of distinct products stays in bounded memory.
/// Keys one map may hold before the deltas are written out (still inside the transaction). Just under
/// 7/8 of 2^17, where the hash map would double its table: ~12 MB a map at most, and room for years of
/// days × platforms × products × currencies, so that most imports write their rollups once, at commit.
const MAX_KEYS_PER_MAP: usize = 114_000;

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

/// A rollup table and the statement that adds a delta to one of its rows. The statement's parameters are
/// the key columns (period first), then `product_name` where the table keeps one, then the seven sums.
struct RollupTable {
    name: &'static str,
    named: bool,
    upsert: &'static str,
}

macro_rules! rollup_upsert {
    ($table:literal, $keys:literal, $named_col:literal, $values:literal, $named_update:literal) => {
        concat!(
            "INSERT INTO ", $table, " (", $keys, $named_col,
            ", gross_minor, fees_minor, net_minor, refunds_minor, units, kenp_pages, events) VALUES (", $values,
            ") ON CONFLICT (", $keys, ") DO UPDATE SET ", $named_update,
            "gross_minor = gross_minor + excluded.gross_minor, fees_minor = fees_minor + excluded.fees_minor, ",
            "net_minor = net_minor + excluded.net_minor, refunds_minor = refunds_minor + excluded.refunds_minor, ",
            "units = units + excluded.units, kenp_pages = kenp_pages + excluded.kenp_pages, ",
            "events = events + excluded.events"
        )
    };
}

const TABLES: [RollupTable; 6] = [
    RollupTable {
        name: "rollup_daily",
        named: false,
        upsert: rollup_upsert!(
            "rollup_daily",
            "day, platform, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10",
            ""
        ),
    },
    RollupTable {
        name: "rollup_daily_product",
        named: true,
        upsert: rollup_upsert!(
            "rollup_daily_product",
            "day, platform, product_key, currency",
            ", product_name",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12",
            "product_name = COALESCE(excluded.product_name, product_name), "
        ),
    },
    RollupTable {
        name: "rollup_daily_country",
        named: false,
        upsert: rollup_upsert!(
            "rollup_daily_country",
            "day, country, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10",
            ""
        ),
    },
    RollupTable {
        name: "rollup_monthly",
        named: false,
        upsert: rollup_upsert!(
            "rollup_monthly",
            "month, platform, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10",
            ""
        ),
    },
    RollupTable {
        name: "rollup_monthly_product",
        named: true,
        upsert: rollup_upsert!(
            "rollup_monthly_product",
            "month, platform, product_key, currency",
            ", product_name",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12",
            "product_name = COALESCE(excluded.product_name, product_name), "
        ),
    },
    RollupTable {
        name: "rollup_monthly_country",
        named: false,
        upsert: rollup_upsert!(
            "rollup_monthly_country",
            "month, country, currency",
            "",
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10",
            ""
        ),
    },
];

/// Adds each row's sums to the row of `table` at its keys (period first), in the order of the key texts, so
/// that consecutive upserts land on the same B-tree pages instead of all over the table. True when a row
/// takes events away (the table may then hold rows that count nothing).
fn upsert_sorted<const N: usize>(
    tx: &Transaction<'_>,
    table: &RollupTable,
    strings: &Interner,
    mut rows: Vec<([u32; N], Option<u32>, &Sums)>,
) -> Result<bool> {
    rows.retain(|(_, _, sums)| !sums.is_zero());
    let rank = strings.ranks();
    rows.sort_unstable_by_key(|(keys, _, _)| keys.map(|k| rank[k as usize]));
    let mut statement = tx.prepare_cached(table.upsert)?;
    let mut removed = false;
    for (keys, name, sums) in rows {
        removed |= sums.events < 0;
        let keys = keys.map(|k| strings.name(k));
        let name = name.map(|n| strings.name(n));
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(12);
        values.extend(keys.iter().map(|k| k as &dyn rusqlite::ToSql));
        if table.named {
            values.push(&name);
        }
        values.extend([
            &sums.gross_minor as &dyn rusqlite::ToSql,
            &sums.fees_minor,
            &sums.net_minor,
            &sums.refunds_minor,
            &sums.units,
            &sums.kenp_pages,
            &sums.events,
        ]);
        statement.execute(values.as_slice())?;
    }
    Ok(removed)
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

/// Sums for a product, with the interned name last seen for it.
type NamedSums = (Sums, Option<u32>);

/// Pending changes to the three rollup tables.
#[derive(Default)]
pub struct RollupDeltas {
    strings: Interner,
    daily: HashMap<(i64, u32, u32), Sums>,
    by_product: HashMap<(i64, u32, u32, u32), NamedSums>,
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
        if self
            .daily
            .len()
            .max(self.by_product.len())
            .max(self.by_country.len())
            >= MAX_KEYS_PER_MAP
        {
            self.flush(tx)?;
        }
        Ok(())
    }

    /// Adds every pending delta to its daily and monthly rollup rows and drops rows that no event counts
    /// any more.
    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        // Each day's text and its month's, interned, so that every key is a tuple of ids.
        let mut periods: HashMap<i64, (u32, u32)> = HashMap::default();
        let days = self.daily.keys().map(|k| k.0);
        let days = days.chain(self.by_product.keys().map(|k| k.0));
        for d in days.chain(self.by_country.keys().map(|k| k.0)) {
            periods.entry(d).or_insert_with(|| {
                let iso = Day::from_epoch_day(d).map(|d| d.iso()).unwrap_or_default();
                let month = iso.get(..7).unwrap_or_default().to_string();
                (self.strings.id(&iso), self.strings.id(&month))
            });
        }
        let period = |d: i64| periods.get(&d).copied().unwrap_or_default();

        let mut monthly: HashMap<[u32; 3], Sums> = HashMap::default();
        let mut monthly_product: HashMap<[u32; 4], NamedSums> = HashMap::default();
        let mut monthly_country: HashMap<[u32; 3], Sums> = HashMap::default();
        let mut daily = Vec::with_capacity(self.daily.len());
        for (&(d, platform, currency), sums) in &self.daily {
            let (day, month) = period(d);
            monthly
                .entry([month, platform, currency])
                .or_default()
                .add(sums);
            daily.push(([day, platform, currency], None, sums));
        }
        let mut removed = upsert_sorted(tx, &TABLES[0], &self.strings, daily)?;
        let mut by_product = Vec::with_capacity(self.by_product.len());
        for (&(d, platform, product, currency), (sums, name)) in &self.by_product {
            let (day, month) = period(d);
            let entry = monthly_product
                .entry([month, platform, product, currency])
                .or_default();
            entry.0.add(sums);
            entry.1 = entry.1.or(*name);
            by_product.push(([day, platform, product, currency], *name, sums));
        }
        removed |= upsert_sorted(tx, &TABLES[1], &self.strings, by_product)?;
        let mut by_country = Vec::with_capacity(self.by_country.len());
        for (&(d, country, currency), sums) in &self.by_country {
            let (day, month) = period(d);
            monthly_country
                .entry([month, country, currency])
                .or_default()
                .add(sums);
            by_country.push(([day, country, currency], None, sums));
        }
        removed |= upsert_sorted(tx, &TABLES[2], &self.strings, by_country)?;
        let rows = monthly.iter().map(|(k, sums)| (*k, None, sums));
        removed |= upsert_sorted(tx, &TABLES[3], &self.strings, rows.collect())?;
        let rows = monthly_product
            .iter()
            .map(|(k, (sums, name))| (*k, *name, sums));
        removed |= upsert_sorted(tx, &TABLES[4], &self.strings, rows.collect())?;
        let rows = monthly_country.iter().map(|(k, sums)| (*k, None, sums));
        removed |= upsert_sorted(tx, &TABLES[5], &self.strings, rows.collect())?;
        if removed {
            for table in &TABLES {
                tx.execute(&format!("DELETE FROM {} WHERE events = 0", table.name), [])?;
            }
        }
        self.daily.clear();
        self.by_product.clear();
        self.by_country.clear();
        Ok(())
    }
}
