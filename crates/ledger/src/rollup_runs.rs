//! Rollup deltas that outgrow their memory go to disk as sorted runs, and are merged back in key order
//! when the transaction writes its rollups. Each rollup row is then written once, in the order of its
//! table's B-tree, however many times the deltas filled up: writing them out early into the tables
//! instead (as this module replaced) rewrote the whole of a large daily table at every fill, which a
//! catalogue of a thousand products over four years (a row of the daily product table for nearly every
//! sale) paid for with most of its import time.
//!
//! A run is one anonymous temporary file beside the ledger (removed by the system when closed, or when
//! the process dies), holding entries in key order, compactly encoded (zigzag varints).

use crate::error::{LedgerError, Result};
use crate::figures::SUM_COUNT;
use crate::rollups::Sums;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// One rollup delta: the day (since 1970-01-01), the breakdown's key ids, the product name last seen
/// for it (products only), and what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub day: i64,
    pub keys: [u32; 3],
    pub name: Option<u32>,
    pub sums: Sums,
}

/// The order of the rollup tables' B-trees: the day, then the key ids.
pub(crate) fn order(a: &Entry, b: &Entry) -> Ordering {
    (a.day, a.keys).cmp(&(b.day, b.keys))
}

/// The runs spilled so far.
#[derive(Default)]
pub(crate) struct Runs {
    files: Vec<File>,
}

fn put(out: &mut impl Write, mut v: u64) -> std::io::Result<()> {
    let mut buf = [0u8; 10];
    let mut n = 0;
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            buf[n] = byte;
            n += 1;
            break;
        }
        buf[n] = byte | 0x80;
        n += 1;
    }
    out.write_all(&buf[..n])
}

fn put_signed(out: &mut impl Write, v: i64) -> std::io::Result<()> {
    put(out, ((v << 1) ^ (v >> 63)) as u64)
}

/// The next varint, or None at the end of the run.
fn get(input: &mut impl Read) -> std::io::Result<Option<u64>> {
    let mut v = 0u64;
    let mut shift = 0;
    let mut byte = [0u8];
    loop {
        if input.read(&mut byte)? == 0 {
            return match shift {
                0 => Ok(None),
                _ => Err(std::io::ErrorKind::UnexpectedEof.into()),
            };
        }
        v |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] & 0x80 == 0 {
            return Ok(Some(v));
        }
        shift += 7;
        if shift > 63 {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
    }
}

/// The signed value `put_signed` wrote as `v`.
fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

fn get_signed(input: &mut impl Read) -> std::io::Result<i64> {
    let v = get(input)?.ok_or(std::io::ErrorKind::UnexpectedEof)?;
    Ok(unzigzag(v))
}

fn write_entry(out: &mut impl Write, e: &Entry) -> std::io::Result<()> {
    put_signed(out, e.day)?;
    for k in e.keys {
        put(out, u64::from(k))?;
    }
    put(out, e.name.map_or(0, |n| u64::from(n) + 1))?;
    for v in e.sums.to_array() {
        put_signed(out, v)?;
    }
    Ok(())
}

fn read_entry(input: &mut impl Read) -> std::io::Result<Option<Entry>> {
    let Some(day) = get(input)?.map(unzigzag) else {
        return Ok(None);
    };
    let mut key = || -> std::io::Result<u32> {
        let v = get(input)?.ok_or(std::io::ErrorKind::UnexpectedEof)?;
        u32::try_from(v).map_err(|_| std::io::ErrorKind::InvalidData.into())
    };
    let keys = [key()?, key()?, key()?];
    let name = match key()? {
        0 => None,
        n => Some(n - 1),
    };
    let mut figures = [0i64; SUM_COUNT];
    for v in &mut figures {
        *v = get_signed(input)?;
    }
    let sums = Sums::from_array(figures);
    Ok(Some(Entry {
        day,
        keys,
        name,
        sums,
    }))
}

fn spill_error(e: std::io::Error) -> LedgerError {
    LedgerError::Spill(e.to_string())
}

/// Where runs of a ledger at `db_path` go: beside it, on the disk that has room for the ledger.
fn spill_dir(db_path: Option<&str>) -> PathBuf {
    db_path
        .filter(|p| !p.is_empty())
        .and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
}

/// A run being read back: its next entry, buffered.
struct Reader {
    input: BufReader<File>,
    next: Option<Entry>,
    run: usize,
}

/// A reader in the merge's heap, smallest next entry first.
struct Head {
    reader: Reader,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reversed, so that the smallest entry is on top; ties by run.
        match (&self.reader.next, &other.reader.next) {
            (Some(a), Some(b)) => order(b, a),
            _ => Ordering::Equal,
        }
        .then_with(|| other.reader.run.cmp(&self.reader.run))
    }
}

impl Runs {
    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes `entries` (in key order) as a new run beside the ledger at `db_path`.
    pub(crate) fn spill<'e>(
        &mut self,
        db_path: Option<&str>,
        entries: impl Iterator<Item = &'e Entry>,
    ) -> Result<()> {
        let file = tempfile::tempfile_in(spill_dir(db_path)).map_err(spill_error)?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        for e in entries {
            write_entry(&mut out, e).map_err(spill_error)?;
        }
        let mut file = out.into_inner().map_err(|e| spill_error(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(spill_error)?;
        self.files.push(file);
        Ok(())
    }

    /// Every run and `memory` (in key order) merged: `each` gets every key once, in key order, with the
    /// sums of all its entries and the name of the latest that had one.
    pub(crate) fn merge(
        &mut self,
        memory: Vec<Entry>,
        mut each: impl FnMut(Entry) -> Result<()>,
    ) -> Result<()> {
        let mut heap = BinaryHeap::new();
        for (run, file) in self.files.drain(..).enumerate() {
            let mut input = BufReader::with_capacity(1 << 15, file);
            let next = read_entry(&mut input).map_err(spill_error)?;
            // The heap holds only readers with an entry to give.
            if next.is_some() {
                heap.push(Head {
                    reader: Reader { input, next, run },
                });
            }
        }
        let mut memory = memory.into_iter().peekable();
        let mut pending: Option<Entry> = None;
        loop {
            // The smaller of the heap's top and memory's next; memory holds the latest deltas.
            let from_heap = match (
                heap.peek().and_then(|h| h.reader.next.as_ref()),
                memory.peek(),
            ) {
                (Some(h), Some(m)) => order(h, m) != Ordering::Greater,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let entry = if from_heap {
                let Some(mut head) = heap.pop() else { break };
                let entry = head.reader.next.take();
                head.reader.next = read_entry(&mut head.reader.input).map_err(spill_error)?;
                if head.reader.next.is_some() {
                    heap.push(head);
                }
                entry
            } else {
                memory.next()
            };
            let Some(entry) = entry else { break };
            match &mut pending {
                Some(p) if order(p, &entry) == Ordering::Equal => {
                    p.sums.add(&entry.sums);
                    if entry.name.is_some() {
                        p.name = entry.name;
                    }
                }
                _ => {
                    if let Some(done) = pending.replace(entry) {
                        each(done)?;
                    }
                }
            }
        }
        if let Some(done) = pending {
            each(done)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(day: i64, keys: [u32; 3], events: i64) -> Entry {
        Entry {
            day,
            keys,
            name: None,
            sums: Sums {
                money: crate::figures::EventMoney {
                    sales_minor: -7 * (events % 1_000),
                    net_minor: i64::MIN / 4,
                    ..Default::default()
                },
                events,
                ..Sums::default()
            },
        }
    }

    #[test]
    fn entries_survive_their_encoding() {
        let e = Entry {
            name: Some(3),
            ..entry(-719_162, [0, u32::MAX, 5], i64::MAX / 4)
        };
        let mut bytes = Vec::new();
        write_entry(&mut bytes, &e).unwrap();
        let mut input = bytes.as_slice();
        assert_eq!(read_entry(&mut input).unwrap(), Some(e));
        assert_eq!(read_entry(&mut input).unwrap(), None);
    }

    #[test]
    fn runs_and_memory_merge_into_one_entry_per_key_in_order() {
        let mut runs = Runs::default();
        // An empty run gives nothing and stops nothing.
        runs.spill(None, [].iter()).unwrap();
        let first = [
            entry(1, [0, 0, 0], 1),
            entry(1, [1, 0, 0], 1),
            entry(2, [1, 0, 0], 1),
        ];
        runs.spill(None, first.iter()).unwrap();
        let second = [entry(1, [2, 0, 0], 1), entry(2, [1, 0, 0], 2)];
        runs.spill(None, second.iter()).unwrap();
        let memory = vec![entry(1, [0, 0, 0], 4), entry(3, [2, 0, 0], 1)];
        let mut out = Vec::new();
        runs.merge(memory, |e| {
            out.push((e.day, e.keys[0], e.sums.events));
            Ok(())
        })
        .unwrap();
        assert_eq!(out, [(1, 0, 5), (1, 1, 1), (1, 2, 1), (2, 1, 3), (3, 2, 1)]);
    }
}
