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

/// Adds `sums` to the row of `table` at `keys`.
fn upsert(
    tx: &Transaction<'_>,
    table: &RollupTable,
    keys: &[&str],
    name: Option<&str>,
    sums: &Sums,
) -> Result<()> {
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(12);
    for k in keys {
        values.push(k);
    }
    if table.named {
        values.push(&name);
    }
    for v in [
        &sums.gross_minor,
        &sums.fees_minor,
        &sums.net_minor,
        &sums.refunds_minor,
        &sums.units,
        &sums.kenp_pages,
        &sums.events,
    ] {
        values.push(v);
    }
    tx.prepare_cached(table.upsert)?
        .execute(values.as_slice())?;
    Ok(())
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
        // Each day's text and its month's, interned, so that monthly keys stay integer tuples.
        let mut periods: HashMap<i64, (u32, u32)> = HashMap::default();
        let mut period = |strings: &mut Interner, d: i64| -> (u32, u32) {
            *periods.entry(d).or_insert_with(|| {
                let iso = Day::from_epoch_day(d).map(|d| d.iso()).unwrap_or_default();
                let month = iso.get(..7).unwrap_or_default().to_string();
                (strings.id(&iso), strings.id(&month))
            })
        };
        let mut removed = false;
        let mut monthly: HashMap<(u32, u32, u32), Sums> = HashMap::default();
        let mut monthly_product: HashMap<(u32, u32, u32, u32), NamedSums> = HashMap::default();
        let mut monthly_country: HashMap<(u32, u32, u32), Sums> = HashMap::default();
        let mut write = |strings: &Interner,
                         table: &RollupTable,
                         keys: &[u32],
                         name: Option<u32>,
                         sums: &Sums| {
            if sums.is_zero() {
                return Ok(());
            }
            removed |= sums.events < 0;
            let names: [&str; 4] =
                std::array::from_fn(|i| keys.get(i).map_or("", |&k| strings.name(k)));
            upsert(
                tx,
                table,
                &names[..keys.len()],
                name.map(|n| strings.name(n)),
                sums,
            )
        };
        for (&(d, platform, currency), sums) in &self.daily {
            let (day, month) = period(&mut self.strings, d);
            monthly
                .entry((month, platform, currency))
                .or_default()
                .add(sums);
            write(
                &self.strings,
                &TABLES[0],
                &[day, platform, currency],
                None,
                sums,
            )?;
        }
        for (&(d, platform, product, currency), (sums, name)) in &self.by_product {
            let (day, month) = period(&mut self.strings, d);
            let entry = monthly_product
                .entry((month, platform, product, currency))
                .or_default();
            entry.0.add(sums);
            entry.1 = entry.1.or(*name);
            write(
                &self.strings,
                &TABLES[1],
                &[day, platform, product, currency],
                *name,
                sums,
            )?;
        }
        for (&(d, country, currency), sums) in &self.by_country {
            let (day, month) = period(&mut self.strings, d);
            monthly_country
                .entry((month, country, currency))
                .or_default()
                .add(sums);
            write(
                &self.strings,
                &TABLES[2],
                &[day, country, currency],
                None,
                sums,
            )?;
        }
        for (&(month, platform, currency), sums) in &monthly {
            write(
                &self.strings,
                &TABLES[3],
                &[month, platform, currency],
                None,
                sums,
            )?;
        }
        for (&(month, platform, product, currency), (sums, name)) in &monthly_product {
            write(
                &self.strings,
                &TABLES[4],
                &[month, platform, product, currency],
                *name,
                sums,
            )?;
        }
        for (&(month, country, currency), sums) in &monthly_country {
            write(
                &self.strings,
                &TABLES[5],
                &[month, country, currency],
                None,
                sums,
            )?;
        }
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
