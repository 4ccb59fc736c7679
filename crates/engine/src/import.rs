//! Importing a file: one thread reads and parses the file (hashing its bytes on the way), the calling
//! thread writes what it yields into one batch transaction. A bounded channel between them keeps memory
//! flat however large the file is, and written chunks go back to the reader, which parses new rows into
//! them: steady state allocates and frees nothing per row (freeing on the writer, the slower side, across
//! threads cost a sixth of its time). Any failure rolls the whole file back.

use crate::error::EngineError;
use crate::workspace::Workspace;
use crate::write_loop::{write_rows, Row, Stopped};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::Arc;
use tributary_imports::formats::{self, Format};
use tributary_imports::mapping::Mapping;
use tributary_imports::source::Reading;
use tributary_imports::{source, FileError, Item};
use tributary_ledger::{BatchEnd, BatchStart, EstimatedPeriod, Figures, RowError};

/// Rows handed from the reading thread to the writer at a time.
const CHUNK: usize = 2048;
/// Chunks in flight: bounds memory to a few thousand rows.
const CHUNKS_IN_FLIGHT: usize = 4;

/// How far an import has got: rows written so far and bytes of the file read; or, before it starts
/// writing, that it is waiting for another writer to finish.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportProgress {
    pub rows: u64,
    pub bytes_read: u64,
    pub total_bytes: u64,
    /// While the import waits its turn to write: what the writer ahead is doing ("importing big.csv,
    /// process 4242"), or "another program" when it is not Tributary.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub waiting_for: Option<String>,
}

/// Called on the writing thread after each chunk of rows (a few thousand), so a window can draw a bar.
#[derive(Clone)]
pub struct ProgressSink(pub Arc<dyn Fn(ImportProgress) + Send + Sync>);

impl std::fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressSink")
    }
}

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Any rejected row fails the whole file.
    pub strict: bool,
    /// Read every file as this format (`--format`, `--map`) instead of detecting it from its header.
    pub format: Option<Format>,
    /// Read and check everything, then write nothing: the preview.
    pub dry_run: bool,
    pub progress: Option<ProgressSink>,
}

/// What importing one file did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileImport {
    pub path: String,
    pub format: String,
    /// How the file was read (encoding, delimiter, decimal mark, date format, sheets).
    pub reading: Reading,
    /// The batch that holds the file's rows; none for a dry run.
    pub batch_id: Option<i64>,
    pub dry_run: bool,
    pub file_hash: String,
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// Rows the format's rules left out (a totals row, failed payments).
    pub skipped: u64,
    /// The first rejected rows (all of them unless there were more than a thousand).
    pub errors: Vec<RowError>,
    pub warnings: Vec<String>,
    /// For a dry run: what the import would add to the ledger's totals, per currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub would_add: Option<Vec<Figures>>,
    /// The estimated events the file's final figures replace (or, for a dry run, would replace): KDP's
    /// daily royalties of the months whose Prior Months' Royalties the file holds.
    pub replaces: Vec<EstimatedPeriod>,
}

enum Message {
    Started {
        format: String,
        reading: Reading,
        warnings: Vec<String>,
    },
    /// Rows, and how many bytes of the file had been read when they were.
    Items(Vec<Item>, u64),
    Finished {
        rows_read: u64,
        skipped: u64,
        hash: String,
        size: u64,
    },
    Failed(FileError),
}

/// The digest and size of the bytes read so far.
#[derive(Default)]
struct Digested {
    hasher: Sha256,
    size: u64,
}

/// Passes bytes through while hashing and counting them; the reading thread keeps a handle on the digest,
/// since the format's reader owns this one.
struct HashingReader<R> {
    inner: R,
    digest: Rc<RefCell<Digested>>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut digest = self.digest.borrow_mut();
        digest.hasher.update(&buf[..n]);
        digest.size += n as u64;
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The reading side: parses the file and sends its rows; stops when the writer hangs up.
fn read_file(
    path: PathBuf,
    format: Option<Format>,
    saved: Vec<Mapping>,
    out: SyncSender<Message>,
    spent: Receiver<Vec<Item>>,
) {
    let fail = |e: FileError| {
        let _ = out.send(Message::Failed(e));
    };
    let format = match format {
        Some(format) => format,
        None => match File::open(&path)
            .map_err(FileError::Io)
            .and_then(|f| formats::detect_with(f, &saved))
        {
            Ok(format) => format,
            Err(e) => return fail(e),
        },
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => return fail(FileError::Io(e)),
    };
    let digest = Rc::new(RefCell::new(Digested::default()));
    let hashing = HashingReader {
        inner: file,
        digest: Rc::clone(&digest),
    };
    let mut reader = match source::open(hashing, format) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if out
        .send(Message::Started {
            format: reader.format(),
            reading: reader.reading(),
            warnings: reader.warnings(),
        })
        .is_err()
    {
        return;
    }
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut reusable = spent.try_recv().ok().map(Vec::into_iter);
        let mut ended = false;
        while chunk.len() < CHUNK {
            let old = reusable.as_mut().and_then(Iterator::next);
            match reader.next_item_reusing(old) {
                Ok(Some(item)) => chunk.push(item),
                Ok(None) => {
                    ended = true;
                    break;
                }
                Err(e) => {
                    let _ = out.send(Message::Failed(e));
                    return;
                }
            }
        }
        let bytes_read = digest.borrow().size;
        if !chunk.is_empty() && out.send(Message::Items(chunk, bytes_read)).is_err() {
            return;
        }
        if ended {
            break;
        }
    }
    let (rows_read, skipped) = (reader.rows_read(), reader.skipped());
    // The format reader holds the other handle on the digest.
    drop(reader);
    let digest = match Rc::try_unwrap(digest) {
        Ok(digest) => digest.into_inner(),
        Err(_) => {
            return fail(FileError::Io(std::io::Error::other(
                "the file is still being read",
            )))
        }
    };
    let _ = out.send(Message::Finished {
        rows_read,
        skipped,
        hash: hex(&digest.hasher.finalize()),
        size: digest.size,
    });
}

impl Workspace {
    /// Imports one file as one batch: all of it, or (on any file-level failure, or any rejected row with
    /// `strict`) none of it.
    pub fn import_file(
        &mut self,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<FileImport, EngineError> {
        let (sender, receiver) = sync_channel(CHUNKS_IN_FLIGHT);
        let (give_back, spent) = channel();
        let owned = path.to_path_buf();
        let format = options.format.clone();
        // Only needed to detect a format; a broken saved mapping should not stop a forced one.
        let (saved, broken) = match format {
            Some(_) => (Vec::new(), Vec::new()),
            None => {
                let saved = self.saved_mappings()?;
                (saved.mappings, saved.broken)
            }
        };
        let reader = std::thread::Builder::new()
            .name("import-reader".into())
            .spawn(move || read_file(owned, format, saved, sender, spent))
            .map_err(|e| EngineError::File {
                path: path.to_path_buf(),
                reason: format!("could not start reading: {e}"),
            })?;
        // A wait for another writer is progress too: the window says what it waits for.
        let previous_hook = self.ledger.wait_hook();
        if let Some(ProgressSink(report)) = &options.progress {
            let (report, previous) = (Arc::clone(report), previous_hook.clone());
            let total_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
            self.ledger.set_wait_hook(Some(Arc::new(move |waiting| {
                if let Some(hook) = &previous {
                    hook(waiting);
                }
                report(ImportProgress {
                    rows: 0,
                    bytes_read: 0,
                    total_bytes,
                    waiting_for: Some(
                        waiting
                            .ahead
                            .clone()
                            .unwrap_or_else(|| "another program".to_string()),
                    ),
                });
            })));
        }
        let written = self.write_batch(path, options, &receiver, &give_back);
        self.ledger.set_wait_hook(previous_hook);
        let result = match written {
            // A file no format knows may be one a broken saved mapping was meant for.
            Err(EngineError::UnrecognizedFile { path, mut reason }) if !broken.is_empty() => {
                for b in &broken {
                    reason.push_str("; ");
                    reason.push_str(&b.sentence());
                }
                Err(EngineError::UnrecognizedFile { path, reason })
            }
            other => other,
        }
        .map_err(|e| e.naming_storage(&self.ledger_path(), Some(path)));
        // Hanging up first lets a reader blocked on a full channel notice and stop.
        drop(receiver);
        let _ = reader.join();
        result
    }

    fn write_batch(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        receiver: &Receiver<Message>,
        give_back: &Sender<Vec<Item>>,
    ) -> Result<FileImport, EngineError> {
        let file_error = |reason: String| EngineError::File {
            path: path.to_path_buf(),
            reason,
        };
        let (format, reading, warnings) = match receiver.recv() {
            Ok(Message::Started {
                format,
                reading,
                warnings,
            }) => (format, reading, warnings),
            Ok(Message::Failed(e)) => return Err(failed(path, e)),
            Ok(_) | Err(_) => {
                return Err(file_error("the file reader stopped unexpectedly".into()))
            }
        };
        let start = BatchStart {
            file_name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            file_path: Some(
                std::fs::canonicalize(path)
                    .unwrap_or_else(|_| path.to_path_buf())
                    .display()
                    .to_string(),
            ),
            format,
        };
        let total_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        // A ledger CSV names its accounts; other formats' rows go where their platform is connected.
        let accounts = match start.format.as_str() {
            tributary_imports::ledger_csv::FORMAT => Default::default(),
            _ => crate::connected_accounts::connected_accounts(&self.ledger),
        };
        let mut batch = self.ledger.begin_batch(&start)?;
        // Inside the transaction: another process's import cannot land between these and the preview.
        let before = match options.dry_run {
            true => Some(batch.totals_before().to_vec()),
            false => None,
        };
        let mut errors = Vec::new();
        let mut rows = 0u64;
        loop {
            match receiver.recv() {
                Ok(Message::Items(mut items, bytes_read)) => {
                    crate::connected_accounts::rebook(&mut items, &accounts);
                    let incoming = items.iter().map(|item| match item {
                        Item::Event(event) => Row::Event(event),
                        Item::Rejected(error) => Row::Refused(error),
                    });
                    match write_rows(&mut batch, incoming, options.strict, &mut errors) {
                        Ok(()) => {}
                        Err(Stopped::Strict(first)) => {
                            return Err(EngineError::StrictRejected {
                                path: path.to_path_buf(),
                                first,
                            })
                        }
                        Err(Stopped::Ledger(e)) => return Err(e.into()),
                    }
                    rows += items.len() as u64;
                    if let Some(ProgressSink(report)) = &options.progress {
                        report(ImportProgress {
                            rows,
                            bytes_read,
                            total_bytes,
                            waiting_for: None,
                        });
                    }
                    // A reader that has already finished drops it here instead.
                    let _ = give_back.send(items);
                }
                Ok(Message::Finished {
                    rows_read,
                    skipped,
                    hash,
                    size,
                }) => {
                    let rejected = batch.rejected();
                    let done = FileImport {
                        path: path.display().to_string(),
                        format: start.format.clone(),
                        reading: reading.clone(),
                        batch_id: None,
                        dry_run: options.dry_run,
                        file_hash: hash.clone(),
                        rows_read,
                        inserted: 0,
                        updated: 0,
                        duplicates: 0,
                        rejected,
                        skipped,
                        errors: std::mem::take(&mut errors),
                        warnings: warnings.clone(),
                        would_add: None,
                        replaces: Vec::new(),
                    };
                    if let Some(before) = &before {
                        let preview = batch.preview()?;
                        return Ok(FileImport {
                            inserted: preview.counts.inserted,
                            updated: preview.counts.updated,
                            duplicates: preview.counts.duplicates,
                            would_add: Some(tributary_ledger::change(before, &preview.totals)),
                            replaces: preview.replaces,
                            ..done
                        });
                    }
                    let replaces = batch.replaced()?;
                    let record = batch.commit(&BatchEnd {
                        file_hash: Some(hash),
                        file_size: Some(size),
                        rows_read,
                        skipped,
                    })?;
                    return Ok(FileImport {
                        batch_id: Some(record.id),
                        inserted: record.inserted as u64,
                        updated: record.updated as u64,
                        duplicates: record.duplicates as u64,
                        replaces,
                        ..done
                    });
                }
                Ok(Message::Failed(e)) => return Err(failed(path, e)),
                Ok(Message::Started { .. }) | Err(_) => {
                    return Err(file_error("the file reader stopped unexpectedly".into()))
                }
            }
        }
    }
}

/// A file-level failure as the engine reports it: a CSV of no known format is told apart, so that a
/// window can offer a column mapping for it.
fn failed(path: &Path, error: FileError) -> EngineError {
    match error {
        FileError::UnknownHeader(reason) => EngineError::UnrecognizedFile {
            path: path.to_path_buf(),
            reason,
        },
        other => EngineError::File {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    }
}
