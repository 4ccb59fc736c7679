//! Reading any CSV through a mapping: the encoding and delimiter are sniffed, the header resolved, the
//! decimal mark and date order read off the first rows (unless the mapping gives them), then rows stream
//! as events. Only the first rows are held, to settle those conventions; the rest of the file never is.

use super::columns::Columns;
use super::row::{Conventions, RowEvents, RowReader};
use super::spec::Mapping;
use crate::amount::DecimalMark;
use crate::dates::{detect, DateDetection};
use crate::sniff::{sniff_delimiter, TextEncoding, SAMPLE_BYTES};
use crate::source::Reading;
use crate::{FileError, Item};
use encoding_rs_io::DecodeReaderBytes;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};

/// Rows read ahead to settle the decimal mark and the date order.
const LOOKAHEAD_ROWS: usize = 500;

type Decoded<R> = DecodeReaderBytes<BufReader<R>, Vec<u8>>;

pub struct MappedCsvReader<R: Read> {
    csv: csv::Reader<Decoded<R>>,
    mapping: Mapping,
    columns: Columns,
    conventions: Conventions,
    reading: Reading,
    /// Rows read to settle conventions, not yet turned into items (with their lines).
    ahead: VecDeque<(csv::StringRecord, u64)>,
    /// Events of a row not yet handed out.
    pending: VecDeque<Item>,
    record: csv::StringRecord,
    rows_read: u64,
    skipped: u64,
    warnings: Vec<String>,
}

/// The header of a CSV and how it was read, without reading further: for choosing a format.
pub struct Peeked {
    pub header: Vec<String>,
    pub encoding: TextEncoding,
    pub delimiter: u8,
}

/// Decodes `input` and reads its header: the start of every CSV format but Tributary's own.
pub(crate) fn open_csv<R: Read>(input: R) -> Result<(csv::Reader<Decoded<R>>, Peeked), FileError> {
    let mut raw = BufReader::with_capacity(SAMPLE_BYTES, input);
    // One read: a file gives its first 64 KiB, far more than the lines sniffing looks at.
    let sample = raw.fill_buf()?;
    let encoding = TextEncoding::sniff(sample);
    let delimiter = sniff_delimiter(encoding.decode_sample(sample).as_bytes());
    let mut csv = csv::ReaderBuilder::new()
        // Lines end at \n; a \r before it is trimmed with the field. (With the CRLF terminator the csv
        // crate reports each record one line early: BurntSushi/rust-csv#395.)
        .terminator(csv::Terminator::Any(b'\n'))
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(encoding.decode(raw));
    let header: Vec<String> = csv
        .headers()
        .map_err(FileError::from_csv)?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(FileError::Empty);
    }
    Ok((
        csv,
        Peeked {
            header,
            encoding,
            delimiter,
        },
    ))
}

/// The header of the CSV `input`, for choosing a mapping.
pub fn peek<R: Read>(input: R) -> Result<Peeked, FileError> {
    open_csv(input).map(|(_, peeked)| peeked)
}

impl<R: Read> MappedCsvReader<R> {
    pub fn new(input: R, mapping: Mapping) -> Result<MappedCsvReader<R>, FileError> {
        let (mut csv, peeked) = open_csv(input)?;
        let columns = Columns::resolve(&mapping, &peeked.header)?;
        let mut ahead = VecDeque::new();
        let mut record = csv::StringRecord::new();
        while ahead.len() < LOOKAHEAD_ROWS
            && csv.read_record(&mut record).map_err(FileError::from_csv)?
        {
            let line = record.position().map_or(0, |p| p.line());
            ahead.push_back((record.clone(), line));
        }
        let field = |column: usize| ahead.iter().filter_map(move |(r, _)| r.get(column));
        let decimal_mark = mapping.decimal_mark.unwrap_or_else(|| {
            let mut amounts: Vec<usize> = columns.amounts.columns().collect();
            amounts.extend(&columns.fees);
            DecimalMark::detect(amounts.iter().flat_map(|&c| field(c)))
        });
        let date_order = match mapping.date.order {
            Some(order) => order,
            None => match detect(field(columns.date)) {
                DateDetection::Found(order) => order,
                DateDetection::Ambiguous(orders) => {
                    let labels: Vec<&str> = orders.iter().map(|o| o.label()).collect();
                    return Err(FileError::Mapping(format!(
                        "the dates in column '{}' read as {} alike: choose the date order (`order` under [date] in a mapping file)",
                        columns.names[columns.date],
                        labels.join(" and as ")
                    )));
                }
                // Rows whose date cannot be read are then reported one by one.
                DateDetection::Unreadable(_) => crate::dates::DateOrder::YearMonthDay,
            },
        };
        let mut warnings = Vec::new();
        warnings.extend(peeked.encoding.warning());
        Ok(MappedCsvReader {
            csv,
            conventions: Conventions {
                decimal_mark,
                date_order,
            },
            reading: Reading::of_csv(
                peeked.encoding,
                peeked.delimiter,
                Some(decimal_mark),
                date_order.label(),
            ),
            mapping,
            columns,
            ahead,
            pending: VecDeque::new(),
            record,
            rows_read: 0,
            skipped: 0,
            warnings,
        })
    }

    pub fn reading(&self) -> &Reading {
        &self.reading
    }

    pub fn format(&self) -> &str {
        &self.mapping.name
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Rows the format's rules left out (a totals row, failed payments).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The next event or rejected row; None at the end of the file.
    pub fn next_item(&mut self) -> Result<Option<Item>, FileError> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Ok(Some(item));
            }
            let (record, line) = match self.ahead.pop_front() {
                Some(row) => row,
                None => {
                    if !self
                        .csv
                        .read_record(&mut self.record)
                        .map_err(FileError::from_csv)?
                    {
                        return Ok(None);
                    }
                    let line = self.record.position().map_or(0, |p| p.line());
                    (std::mem::take(&mut self.record), line)
                }
            };
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            self.rows_read += 1;
            let reader = RowReader {
                columns: &self.columns,
                conventions: self.conventions,
                platform: &self.mapping.platform,
                account: &self.mapping.account,
            };
            match reader.events(&record, line) {
                Ok(RowEvents::Skipped) => self.skipped += 1,
                Ok(RowEvents::Events(events)) => {
                    self.pending.extend(events.into_iter().map(Item::Event))
                }
                Err(error) => return Ok(Some(Item::Rejected(error))),
            }
        }
    }
}
