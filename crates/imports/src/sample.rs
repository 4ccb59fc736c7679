//! The first rows of a CSV as text, read the way an import would read them (encoding and delimiter
//! sniffed), for building a column mapping by picking columns from what the file really holds.

use crate::error::FileError;
use crate::sniff::{sniff_delimiter, TextEncoding, SAMPLE_BYTES};
use std::io::Read;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CsvSample {
    pub headers: Vec<String>,
    /// The first data rows, whole (a row the sample's bytes cut through is left out).
    pub rows: Vec<Vec<String>>,
    /// `,`, `;`, `tab` or `|`.
    pub delimiter: String,
    pub encoding: String,
}

/// The header and up to `rows` rows of the CSV that `input` starts with.
pub fn csv_sample(mut input: impl Read, rows: usize) -> Result<CsvSample, FileError> {
    let mut head = Vec::with_capacity(SAMPLE_BYTES);
    input
        .by_ref()
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut head)?;
    if head.is_empty() {
        return Err(FileError::Empty);
    }
    let encoding = TextEncoding::sniff(&head);
    let text = encoding.decode_sample(&head);
    let delimiter = sniff_delimiter(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(FileError::from_csv)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut shown: Vec<Vec<String>> = reader
        .records()
        .take(rows.saturating_add(1))
        .map_while(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    // A sample that filled its bytes may end inside a row, which would show cut short: only rows
    // followed by another are known whole.
    if head.len() == SAMPLE_BYTES || shown.len() > rows {
        shown.pop();
    }
    shown.truncate(rows);
    Ok(CsvSample {
        headers,
        rows: shown,
        delimiter: match delimiter {
            b'\t' => "tab".to_string(),
            other => char::from(other).to_string(),
        },
        encoding: encoding.label().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_and_rows_with_the_sniffed_delimiter_and_encoding() {
        let file = "\u{feff}Datum;Betrag;Währung\n03.02.2026;1.250,00;EUR\n05.02.2026;19,90;EUR\n";
        let sample = csv_sample(file.as_bytes(), 1).unwrap();
        assert_eq!(sample.headers, ["Datum", "Betrag", "Währung"]);
        assert_eq!(sample.rows, [["03.02.2026", "1.250,00", "EUR"]]);
        assert_eq!(sample.delimiter, ";");
        assert_eq!(sample.encoding, "UTF-8 with BOM");
    }

    #[test]
    fn a_row_cut_by_the_sample_is_not_shown() {
        let mut file = String::from("id,amount,note\n");
        let mut n = 0;
        while file.len() < SAMPLE_BYTES + 1000 {
            file.push_str(&format!("{n},{n}.00,{}\n", "x".repeat(50)));
            n += 1;
        }
        let sample = csv_sample(file.as_bytes(), usize::MAX).unwrap();
        assert!(sample.rows.len() > 100);
        for row in &sample.rows {
            assert_eq!(row.len(), 3, "{row:?}");
            assert_eq!(row[2].len(), 50, "{row:?}");
        }
        assert_eq!(csv_sample(file.as_bytes(), 5).unwrap().rows.len(), 5);
    }

    #[test]
    fn an_empty_file_is_an_error() {
        assert!(matches!(csv_sample(&b""[..], 5), Err(FileError::Empty)));
    }
}
