//! Reading stored events back, in the order they were first recorded, for export.

use crate::error::{LedgerError, Result};
use rusqlite::Connection;
use tributary_model::{Currency, EventKind, Settlement, UtcInstant};

/// A stored event with its identity, as export writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub platform: String,
    pub account: String,
    pub external_id: String,
    pub kind: EventKind,
    pub occurred_at: UtcInstant,
    pub product_id: Option<String>,
    pub product_name: Option<String>,
    pub quantity: i64,
    pub currency: Currency,
    pub gross_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
    pub buyer_email: Option<String>,
    pub country: Option<String>,
    pub settlement: Option<Settlement>,
}

/// Calls `each` for every event, streaming (no list of all events is held), stopping at its first error.
pub fn for_each<E>(
    conn: &Connection,
    mut each: impl FnMut(StoredEvent) -> std::result::Result<(), E>,
) -> std::result::Result<(), E>
where
    E: From<LedgerError>,
{
    let mut stmt = conn
        .prepare(
            "SELECT s.platform, s.account, e.external_id, e.kind, e.occurred_at, e.product_id,
                    e.product_name, e.quantity, e.currency, e.gross_minor, e.fees_minor, e.net_minor,
                    e.buyer_email, e.country, e.period, e.estimated
             FROM events e JOIN sources s ON s.id = e.source_id
             ORDER BY e.id",
        )
        .map_err(LedgerError::from)?;
    let mut rows = stmt.query([]).map_err(LedgerError::from)?;
    while let Some(row) = rows.next().map_err(LedgerError::from)? {
        let event = read(row)?;
        each(event)?;
    }
    Ok(())
}

fn read(row: &rusqlite::Row<'_>) -> Result<StoredEvent> {
    let kind: String = row.get(3)?;
    let currency: String = row.get(8)?;
    Ok(StoredEvent {
        platform: row.get(0)?,
        account: row.get(1)?,
        external_id: row.get(2)?,
        kind: kind
            .parse()
            .map_err(|e: tributary_model::UnknownKind| LedgerError::Corrupt(e.to_string()))?,
        occurred_at: UtcInstant::from_millis(row.get(4)?),
        product_id: row.get(5)?,
        product_name: row.get(6)?,
        quantity: row.get(7)?,
        currency: Currency::from_code(&currency)
            .map_err(|e| LedgerError::Corrupt(e.to_string()))?,
        gross_minor: row.get(9)?,
        fees_minor: row.get(10)?,
        net_minor: row.get(11)?,
        buyer_email: row.get(12)?,
        country: row.get(13)?,
        settlement: row
            .get::<_, Option<String>>(14)?
            .map(|period| -> Result<Settlement> {
                Ok(Settlement {
                    period,
                    estimated: row.get::<_, i64>(15)? != 0,
                })
            })
            .transpose()?,
    })
}
