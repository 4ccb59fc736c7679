//! The thread that sums a transaction's rollup deltas while the writer goes on writing events, and at
//! the end merges them into the rows each rollup table gets, in the table's order, for the writer to
//! upsert. An import's writer thread is what bounds its speed (the file's reader waits for it most of
//! the time); summing a million deltas into hash maps, spilling, sorting and merging them was a third of
//! its work, and none of it needs the database.
//!
//! The writer (`rollups.rs`) turns each event into a [`Delta`] of key ids and sends them in batches;
//! what the worker holds is bounded by the deltas' memory budget, past which a breakdown spills a
//! sorted run (`rollup_runs.rs`). The worker never touches SQLite.

use crate::error::{LedgerError, Result};
use crate::rollup_runs::{order, Entry, Runs};
use crate::rollups::Sums;
use rustc_hash::FxHashMap as HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use tributary_model::Day;

/// How many deltas, or rows, travel in one message: enough that a message costs nothing next to its
/// contents, few enough that those in flight (two per channel) take a few hundred kilobytes.
pub(crate) const BATCH: usize = 1024;

/// One event counted in or out, as key ids (`rollup_keys`) and what it adds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Delta {
    pub day: i64,
    pub platform: u32,
    pub product: u32,
    pub currency: u32,
    pub country: u32,
    /// The product's name (the writer's interned id), from a version being counted in.
    pub name: Option<u32>,
    pub sums: Sums,
}

/// Which table a batch of rows goes to, as indexes into `rollups::TABLES`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tables {
    pub daily: usize,
    pub monthly: usize,
    /// Tables whose rows are this breakdown's summed over its second key (the platform rollups are
    /// the product rollups summed over products, so they need no map of their own).
    pub summed: Option<(usize, usize)>,
}

/// Each product's latest name: (platform, product) → (name id, the day it was last seen on).
pub(crate) type LatestNames = Vec<((u32, u32), (u32, i64))>;

/// What the worker sends back while it merges.
pub(crate) enum Merged {
    /// Rows for `TABLES[table]`, in its key order: (period, key ids padded with 0) and what they add.
    Rows {
        table: usize,
        rows: Vec<([i64; 4], Sums)>,
    },
    /// Every row is sent.
    Done(LatestNames),
    Failed(LedgerError),
}

enum Command {
    Add(Vec<Delta>),
    /// Merge everything held so far and send it back.
    Merge(SyncSender<Merged>),
}

/// The writer's handle on its worker.
pub(crate) struct Worker {
    commands: Option<SyncSender<Command>>,
    thread: Option<JoinHandle<()>>,
    /// Bytes the worker's maps of deltas take, for the writer's page cache to give up.
    bytes: Arc<AtomicUsize>,
}

fn stopped() -> LedgerError {
    LedgerError::Spill("the thread summing the rollups stopped".into())
}

impl Worker {
    /// Starts a worker that spills beside the ledger at `db_path` past `budget` bytes.
    pub(crate) fn start(
        db_path: Option<&str>,
        budget: usize,
        by_product: Tables,
        by_country: Tables,
    ) -> Result<Worker> {
        let (commands, inbox) = sync_channel(2);
        let bytes = Arc::new(AtomicUsize::new(0));
        let mut sums = Summing {
            db_path: db_path.map(str::to_string),
            budget,
            by_product: Breakdown::new(by_product),
            by_country: Breakdown::new(by_country),
            bytes: Arc::clone(&bytes),
        };
        let thread = std::thread::Builder::new()
            .name("rollups".into())
            .spawn(move || sums.serve(inbox))
            .map_err(|e| LedgerError::Spill(format!("could not start summing the rollups: {e}")))?;
        Ok(Worker {
            commands: Some(commands),
            thread: Some(thread),
            bytes,
        })
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    pub(crate) fn add(&self, deltas: Vec<Delta>) -> Result<()> {
        self.commands
            .as_ref()
            .ok_or_else(stopped)?
            .send(Command::Add(deltas))
            .map_err(|_| stopped())
    }

    /// Asks for every delta held so far, merged; the answers come through the receiver.
    pub(crate) fn merge(&self) -> Result<Receiver<Merged>> {
        let (answers, merged) = sync_channel(2);
        self.commands
            .as_ref()
            .ok_or_else(stopped)?
            .send(Command::Merge(answers))
            .map_err(|_| stopped())?;
        Ok(merged)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the worker's loop; a rolled-back transaction's deltas go with it.
        self.commands = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The worker's state: both breakdowns and their budget.
struct Summing {
    db_path: Option<String>,
    budget: usize,
    by_product: Breakdown,
    by_country: Breakdown,
    bytes: Arc<AtomicUsize>,
}

impl Summing {
    fn serve(&mut self, inbox: Receiver<Command>) {
        // A failed spill is told at the next merge; the deltas after it are not summed.
        let mut failed: Option<LedgerError> = None;
        for command in inbox {
            match command {
                Command::Add(deltas) => {
                    if failed.is_none() {
                        failed = self.add(&deltas).err();
                    }
                }
                Command::Merge(answers) => {
                    let outcome = match failed.take() {
                        Some(e) => Err(e),
                        None => self.merge(&answers),
                    };
                    let last = match outcome {
                        Ok(names) => Merged::Done(names),
                        Err(e) => Merged::Failed(e),
                    };
                    let _ = answers.send(last);
                }
            }
        }
    }

    fn held(&self) -> usize {
        self.by_product.bytes() + self.by_country.bytes()
    }

    fn add(&mut self, deltas: &[Delta]) -> Result<()> {
        for d in deltas {
            // A map about to grow past the budget is spilled and emptied first (keeping its table).
            let held = self.held();
            for breakdown in [&mut self.by_product, &mut self.by_country] {
                if held + breakdown.growth() > self.budget {
                    breakdown.spill(self.db_path.as_deref())?;
                }
            }
            self.by_product
                .add(d.day, [d.platform, d.product, d.currency], &d.sums, d.name);
            self.by_country
                .add(d.day, [d.country, d.currency, 0], &d.sums, None);
        }
        self.bytes.store(self.held(), Ordering::Relaxed);
        Ok(())
    }

    fn merge(&mut self, answers: &SyncSender<Merged>) -> Result<LatestNames> {
        // (platform, product) → (name, day): the merge goes in day order, so the latest day's stays.
        let mut latest: HashMap<(u32, u32), (u32, i64)> = HashMap::default();
        self.by_product.merge(answers, |entry, name| {
            latest.insert((entry.keys[0], entry.keys[1]), (name, entry.day));
        })?;
        self.by_country.merge(answers, |_, _| {})?;
        self.bytes.store(0, Ordering::Relaxed);
        Ok(latest.into_iter().collect())
    }
}

/// Sums, with the interned product name last seen for them (products only).
type NamedSums = (Sums, Option<u32>);

/// One breakdown of the rollups (by product, by country): its pending deltas per day, the runs it
/// spilled, and the tables they go to.
struct Breakdown {
    tables: Tables,
    /// (epoch day, the breakdown's key ids, padded with 0) → what changed.
    deltas: HashMap<(i64, [u32; 3]), NamedSums>,
    runs: Runs,
}

/// Key ids of a row: a breakdown's, or the summed table's (its first and third keys).
type RowKeys = [u32; 3];

/// Rows of one period (a day or a month) of one table, summed while the merge passes through it and
/// sent, in key order, when it moves to the next.
struct PeriodRows {
    table: usize,
    /// The period's number; None before the first entry.
    period: Option<i64>,
    rows: HashMap<RowKeys, Sums>,
    outgoing: Vec<([i64; 4], Sums)>,
}

impl PeriodRows {
    fn new(table: usize) -> PeriodRows {
        PeriodRows {
            table,
            period: None,
            rows: HashMap::default(),
            outgoing: Vec::new(),
        }
    }

    /// Moves the period's rows, in key order, to the outgoing batch, sending it when full.
    fn close_period(&mut self, answers: &SyncSender<Merged>) -> Result<()> {
        let Some(period) = self.period else {
            return Ok(());
        };
        let mut rows: Vec<(RowKeys, Sums)> = self.rows.drain().collect();
        rows.sort_unstable_by_key(|(keys, _)| *keys);
        for ([a, b, c], sums) in rows {
            self.outgoing
                .push(([period, i64::from(a), i64::from(b), i64::from(c)], sums));
        }
        if self.outgoing.len() >= BATCH {
            self.send(answers)?;
        }
        Ok(())
    }

    fn send(&mut self, answers: &SyncSender<Merged>) -> Result<()> {
        if self.outgoing.is_empty() {
            return Ok(());
        }
        let rows = std::mem::replace(&mut self.outgoing, Vec::with_capacity(BATCH));
        answers
            .send(Merged::Rows {
                table: self.table,
                rows,
            })
            .map_err(|_| stopped())
    }

    fn add(
        &mut self,
        answers: &SyncSender<Merged>,
        period: i64,
        keys: RowKeys,
        sums: &Sums,
    ) -> Result<()> {
        if self.period != Some(period) {
            self.close_period(answers)?;
            self.period = Some(period);
        }
        self.rows.entry(keys).or_default().add(sums);
        Ok(())
    }

    fn finish(&mut self, answers: &SyncSender<Merged>) -> Result<()> {
        self.close_period(answers)?;
        self.period = None;
        self.send(answers)
    }
}

impl Breakdown {
    fn new(tables: Tables) -> Breakdown {
        Breakdown {
            tables,
            deltas: HashMap::default(),
            runs: Runs::default(),
        }
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
    fn sorted_entries(&mut self) -> Vec<Entry> {
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
        entries.sort_unstable_by(order);
        entries
    }

    /// Writes the deltas in memory to disk as a run, keeping the map's memory for the next ones.
    fn spill(&mut self, db_path: Option<&str>) -> Result<()> {
        if self.deltas.is_empty() {
            return Ok(());
        }
        let entries = self.sorted_entries();
        self.runs.spill(db_path, entries.iter())
    }

    /// Sends every delta (the runs' and memory's, merged) as rows of its daily and monthly tables and
    /// of the summed tables, then forgets them. `named` hears, in day order, each entry that names its
    /// product.
    fn merge(
        &mut self,
        answers: &SyncSender<Merged>,
        mut named: impl FnMut(&Entry, u32),
    ) -> Result<()> {
        if self.deltas.is_empty() && self.runs.is_empty() {
            return Ok(());
        }
        let memory = self.sorted_entries();
        // The map's memory is not needed again; the merge's rows take some.
        self.deltas = HashMap::default();
        let mut daily = PeriodRows::new(self.tables.daily);
        let mut monthly = PeriodRows::new(self.tables.monthly);
        let mut summed = self
            .tables
            .summed
            .map(|(d, m)| (PeriodRows::new(d), PeriodRows::new(m)));
        // The month of the day the merge is in; days come in order, so it is found once a day.
        let mut month: Option<(i64, i64)> = None;
        self.runs.merge(memory, |entry| {
            let month_start = match month {
                Some((day, start)) if day == entry.day => start,
                _ => {
                    let start = Day::from_epoch_day(entry.day)
                        .map_or(entry.day, |d| d.month_start().epoch_day());
                    month = Some((entry.day, start));
                    start
                }
            };
            if let Some(name) = entry.name {
                named(&entry, name);
            }
            let [a, _, c] = entry.keys;
            daily.add(answers, entry.day, entry.keys, &entry.sums)?;
            monthly.add(answers, month_start, entry.keys, &entry.sums)?;
            if let Some((d, m)) = &mut summed {
                d.add(answers, entry.day, [a, c, 0], &entry.sums)?;
                m.add(answers, month_start, [a, c, 0], &entry.sums)?;
            }
            Ok(())
        })?;
        daily.finish(answers)?;
        monthly.finish(answers)?;
        if let Some((d, m)) = &mut summed {
            d.finish(answers)?;
            m.finish(answers)?;
        }
        Ok(())
    }
}
