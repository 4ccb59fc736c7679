//! The compound file (OLE), as calamine's `Cfb::new` and `Cfb::get_stream` read it: the header, the
//! DIFAT and the FAT, chains of sectors (refused where they loop, or say they are longer than the file),
//! the directory, the mini stream, and at the end the Workbook (else Book) stream the records are read
//! from.
//!
//! The compound file is walked here, not through the `cfb` crate, so that what is checked is what
//! calamine reads: calamine finds the Workbook stream by name among all directory entries (`cfb` walks the
//! directory's tree), reads sectors past the end of the file as zeros, and goes on through damage that
//! `cfb` refuses. Everything is modelled on calamine's `src/cfb.rs` and `src/xls.rs`; anything else wrong
//! with the file is left to calamine, which reports it (or panics, which `workbook.rs` catches).

use super::{u16_at, u32_at, u64_at, OLE_SIGNATURE};

/// Sector ids at or above this are not sectors (calamine's `RESERVED_SECTORS`).
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
/// A DIFAT entry below this names a FAT sector.
const DIFSECT: u32 = 0xFFFF_FFFC;
/// The end of a chain of sectors.
pub(super) const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// calamine reads a stream shorter than this from the mini stream (whatever the header's cutoff says).
const MINI_STREAM_CUTOFF: usize = 4096;
/// The size of a sector of the mini stream.
const MINI_SECTOR_BYTES: usize = 64;
/// The number of DIFAT entries in the header.
pub(super) const HEADER_DIFAT_ENTRIES: usize = 109;

/// Where the walk through the compound file stops short of the Workbook stream.
pub(super) enum Stop {
    /// The file is refused, for this reason.
    Refused(String),
    /// calamine returns an error here.
    Error,
    /// calamine panics here (which `workbook.rs` catches).
    Panic,
}

/// `bytes` as little-endian u32s, as calamine's `to_u32` reads them (it panics on a length that is not a
/// multiple of 4).
fn u32s(bytes: &[u8]) -> Result<Vec<u32>, Stop> {
    if !bytes.len().is_multiple_of(4) {
        return Err(Stop::Panic);
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// The file's sectors as calamine's `cfb::Sectors` hands them out. It reads the file in order into a
/// cache, as far as the sectors asked for; asked for a sector past the end of the file, it gets what is
/// left of the file (maybe nothing) and pads the cache with zeros up to the sector's end, which later
/// reads of those sectors return.
struct Sectors<'a> {
    /// The file after its header.
    body: &'a [u8],
    size: usize,
    /// The highest sector id calamine reads: the file's length in sectors.
    maxid: u32,
    /// How much of the body calamine's cache holds, read or padded.
    cached: usize,
}

/// A sector as calamine sees it: bytes of the file, then zeros.
struct Sector<'a> {
    bytes: &'a [u8],
    zeros: usize,
}

impl Sector<'_> {
    fn len(&self) -> usize {
        self.bytes.len() + self.zeros
    }

    /// Appends the sector's first `n` bytes to `out`.
    fn append(&self, out: &mut Vec<u8>, n: usize) {
        let from_file = n.min(self.bytes.len());
        out.extend_from_slice(&self.bytes[..from_file]);
        out.resize(out.len() + (n - from_file), 0);
    }

    fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        self.append(&mut out, self.len());
        out
    }
}

impl<'a> Sectors<'a> {
    /// Sector `id`, as calamine's `Sectors::get` returns it.
    fn get(&mut self, id: u32) -> Result<Sector<'a>, Stop> {
        if id > self.maxid {
            return Err(Stop::Error);
        }
        let start = id as usize * self.size;
        let end = start + self.size;
        let real = self.body.len();
        let stop = if end <= self.cached {
            end
        } else {
            // calamine reads on from where its cache ends, up to the sector's end or the file's.
            let read = if self.cached < real {
                end.min(real)
            } else {
                self.cached
            };
            self.cached = end;
            if start > read {
                return Err(Stop::Panic);
            }
            read
        };
        let bytes = &self.body[start.min(real)..stop.min(real)];
        Ok(Sector {
            bytes,
            zeros: stop - start - bytes.len(),
        })
    }

    /// The chain of sectors from `start`, up to `len` bytes, as calamine's `Sectors::get_chain` reads it
    /// through `next` (the FAT). A chain that comes back to a sector before it has `len` bytes is refused:
    /// calamine would go round it until it had.
    fn chain(&mut self, start: u32, next: &[u32], len: usize, what: &str) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.maxid as usize + 1];
        let mut id = start;
        while id != ENDOFCHAIN {
            let sector = self.get(id)?;
            // `get` refuses an id above `maxid`.
            if std::mem::replace(&mut seen[id as usize], true) {
                return Err(Stop::Refused(format!(
                    "the chain of sectors of {what} comes back to sector {id}: it loops"
                )));
            }
            let n = sector.len().min(len - out.len());
            sector.append(&mut out, n);
            if out.len() >= len {
                break;
            }
            id = *next.get(id as usize).ok_or(Stop::Panic)?;
        }
        Ok(out)
    }
}

/// Refuses a stream of `len` bytes starting at sector `start` if the file is shorter than it.
fn check_length(start: u32, len: usize, file_len: usize, what: &str) -> Result<(), Stop> {
    if start != ENDOFCHAIN && len > file_len {
        return Err(Stop::Refused(format!(
            "{what} says it is {len} bytes long, more than the whole file ({file_len} bytes)"
        )));
    }
    Ok(())
}

/// A directory entry, as calamine's `Directory::from_slice` reads it.
struct Entry {
    name: String,
    start: u32,
    len: usize,
}

impl Entry {
    /// `e` is 128 bytes.
    fn read(e: &[u8], sector_size: usize) -> Entry {
        // calamine decodes the whole name field (a byte order mark switches the decoding, as
        // `Encoding::decode` does) and cuts it at its first NUL.
        let mut name = encoding_rs::UTF_16LE.decode(&e[..64]).0.into_owned();
        if let Some(end) = name.find('\0') {
            name.truncate(end);
        }
        let len = if sector_size == 512 {
            u32_at(e, 120).map_or(0, |l| l as usize)
        } else {
            u64_at(e, 120).map_or(0, |l| l as usize)
        };
        Entry {
            name,
            start: u32_at(e, 116).unwrap_or(ENDOFCHAIN),
            len,
        }
    }
}

/// The Workbook (else Book) stream, as calamine reads it out of the compound file in `bytes`.
pub(super) fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, Stop> {
    let header = |at: usize| u32_at(bytes, at).ok_or(Stop::Error);
    if bytes.len() < 512 || !bytes.starts_with(OLE_SIGNATURE) {
        return Err(Stop::Error);
    }
    let size = match u16_at(bytes, 30) {
        Some(0x0009) => 512,
        Some(0x000C) => 4096,
        _ => return Err(Stop::Error),
    };
    // A 4096-byte sector's header is padded to 4096 bytes, which calamine reads.
    if bytes.len() < size || u16_at(bytes, 32) != Some(0x0006) {
        return Err(Stop::Error);
    }
    let version = u16_at(bytes, 26).ok_or(Stop::Error)?;
    let dir_start = header(48)?;
    let mini_fat_start = header(60)?;
    let mini_fat_len = header(64)? as usize;
    let difat_start = header(68)?;
    let mut difat = u32s(&bytes[76..512])?;
    debug_assert_eq!(difat.len(), HEADER_DIFAT_ENTRIES);
    let maxid = (bytes.len() / size) as u32;
    let mut sectors = Sectors {
        body: &bytes[size..],
        size,
        maxid,
        cached: 0,
    };

    // The DIFAT: the header's entries, then a chain of sectors whose last entry names the next one.
    let mut id = difat_start;
    let mut difat_sectors = 0usize;
    while id < RESERVED_SECTORS {
        difat_sectors += 1;
        if difat_sectors > maxid as usize + 1 {
            return Err(Stop::Error);
        }
        difat.extend(u32s(&sectors.get(id)?.to_vec())?);
        id = difat.pop().ok_or(Stop::Error)?;
    }
    // The FAT: each sector the DIFAT names, in order. calamine reads a sector named twice twice: a FAT
    // of more sectors than the file has would take more memory than the file, up to 127 times over.
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    if fat_sectors.len() > maxid as usize + 1 {
        return Err(Stop::Refused(format!(
            "its FAT is said to take {} sectors, more than the whole file has ({})",
            fat_sectors.len(),
            maxid as usize + 1
        )));
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        fat.extend(u32s(&sectors.get(id)?.to_vec())?);
    }

    let directory = sectors.chain(dir_start, &fat, usize::MAX, "its directory")?;
    let entries: Vec<Entry> = directory
        .chunks_exact(128)
        .map(|e| Entry::read(e, size))
        .collect();
    drop(directory);
    let root = entries.first().ok_or(Stop::Error)?;
    if version != 3 && root.start == ENDOFCHAIN {
        return Err(Stop::Error);
    }
    let (mini_stream, mini_fat) = if mini_fat_len > 0 {
        check_length(root.start, root.len, bytes.len(), "its mini stream")?;
        let mini_stream = sectors.chain(root.start, &fat, root.len, "its mini stream")?;
        let mini_fat_bytes = mini_fat_len * size;
        check_length(mini_fat_start, mini_fat_bytes, bytes.len(), "its mini FAT")?;
        let mini_fat = sectors.chain(mini_fat_start, &fat, mini_fat_bytes, "its mini FAT")?;
        (mini_stream, u32s(&mini_fat)?)
    } else {
        (Vec::new(), Vec::new())
    };
    let mini = MiniStream {
        bytes: &mini_stream,
        fat: &mini_fat,
        maxid: (maxid as usize * 8) as u32,
    };

    let mut stream = |name: &str| -> Result<Vec<u8>, Stop> {
        let entry = entries
            .iter()
            .find(|e| e.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
            .ok_or(Stop::Error)?;
        let what = format!("the stream '{}'", entry.name);
        if entry.len < MINI_STREAM_CUTOFF {
            mini.chain(entry.start, entry.len, &what)
        } else {
            check_length(entry.start, entry.len, bytes.len(), &what)?;
            sectors.chain(entry.start, &fat, entry.len, &what)
        }
    };
    // calamine tries Book when Workbook fails in any way short of a panic.
    match stream("Workbook") {
        Err(Stop::Error) => stream("Book"),
        other => other,
    }
}

/// The mini stream, where calamine reads streams shorter than `MINI_STREAM_CUTOFF` from.
struct MiniStream<'a> {
    bytes: &'a [u8],
    fat: &'a [u32],
    maxid: u32,
}

impl MiniStream<'_> {
    /// A stream of `len` bytes (less than `MINI_STREAM_CUTOFF`) from mini sector `start`, as calamine
    /// reads it. calamine reads a mini sector beyond the mini stream from wherever its reader is in the
    /// file: what it would read is not known here, so such a stream is refused.
    fn chain(&self, start: u32, len: usize, what: &str) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            if id > self.maxid {
                return Err(Stop::Error);
            }
            let at = id as usize * MINI_SECTOR_BYTES;
            let Some(sector) = self.bytes.get(at..at + MINI_SECTOR_BYTES) else {
                return Err(Stop::Refused(format!(
                    "{what} lies outside the compound file's mini stream"
                )));
            };
            // Each sector adds 64 bytes: the chain ends within `MINI_STREAM_CUTOFF / 64` sectors.
            let n = MINI_SECTOR_BYTES.min(len - out.len());
            out.extend_from_slice(&sector[..n]);
            if out.len() >= len {
                break;
            }
            id = *self.fat.get(id as usize).ok_or(Stop::Panic)?;
        }
        Ok(out)
    }
}
