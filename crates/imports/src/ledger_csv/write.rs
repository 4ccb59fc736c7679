//! Writes events as ledger CSV: UTF-8 without BOM, `,`, RFC 4180 quoting, `\n`, amounts as exact
//! decimals in major units, instants as RFC 3339 UTC.

use super::COLUMNS;
use std::io::Write;
use tributary_model::{Currency, EventKind, Money, UtcInstant};

/// The fields of one ledger CSV row.
pub struct LedgerCsvRow<'a> {
    pub platform: &'a str,
    pub account: &'a str,
    pub external_id: &'a str,
    pub kind: EventKind,
    pub occurred_at: UtcInstant,
    pub product_id: Option<&'a str>,
    pub product_name: Option<&'a str>,
    pub quantity: i64,
    pub currency: Currency,
    pub gross_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
    pub buyer_email: Option<&'a str>,
    pub country: Option<&'a str>,
    /// The settled period and whether the event is an estimate of it.
    pub settlement: Option<(&'a str, bool)>,
}

pub struct LedgerCsvWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> LedgerCsvWriter<W> {
    /// Starts the file with its header.
    pub fn new(out: W) -> csv::Result<LedgerCsvWriter<W>> {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        csv.write_record(COLUMNS)?;
        Ok(LedgerCsvWriter { csv })
    }

    pub fn write(&mut self, row: &LedgerCsvRow<'_>) -> csv::Result<()> {
        let amount = |minor: i64| Money::from_minor(minor, row.currency).amount_text();
        self.csv.write_record([
            row.platform,
            row.account,
            row.external_id,
            row.kind.as_str(),
            &row.occurred_at.to_rfc3339(),
            row.product_id.unwrap_or(""),
            row.product_name.unwrap_or(""),
            &row.quantity.to_string(),
            row.currency.code(),
            &amount(row.gross_minor),
            &amount(row.fees_minor),
            &amount(row.net_minor),
            row.buyer_email.unwrap_or(""),
            row.country.unwrap_or(""),
            row.settlement.map_or("", |(period, _)| period),
            match row.settlement {
                None => "",
                Some((_, true)) => "true",
                Some((_, false)) => "false",
            },
        ])
    }

    /// Flushes and hands back the output.
    pub fn finish(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}
