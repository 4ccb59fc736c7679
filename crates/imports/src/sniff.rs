//! What a text file is before it is parsed: its encoding (UTF-8 with or without BOM, UTF-16 LE/BE with
//! BOM as Excel's "Unicode text" writes, else Windows-1252 when the bytes are not UTF-8) and its delimiter
//! (`,` `;` tab or `|`, whichever splits the first lines into the same number of fields). Both are read off
//! the first bytes; the file is then decoded to UTF-8 as it streams, never held whole.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use std::io::Read;

/// Bytes looked at to tell encoding and delimiter.
pub const SAMPLE_BYTES: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not UTF-8 and no BOM: read as Windows-1252, with a warning, since that is what Excel writes for
    /// "CSV" in Western locales.
    Windows1252,
}

impl TextEncoding {
    /// The encoding of a file that starts with `sample`.
    pub fn sniff(sample: &[u8]) -> TextEncoding {
        if sample.starts_with(b"\xEF\xBB\xBF") {
            TextEncoding::Utf8Bom
        } else if sample.starts_with(b"\xFF\xFE") {
            TextEncoding::Utf16Le
        } else if sample.starts_with(b"\xFE\xFF") {
            TextEncoding::Utf16Be
        } else if is_utf8_prefix(sample) {
            TextEncoding::Utf8
        } else {
            TextEncoding::Windows1252
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Windows1252 => WINDOWS_1252,
        }
    }

    /// A warning the user should see when the file is read this way.
    pub fn warning(self) -> Option<String> {
        (self == TextEncoding::Windows1252).then(|| {
            "the file is not UTF-8; it was read as Windows-1252 (check accented letters in the preview)"
                .to_string()
        })
    }

    /// The text of a file's first bytes (a character cut at the end becomes U+FFFD), for sniffing.
    pub fn decode_sample(self, sample: &[u8]) -> String {
        let bom = match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            TextEncoding::Utf8 | TextEncoding::Windows1252 => 0,
        };
        let body = sample.get(bom..).unwrap_or_default();
        self.encoding()
            .decode_without_bom_handling(body)
            .0
            .into_owned()
    }

    /// `input` decoded to UTF-8 as it is read, without its BOM. UTF-8 passes through untouched (invalid
    /// bytes are then the rows' to report).
    pub fn decode<R: Read>(self, input: R) -> DecodeReaderBytes<R, Vec<u8>> {
        let mut builder = DecodeReaderBytesBuilder::new();
        builder.strip_bom(true).bom_override(false);
        match self {
            TextEncoding::Utf8 => builder.encoding(None).utf8_passthru(true),
            other => builder.encoding(Some(other.encoding())),
        };
        builder.build(input)
    }
}

/// Whether `sample` is UTF-8, allowing it to stop inside a character (it is a cut of a longer file).
fn is_utf8_prefix(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    }
}

/// The delimiter that splits the first lines of `text` (decoded, from the start of the file) into the
/// same number of fields, more than one; `,` when none does.
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    const LINES: usize = 20;
    let mut best = (b',', 0usize, 0usize);
    for delimiter in CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let widths: Vec<usize> = reader
            .byte_records()
            .take(LINES)
            .map_while(Result::ok)
            .map(|r| r.len())
            .collect();
        // The last line of a sample may be cut short; it does not count against a delimiter.
        let complete = &widths[..widths.len().saturating_sub(usize::from(widths.len() > 1))];
        let Some(&header) = complete.first() else {
            continue;
        };
        let agreeing = complete.iter().filter(|&&w| w == header).count();
        if header > 1 && agreeing * 10 >= complete.len() * 9 {
            // More agreeing lines win, then more fields.
            if (agreeing, header) > (best.1, best.2) {
                best = (delimiter, agreeing, header);
            }
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (TextEncoding, String) {
        let encoding = TextEncoding::sniff(bytes);
        let mut text = String::new();
        encoding.decode(bytes).read_to_string(&mut text).unwrap();
        (encoding, text)
    }

    #[test]
    fn encodings_are_told_by_bom_or_by_validity() {
        assert_eq!(
            decoded(b"a,b\n1,2\n"),
            (TextEncoding::Utf8, "a,b\n1,2\n".into())
        );
        assert_eq!(
            decoded("\u{feff}Título,€\n".as_bytes()),
            (TextEncoding::Utf8Bom, "Título,€\n".into())
        );
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Título\t€\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decoded(&utf16le),
            (TextEncoding::Utf16Le, "Título\t€\n".into())
        );
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Título\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(
            decoded(&utf16be),
            (TextEncoding::Utf16Be, "Título\n".into())
        );
        // "Título;80 €" as Excel writes it in Windows-1252.
        assert_eq!(
            decoded(b"T\xedtulo;80 \x80\n"),
            (TextEncoding::Windows1252, "Título;80 €\n".into())
        );
        assert!(TextEncoding::Windows1252.warning().is_some());
        assert!(TextEncoding::Utf8.warning().is_none());
    }

    #[test]
    fn a_sample_cut_inside_a_character_is_still_utf8() {
        let text = "prix,€".as_bytes();
        assert_eq!(
            TextEncoding::sniff(&text[..text.len() - 1]),
            TextEncoding::Utf8
        );
    }

    #[test]
    fn delimiters_are_told_by_consistent_widths() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(
            sniff_delimiter(b"Datum;Betrag;Name\n01.02.2026;1.234,56;\"A, B\"\n"),
            b';'
        );
        assert_eq!(sniff_delimiter(b"a\tb\n1,5\t2,5\n3\t4\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n"), b'|');
        // Quoted delimiters and newlines inside fields do not count.
        assert_eq!(
            sniff_delimiter(b"id,note\n1,\"x; y; z\nmore\"\n2,ok\n"),
            b','
        );
        assert_eq!(sniff_delimiter(b"single column\nvalue\n"), b',');
        // The cut-off last line of a sample is forgiven.
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3\n4;5;6\n7;8"), b';');
    }
}
