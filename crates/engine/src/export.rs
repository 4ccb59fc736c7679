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
        let shown = target.display().to_string();
        write_replacing(target, |file| self.export_csv(BufWriter::new(file), &shown))
    }
}

/// Writes `rows` (the first one the header) as CSV to `target`: a table the window shows (the chart's
/// buckets, say), saved as the creator sees it. Returns the data rows written.
pub fn export_table_csv(target: &Path, rows: &[Vec<String>]) -> Result<u64, EngineError> {
    let shown = target.display().to_string();
    write_replacing(target, |file| {
        let mut out = csv::Writer::from_writer(BufWriter::new(file));
        for row in rows {
            out.write_record(row).map_err(|e| EngineError::Output {
                path: shown.clone(),
                reason: csv_words(&e),
            })?;
        }
        out.flush().map_err(|e| EngineError::Output {
            path: shown.clone(),
            reason: crate::error::io_words(&e),
        })?;
        Ok(rows.len().saturating_sub(1) as u64)
    })
}

/// Writes a file through `write` into a temporary file beside `target`, then renames it into place: a
/// failure half way leaves `target` as it was (and no partial file).
fn write_replacing(
    target: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<u64, EngineError>,
) -> Result<u64, EngineError> {
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
    let written = write(temp.as_file_mut())?;
    temp.as_file()
        .sync_all()
        .map_err(|e| output_error(crate::error::io_words(&e)))?;
    temp.persist(target)
        .map_err(|e| output_error(crate::error::io_words(&e.error)))?;
    Ok(written)
}

/// A CSV writer's failure in words: underneath it is the output's I/O error.
fn csv_words(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => crate::error::io_words(io),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_saved_as_csv_with_its_quotes_and_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("chart.csv");
        std::fs::write(&target, "old").unwrap();
        let rows = vec![
            vec!["Month".to_string(), "Currency".into(), "Net".into()],
            vec!["2026-03".to_string(), "USD".into(), "1234.56".into()],
            vec![
                "Titles, \"quoted\"".to_string(),
                "EUR".into(),
                "-3.00".into(),
            ],
        ];
        assert_eq!(export_table_csv(&target, &rows).unwrap(), 2);
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "Month,Currency,Net\n2026-03,USD,1234.56\n\"Titles, \"\"quoted\"\"\",EUR,-3.00\n"
        );
        let missing = dir.path().join("no/such/dir/x.csv");
        let error = export_table_csv(&missing, &rows).unwrap_err().to_string();
        assert!(error.contains("does not exist"), "{error}");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no partial file is left");
    }
}
