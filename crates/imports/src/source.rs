//! What the engine reads a file through, whatever its format: rows as items, and what the preview and
//! the batch record need to know about the reading.

use crate::amount::DecimalMark;
use crate::formats::Format;
use crate::ledger_csv::LedgerCsvReader;
use crate::mapping::MappedCsvReader;
use crate::sniff::TextEncoding;
use crate::{FileError, Item};
use std::io::BufRead;
use std::io::Read;

/// How a file was read, for the preview: what was detected (or given) about its text and its values.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reading {
    /// `UTF-8`, `UTF-16 LE`, `Windows-1252`, …; none for a workbook.
    pub encoding: Option<String>,
    /// `,`, `;`, `tab` or `|`.
    pub delimiter: Option<String>,
    pub decimal_mark: Option<DecimalMark>,
    /// How dates are written, like `DD/MM/YYYY`.
    pub date_format: Option<String>,
    /// The workbook sheets that rows were read from, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub sheets: Vec<String>,
}

impl Reading {
    pub fn of_csv(
        encoding: TextEncoding,
        delimiter: u8,
        decimal_mark: Option<DecimalMark>,
        date_format: &str,
    ) -> Reading {
        Reading {
            encoding: Some(encoding.label().to_string()),
            delimiter: Some(match delimiter {
                b'\t' => "tab".to_string(),
                other => char::from(other).to_string(),
            }),
            decimal_mark,
            date_format: Some(date_format.to_string()),
            sheets: Vec::new(),
        }
    }
}

pub trait EventSource {
    /// The next event or rejected row, written over `old` where the format can reuse it; None at the end.
    fn next_item_reusing(&mut self, old: Option<Item>) -> Result<Option<Item>, FileError>;
    /// Rows read so far (blank lines are not rows).
    fn rows_read(&self) -> u64;
    /// Rows the format's rules left out (a totals row, failed payments).
    fn skipped(&self) -> u64;
    /// Things worth telling the user that are not errors.
    fn warnings(&self) -> Vec<String>;
    /// The format's name, as batches record it.
    fn format(&self) -> String;
    /// How the file is being read.
    fn reading(&self) -> Reading;
}

impl<R: Read> EventSource for LedgerCsvReader<R> {
    fn next_item_reusing(&mut self, old: Option<Item>) -> Result<Option<Item>, FileError> {
        LedgerCsvReader::next_item_reusing(self, old)
    }
    fn rows_read(&self) -> u64 {
        LedgerCsvReader::rows_read(self)
    }
    fn skipped(&self) -> u64 {
        0
    }
    fn warnings(&self) -> Vec<String> {
        LedgerCsvReader::warnings(self).to_vec()
    }
    fn format(&self) -> String {
        crate::ledger_csv::FORMAT.to_string()
    }
    fn reading(&self) -> Reading {
        // The ledger CSV's conventions are fixed by its definition; a BOM is accepted but not told.
        Reading::of_csv(
            LedgerCsvReader::encoding(self),
            b',',
            Some(DecimalMark::Point),
            "RFC 3339",
        )
    }
}

impl<R: Read> EventSource for MappedCsvReader<R> {
    fn next_item_reusing(&mut self, _old: Option<Item>) -> Result<Option<Item>, FileError> {
        self.next_item()
    }
    fn rows_read(&self) -> u64 {
        MappedCsvReader::rows_read(self)
    }
    fn skipped(&self) -> u64 {
        MappedCsvReader::skipped(self)
    }
    fn warnings(&self) -> Vec<String> {
        MappedCsvReader::warnings(self).to_vec()
    }
    fn format(&self) -> String {
        MappedCsvReader::format(self).to_string()
    }
    fn reading(&self) -> Reading {
        MappedCsvReader::reading(self).clone()
    }
}

impl EventSource for crate::kdp::KdpReader {
    fn next_item_reusing(&mut self, _old: Option<Item>) -> Result<Option<Item>, FileError> {
        self.next_item()
    }
    fn rows_read(&self) -> u64 {
        crate::kdp::KdpReader::rows_read(self)
    }
    fn skipped(&self) -> u64 {
        0
    }
    fn warnings(&self) -> Vec<String> {
        crate::kdp::KdpReader::warnings(self).to_vec()
    }
    fn format(&self) -> String {
        crate::kdp::KdpReader::format(self).to_string()
    }
    fn reading(&self) -> Reading {
        crate::kdp::KdpReader::reading(self).clone()
    }
}

/// Reads `input` as `format`.
pub fn open<'r, R: Read + 'r>(
    input: R,
    format: Format,
) -> Result<Box<dyn EventSource + 'r>, FileError> {
    Ok(match format {
        Format::LedgerCsv => {
            // Tributary writes UTF-8, but a ledger CSV saved again by a spreadsheet may be UTF-16.
            let mut input = std::io::BufReader::new(input);
            let start = input.fill_buf().map_err(FileError::Io)?;
            match TextEncoding::sniff(start.get(..2).unwrap_or(start)) {
                utf16 @ (TextEncoding::Utf16Le | TextEncoding::Utf16Be) => {
                    Box::new(LedgerCsvReader::new(utf16.decode(input))?.decoded_from(utf16))
                }
                _ => Box::new(LedgerCsvReader::new(input)?),
            }
        }
        Format::KdpWorkbook => Box::new(crate::kdp::read_workbook(input)?),
        Format::KdpCsv => Box::new(crate::kdp::read_csv(input)?),
        Format::Mapped(mapping) => Box::new(MappedCsvReader::new(input, *mapping)?),
    })
}
