//! Exporting the ledger as ledger CSV, streamed row by row.

use crate::error::EngineError;
use crate::workspace::Workspace;
use std::io::Write;
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
                .map_err(|err| output_error(err.to_string()))?;
            rows += 1;
            Ok::<(), EngineError>(())
        })?;
        writer.finish().map_err(|e| output_error(e.to_string()))?;
        Ok(rows)
    }
}
