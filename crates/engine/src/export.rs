//! Exporting the ledger as ledger CSV, streamed row by row, to a stream or to a file. A file is written
//! beside its target and renamed into place once complete: a failed export (a full disk) leaves neither
//! a half-written file where a good one was nor a partial file beside it.

use crate::error::EngineError;
use crate::workspace::Workspace;
use std::io::{BufWriter, Write};
use std::path::Path;
use tributary_imports::ledger_csv::{LedgerCsvRow, LedgerCsvWriter};

impl Workspace {
    /// Writes every event, in the order first recorded, and returns how many.
    pub fn export_csv<W: Write>(&self, out: W, target: &str) -> Result<u64, EngineError> {
        let output_error = |reason: String| EngineError::Output {
            path: target.to_string(),
            reason,
        };
        let mut writer = LedgerCsvWriter::new(out).map_err(|e| output_error(e.to_string()))?;
        let mut rows = 0u64;
        self.ledger.for_each_event(|e| {
            writer
                .write(&LedgerCsvRow {
                    platform: &e.platform,
                    account: &e.account,
                    external_id: &e.external_id,
                    kind: e.kind,
                    occurred_at: e.occurred_at,
                    product_id: e.product_id.as_deref(),
                    product_name: e.product_name.as_deref(),
                    quantity: e.quantity,
                    currency: e.currency,
                    gross_minor: e.gross_minor,
                    fees_minor: e.fees_minor,
                    net_minor: e.net_minor,
                    buyer_email: e.buyer_email.as_deref(),
                    country: e.country.as_deref(),
                    settlement: e
                        .settlement
                        .as_ref()
                        .map(|s| (s.period.as_str(), s.estimated)),
                })
                .map_err(|err| output_error(csv_words(&err)))?;
            rows += 1;
            Ok::<(), EngineError>(())
        })?;
        writer
            .finish()
            .map_err(|e| output_error(crate::error::io_words(&e)))?;
        Ok(rows)
    }

    /// Writes the ledger CSV to the file `target` and returns how many events it holds.
    pub fn export_csv_file(&self, target: &Path) -> Result<u64, EngineError> {
        let output_error = |reason: String| EngineError::Output {
            path: target.display().to_string(),
            reason,
        };
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(output_error(format!(
                "the folder {} does not exist",
                dir.display()
            )));
        }
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        // Removed when dropped: on every failure below, and if the rename never happens.
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(dir)
            .map_err(|e| output_error(crate::error::io_words(&e)))?;
        let rows = self.export_csv(
            BufWriter::new(temp.as_file_mut()),
            &target.display().to_string(),
        )?;
        temp.as_file()
            .sync_all()
            .map_err(|e| output_error(crate::error::io_words(&e)))?;
        temp.persist(target)
            .map_err(|e| output_error(crate::error::io_words(&e.error)))?;
        Ok(rows)
    }
}

/// A CSV writer's failure in words: underneath it is the output's I/O error.
fn csv_words(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => crate::error::io_words(io),
        _ => e.to_string(),
    }
}
