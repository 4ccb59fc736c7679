//! Importing a file: one thread reads and parses the file (hashing its bytes on the way), the calling
//! thread writes what it yields into one batch transaction. A bounded channel between them keeps memory
//! flat however large the file is, and written chunks go back to the reader, which parses new rows into
//! them: steady state allocates and frees nothing per row (freeing on the writer, the slower side, across
//! threads cost a sixth of its time). Any failure rolls the whole file back.

use crate::error::EngineError;
use crate::workspace::Workspace;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use tributary_imports::ledger_csv::{self, LedgerCsvReader};
use tributary_imports::{FileError, Item};
use tributary_ledger::{BatchEnd, BatchStart, RowError};

/// Rows handed from the reading thread to the writer at a time.
const CHUNK: usize = 2048;
/// Chunks in flight: bounds memory to a few thousand rows.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Row errors returned to the caller (all are counted; the ledger keeps the first thousand too).
const ERRORS_REPORTED: usize = 1_000;

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Any rejected row fails the whole file.
    pub strict: bool,
}

/// What importing one file did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FileImport {
    pub path: String,
    pub format: String,
    pub batch_id: i64,
    pub file_hash: String,
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// The first rejected rows (all of them unless there were more than a thousand).
    pub errors: Vec<RowError>,
    pub warnings: Vec<String>,
}

enum Message {
    Started {
        warnings: Vec<String>,
    },
    Items(Vec<Item>),
    Finished {
        rows_read: u64,
        hash: String,
        size: u64,
    },
    Failed(FileError),
}

/// Passes bytes through while hashing and counting them.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The reading side: parses the file and sends its rows; stops when the writer hangs up.
fn read_file(path: PathBuf, out: SyncSender<Message>, spent: Receiver<Vec<Item>>) {
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            let _ = out.send(Message::Failed(FileError::Io(e)));
            return;
        }
    };
    let hashing = HashingReader {
        inner: file,
        hasher: Sha256::new(),
        size: 0,
    };
    let mut reader = match LedgerCsvReader::new(hashing) {
        Ok(r) => r,
        Err(e) => {
            let _ = out.send(Message::Failed(e));
            return;
        }
    };
    if out
        .send(Message::Started {
            warnings: reader.warnings().to_vec(),
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
        if !chunk.is_empty() && out.send(Message::Items(chunk)).is_err() {
            return;
        }
        if ended {
            break;
        }
    }
    let rows_read = reader.rows_read();
    let hashing = reader.into_inner();
    let _ = out.send(Message::Finished {
        rows_read,
        hash: hex(&hashing.hasher.finalize()),
        size: hashing.size,
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
        let reader = std::thread::Builder::new()
            .name("import-reader".into())
            .spawn(move || read_file(owned, sender, spent))
            .map_err(|e| EngineError::File {
                path: path.to_path_buf(),
                reason: format!("could not start reading: {e}"),
            })?;
        let result = self.write_batch(path, options, &receiver, &give_back);
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
        let warnings = match receiver.recv() {
            Ok(Message::Started { warnings }) => warnings,
            Ok(Message::Failed(e)) => return Err(file_error(e.to_string())),
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
            format: ledger_csv::FORMAT.to_string(),
        };
        let mut batch = self.ledger.begin_batch(&start)?;
        let mut errors = Vec::new();
        loop {
            match receiver.recv() {
                Ok(Message::Items(items)) => {
                    for item in &items {
                        match item {
                            Item::Event(event) => {
                                batch.write(event)?;
                            }
                            Item::Rejected(error) => {
                                if options.strict {
                                    return Err(EngineError::StrictRejected {
                                        path: path.to_path_buf(),
                                        first: error.clone(),
                                    });
                                }
                                batch.reject(error)?;
                                if errors.len() < ERRORS_REPORTED {
                                    errors.push(error.clone());
                                }
                            }
                        }
                    }
                    // A reader that has already finished drops it here instead.
                    let _ = give_back.send(items);
                }
                Ok(Message::Finished {
                    rows_read,
                    hash,
                    size,
                }) => {
                    let record = batch.commit(&BatchEnd {
                        file_hash: Some(hash.clone()),
                        file_size: Some(size),
                        rows_read,
                    })?;
                    return Ok(FileImport {
                        path: path.display().to_string(),
                        format: record.format,
                        batch_id: record.id,
                        file_hash: hash,
                        rows_read,
                        inserted: record.inserted as u64,
                        updated: record.updated as u64,
                        duplicates: record.duplicates as u64,
                        rejected: record.rejected as u64,
                        errors,
                        warnings,
                    });
                }
                Ok(Message::Failed(e)) => return Err(file_error(e.to_string())),
                Ok(Message::Started { .. }) | Err(_) => {
                    return Err(file_error("the file reader stopped unexpectedly".into()))
                }
            }
        }
    }
}
