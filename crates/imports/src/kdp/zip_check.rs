//! A look inside an xlsx's zip before calamine opens it, at two things calamine 0.38 takes on trust
//! when it opens a workbook and that a small damaged file can use to abort the process (an allocation
//! failure aborts: unlike calamine's other failures, it cannot be caught as a panic):
//!
//! - the shared strings' `<sst uniqueCount="…">`, which calamine reserves room for unchecked: a part
//!   of two hundred bytes that says 100000000000 asks for 2.4 TB;
//! - the entries' declared uncompressed sizes, which are what bounds the zip reader's output: a file of
//!   a few kilobytes may declare, and inflate to, gigabytes (a zip bomb);
//! - how far each entry inflates: XML a spreadsheet wrote compresses five to twenty times (KDP's
//!   reports five to nine), while a part that inflates hundreds of times is a run of the same bytes — one
//!   string of 480 MB in a file of 488 KB (which calamine holds in memory three times over), or ten
//!   million identical rows in 1.4 MB (which it reads for minutes) — and is refused here in
//!   microseconds, as Apache POI refuses what inflates past 100 to 1.
//!
//! Only the central directory and the first 4 KiB of the shared strings are read. Anything else wrong
//! with the zip is left to calamine, which reports it well.

use crate::FileError;
use std::io::{Cursor, Read};

/// The most an xlsx's entries may declare, decompressed and all together. A KDP report is a few MB (a
/// year of daily rows is tens of MB of XML); what is far past that is not one, and would be inflated in
/// full as calamine reads it.
const MAX_UNCOMPRESSED_BYTES: u64 = 512 * 1024 * 1024;

/// How many times its compressed size a large entry may inflate to (Apache POI's bound, 100 to 1).
const MAX_INFLATION: u64 = 100;

/// Entries up to this size may inflate as far as they like: a small part full of one repeated tag
/// (empty styled cells) can, and costs nothing to read.
const INFLATION_GRACE_BYTES: u64 = 1 << 20;

/// The most distinct shared strings (`uniqueCount`) a workbook may declare. A KDP report has at most
/// tens of thousands (titles, ASINs, dates); at this bound, what calamine reserves for them stays under
/// 240 MB (a `String` is 24 bytes).
const MAX_SHARED_STRINGS: u64 = 10_000_000;

/// The fewest bytes a shared string takes in the shared strings part: `<si/>`. A part of `n` bytes
/// cannot hold more than `n / 5` of them.
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// The fewest bytes a cell that uses a shared string takes in a worksheet: `<c t="s"><v>0</v></c>`.
/// `count` (how many cells use shared strings, which may be far more than the part holds: the same
/// title on every row) cannot be more than the workbook's parts hold such cells.
const MIN_SHARED_STRING_CELL_BYTES: u64 = 21;

/// How much of the start of a shared strings part is read to find its `<sst>` element. Writers put it
/// right after the XML declaration, within the first few hundred bytes.
const SST_WINDOW: usize = 4096;

/// An xls (an OLE compound file): calamine opens everything else as an xlsx.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";

fn unreadable(reason: String) -> FileError {
    FileError::Unrecognized(format!("this is not a readable workbook: {reason}"))
}

/// Refuses an xlsx whose entries declare more than `MAX_UNCOMPRESSED_BYTES`, or whose shared strings
/// declare a count they could not hold; `Ok` for anything else (an xls, a zip calamine will refuse).
pub(super) fn check_xlsx(bytes: &[u8]) -> Result<(), FileError> {
    // The zip crate reads what the file says: should it panic, the file is left to calamine, which
    // opens it with the same crate and turns a panic into a damaged file's error.
    std::panic::catch_unwind(|| check(bytes)).unwrap_or(Ok(()))
}

fn check(bytes: &[u8]) -> Result<(), FileError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Ok(());
    }
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    let mut shared_strings = Vec::new();
    // The entry that inflates the most past the bound: (times, name, size, compressed size).
    let mut bomb: Option<(u64, String, u64, u64)> = None;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(i) else {
            continue;
        };
        total = total.saturating_add(entry.size());
        let name = match entry.name() {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
        };
        let inflation = entry.size() / entry.compressed_size().max(1);
        if entry.size() > INFLATION_GRACE_BYTES
            && inflation > MAX_INFLATION
            && bomb.as_ref().is_none_or(|(worst, ..)| inflation > *worst)
        {
            bomb = Some((
                inflation,
                name.clone(),
                entry.size(),
                entry.compressed_size(),
            ));
        }
        if is_shared_strings(&name) {
            shared_strings.push((i, name, entry.size()));
        }
    }
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(unreadable(format!(
            "its parts would take {} MiB once decompressed, far more than a KDP report \
             (at most {} MiB)",
            total >> 20,
            MAX_UNCOMPRESSED_BYTES >> 20
        )));
    }
    if let Some((inflation, name, size, compressed)) = bomb {
        return Err(unreadable(format!(
            "its part {name} inflates {inflation} times over, to {} MiB from {} KiB: a \
             spreadsheet's own parts compress far less (a zip bomb, not a report)",
            size >> 20,
            compressed >> 10
        )));
    }
    for (i, name, size) in shared_strings {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        // A read error (damaged deflate data, a wrong CRC) ends the start early: calamine's reader
        // cannot get past that place either.
        let mut start = Vec::with_capacity(SST_WINDOW + 1);
        let _ = file.take(SST_WINDOW as u64 + 1).read_to_end(&mut start);
        let more = start.len() > SST_WINDOW;
        start.truncate(SST_WINDOW);
        check_shared_strings(&name, &start, more, size, total)?;
    }
    Ok(())
}

/// Whether calamine may read the entry `name` as the shared strings: it looks for `sharedStrings.xml`
/// in the workbook part's folder (wherever `_rels/.rels` puts it), matching names without regard to
/// case and with `\` as `/`.
fn is_shared_strings(name: &str) -> bool {
    let name = name.replace('\\', "/").to_ascii_lowercase();
    name == "sharedstrings.xml" || name.ends_with("/sharedstrings.xml")
}

/// Checks the counts of the `<sst>` element in `start` (the first bytes of the shared strings part
/// `name`, `size` bytes long, with `more` after them) against what the part, and the workbook's parts
/// (`total` bytes), could hold.
fn check_shared_strings(
    name: &str,
    start: &[u8],
    more: bool,
    size: u64,
    total: u64,
) -> Result<(), FileError> {
    let attributes = match sst_start_tag(start) {
        Tag::Found(attributes) => attributes,
        // calamine finds no `<sst>` either, and stops at the end of the part.
        Tag::Missing if !more => return Ok(()),
        Tag::Missing => {
            return Err(unreadable(format!(
                "{name} does not begin with its <sst> element"
            )))
        }
        Tag::DocumentType => {
            return Err(unreadable(format!(
                "{name} declares a document type, which a workbook's parts may not"
            )))
        }
    };
    if let Some(unique) = count_attribute(attributes, "uniqueCount") {
        let fits = size / MIN_SHARED_STRING_BYTES + 1;
        if unique > fits {
            return Err(unreadable(format!(
                "{name} says it holds {unique} strings (uniqueCount), but its {size} bytes \
                 hold at most {fits}"
            )));
        }
        if unique > MAX_SHARED_STRINGS {
            return Err(unreadable(format!(
                "{name} says it holds {unique} strings (uniqueCount), far more than a KDP report \
                 (at most {MAX_SHARED_STRINGS})"
            )));
        }
    }
    if let Some(count) = count_attribute(attributes, "count") {
        let fits = total / MIN_SHARED_STRING_CELL_BYTES + 1;
        if count > fits {
            return Err(unreadable(format!(
                "{name} says its strings are used {count} times (count), but the workbook's \
                 {total} bytes hold at most {fits} such cells"
            )));
        }
    }
    Ok(())
}

/// What the start of a shared strings part holds before its first `<sst>` start tag.
#[derive(Debug, PartialEq)]
enum Tag<'a> {
    /// The `<sst>` start tag's attributes: what follows its name, up to its `>` (or `/>`).
    Found(&'a [u8]),
    /// No complete `<sst>` start tag.
    Missing,
    /// A `<!DOCTYPE>` (or other `<!` markup that is neither a comment nor CDATA) before it, which an
    /// OOXML part may not hold and which is not read here.
    DocumentType,
}

/// The first `<sst>` start tag (or empty-element tag) in `xml`, found as quick-xml (which calamine
/// reads with) finds it: text, comments, processing instructions, CDATA and other elements are passed
/// over, a tag ends at the first `>` outside quotes, and the name's local part (after its first `:`) is
/// compared.
fn sst_start_tag(xml: &[u8]) -> Tag<'_> {
    let mut at = 0;
    while let Some(open) = find(xml, at, b"<") {
        let rest = &xml[open..];
        // Past the `end` found `from` bytes after the `<` on. As quick-xml has it, `<?>` is a whole
        // processing instruction, and `<!--->` not yet a whole comment.
        let skip = |from: usize, end: &[u8]| find(xml, open + from, end).map(|i| i + end.len());
        let next = if rest.starts_with(b"<!--") {
            skip(4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip(9, b"]]>")
        } else if rest.starts_with(b"<?") {
            skip(1, b"?>")
        } else if rest.starts_with(b"<!") {
            // Cut off before it says what it is: the start ends here.
            if b"<!--".starts_with(rest) || b"<![CDATA[".starts_with(rest) {
                return Tag::Missing;
            }
            return Tag::DocumentType;
        } else if rest.starts_with(b"</") {
            tag_end(xml, open + 1).map(|i| i + 1)
        } else {
            let Some(end) = tag_end(xml, open + 1) else {
                return Tag::Missing;
            };
            let tag = &xml[open + 1..end];
            let tag = tag.strip_suffix(b"/").unwrap_or(tag);
            let name_len = tag
                .iter()
                .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                .unwrap_or(tag.len());
            let name = &tag[..name_len];
            let local = match name.iter().position(|&b| b == b':') {
                Some(colon) => &name[colon + 1..],
                None => name,
            };
            if local == b"sst" {
                return Tag::Found(&tag[name_len..]);
            }
            Some(end + 1)
        };
        match next {
            Some(next) => at = next,
            None => return Tag::Missing,
        }
    }
    Tag::Missing
}

/// Where `needle` first occurs in `haystack` from `from` on.
fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// The `>` that ends the tag whose name starts at `from`: the first outside single or double quotes.
fn tag_end(xml: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in xml.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'>') => return Some(i),
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            _ => {}
        }
    }
    None
}

/// The number in the attribute `key` (matched exactly, as calamine does) of the raw `attributes`, when
/// it is all digits; saturated if it does not fit a `u64`. Attributes are read as calamine reads them:
/// a key runs to the next `=`, whitespace may surround the `=`, the value is quoted; a malformed one
/// ends the reading, as it makes calamine stop with an error.
fn count_attribute(attributes: &[u8], key: &str) -> Option<u64> {
    let mut at = 0;
    loop {
        while attributes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if at >= attributes.len() {
            return None;
        }
        let eq = at + attributes[at..].iter().position(|&b| b == b'=')?;
        let name = attributes[at..eq].trim_ascii_end();
        at = eq + 1;
        while attributes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let quote = *attributes.get(at).filter(|&&q| q == b'"' || q == b'\'')?;
        let value_start = at + 1;
        let value_len = attributes[value_start..]
            .iter()
            .position(|&b| b == quote)
            .unwrap_or(attributes.len() - value_start);
        let value = &attributes[value_start..value_start + value_len];
        at = value_start + value_len + 1;
        if name == key.as_bytes() {
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return None;
            }
            return Some(value.iter().fold(0u64, |n, d| {
                n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// A zip of `entries` (name, content), deflated or stored.
    fn zip_of(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(method);
        for (name, content) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// The parts of a small xlsx around `shared_strings` (none when `None`), its sheet using them in
    /// `uses` cells.
    fn xlsx_using(shared_strings: Option<&str>, uses: usize) -> Vec<u8> {
        let rows: String = (1..=uses)
            .map(|r| {
                format!(
                    "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>{}</v></c></row>",
                    r % 83
                )
            })
            .collect();
        let sheet = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{NS}\">\
             <sheetData>{rows}</sheetData></worksheet>"
        );
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ];
        if let Some(sst) = shared_strings {
            entries.push(("xl/sharedStrings.xml", sst.as_bytes()));
        }
        zip_of(&entries, CompressionMethod::Deflated)
    }

    fn xlsx(shared_strings: Option<&str>) -> Vec<u8> {
        xlsx_using(shared_strings, 1)
    }

    /// Shared strings holding `strings`, with these counts (as the fuzz tests' hand-built xlsx writes).
    fn sst(strings: &[&str], count: &str, unique_count: &str) -> String {
        let items: String = strings
            .iter()
            .map(|s| format!("<si><t>{s}</t></si>"))
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <sst xmlns=\"{NS}\" count=\"{count}\" uniqueCount=\"{unique_count}\">{items}</sst>"
        )
    }

    fn refused(bytes: &[u8]) -> String {
        let error = check_xlsx(bytes).expect_err("refused").to_string();
        assert!(
            error.starts_with("this is not a readable workbook: "),
            "{error}"
        );
        assert!(!error.contains('\n'), "one line: {error}");
        error
    }

    /// `zip` with the central directory's uncompressed size of `name` set to `size`.
    fn declaring(mut zip: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
        let mut at = 0;
        while let Some(i) = find(&zip, at, b"PK\x01\x02") {
            let name_len = usize::from(u16::from_le_bytes([zip[i + 28], zip[i + 29]]));
            if &zip[i + 46..i + 46 + name_len] == name.as_bytes() {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                return zip;
            }
            at = i + 4;
        }
        panic!("no entry {name}");
    }

    #[test]
    fn real_shared_strings_pass() {
        // As in the seed Dashboard: 83 strings used 485 times, more uses than the part could hold
        // strings, which is right: `count` counts the cells.
        let strings: Vec<String> = (0..83).map(|i| format!("s{i}")).collect();
        let strings: Vec<&str> = strings.iter().map(String::as_str).collect();
        check_xlsx(&xlsx_using(Some(&sst(&strings, "485", "83")), 485)).unwrap();
        check_xlsx(&xlsx(Some(&sst(&[], "0", "0")))).unwrap();
        check_xlsx(&xlsx(Some(&sst(&["a", "b"], "2", "2")))).unwrap();
        let stored = zip_of(
            &[("xl/sharedStrings.xml", sst(&["a"], "1", "1").as_bytes())],
            CompressionMethod::Stored,
        );
        check_xlsx(&stored).unwrap();
    }

    #[test]
    fn a_part_that_inflates_hundreds_of_times_is_refused() {
        // One shared string of 4 MiB of the same letter: deflate packs it about a thousand to one.
        let string = "a".repeat(4 << 20);
        let error = refused(&xlsx(Some(&sst(&[&string], "1", "1"))));
        assert!(
            error.contains("its part xl/sharedStrings.xml inflates") && error.contains("zip bomb"),
            "{error}"
        );
        // A million identical rows: the sheet does the same.
        let rows = "<row><c><v>1</v></c></row>".repeat(200_000);
        let sheet = format!("<worksheet xmlns=\"{NS}\"><sheetData>{rows}</sheetData></worksheet>");
        let bomb = zip_of(
            &[
                ("xl/workbook.xml", b"<workbook/>"),
                ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            ],
            CompressionMethod::Deflated,
        );
        let error = refused(&bomb);
        assert!(
            error.contains("xl/worksheets/sheet1.xml inflates"),
            "{error}"
        );
    }

    #[test]
    fn small_parts_may_inflate_and_large_ones_that_compress_like_xml_pass() {
        // A small part of one repeated tag: any ratio, but under the grace size.
        check_xlsx(&xlsx(Some(&sst(&["x"; 30_000], "1", "30000")))).unwrap();
        // Several MiB of varied rows, as a real sheet has, compress well under the bound.
        check_xlsx(&xlsx_using(Some(&sst(&["t"; 83], "83", "83")), 120_000)).unwrap();
    }

    #[test]
    fn a_workbook_without_shared_strings_passes() {
        check_xlsx(&xlsx(None)).unwrap();
    }

    #[test]
    fn a_huge_unique_count_is_refused() {
        // What made calamine 0.38 abort (see the fuzz test
        // `a_huge_shared_string_count_is_refused_before_calamine_reserves_it`).
        let error = refused(&xlsx(Some(&sst(&[], "0", "100000000000"))));
        assert!(
            error.contains("100000000000 strings (uniqueCount)"),
            "{error}"
        );
        assert!(error.contains("xl/sharedStrings.xml"), "{error}");
        // Up to what the part could hold: a 100-byte part holds at most 20 `<si/>`.
        check_shared_strings("s", b"<sst uniqueCount=\"21\">", false, 100, 100).unwrap();
        check_shared_strings("s", b"<sst uniqueCount=\"22\">", false, 100, 100).unwrap_err();
        // More than fits a u64.
        refused(&xlsx(Some(&sst(&[], "0", "99999999999999999999999"))));
    }

    #[test]
    fn a_unique_count_past_the_absolute_bound_is_refused() {
        // A part large enough to hold that many strings, but more than any KDP report has.
        let attributes = format!(" uniqueCount=\"{}\"", MAX_SHARED_STRINGS + 1);
        let start = format!("<sst{attributes}>");
        let error = check_shared_strings(
            "xl/sharedStrings.xml",
            start.as_bytes(),
            true,
            1 << 28,
            1 << 28,
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("far more than a KDP report"), "{error}");
        let start = format!("<sst uniqueCount=\"{MAX_SHARED_STRINGS}\">");
        check_shared_strings(
            "xl/sharedStrings.xml",
            start.as_bytes(),
            true,
            1 << 28,
            1 << 28,
        )
        .unwrap();
    }

    #[test]
    fn a_huge_count_is_refused() {
        let error = refused(&xlsx(Some(&sst(&[], "100000000000", "0"))));
        assert!(error.contains("100000000000 times (count)"), "{error}");
        // `count` is bound by the whole workbook: one more use than its parts could hold.
        let start = b"<sst count=\"477\" uniqueCount=\"1\">";
        check_shared_strings("s", start, false, 100, 10_000).unwrap();
        let start = b"<sst count=\"478\" uniqueCount=\"1\">";
        check_shared_strings("s", start, false, 100, 10_000).unwrap_err();
    }

    #[test]
    fn counts_calamine_does_not_read_pass() {
        for value in ["-1", "x", " 100000000000", "1e11", "", "+100000000000"] {
            check_xlsx(&xlsx(Some(&sst(&[], value, value)))).unwrap();
        }
        // A prefixed attribute is another attribute.
        let part = format!("<sst xmlns=\"{NS}\" x:uniqueCount=\"100000000000\"></sst>");
        check_xlsx(&xlsx(Some(&part))).unwrap();
    }

    #[test]
    fn the_sst_element_is_found_as_calamine_finds_it() {
        let huge = "uniqueCount=\"100000000000\"";
        for part in [
            // A prefixed element, an empty one, spaces around `=`, single quotes, no space before it.
            format!("<x:sst xmlns:x=\"{NS}\" {huge}></x:sst>"),
            format!("<sst xmlns=\"{NS}\" {huge}/>"),
            format!("<sst xmlns=\"{NS}\" uniqueCount = \"100000000000\"></sst>"),
            format!("<sst xmlns='{NS}' uniqueCount='100000000000'></sst>"),
            format!("<sst count=\"1\"{huge}></sst>"),
            // Not yet the end of the comment, nor of the end tag.
            format!("<!--> <sst/> --><sst {huge}/>"),
            format!("<!---> <sst/> --><sst {huge}/>"),
            format!("</a b=\"><sst/>\"><sst {huge}/>"),
            // A processing instruction that is only `<?>`.
            format!("<?><sst {huge}/>"),
            // After a byte order mark, a comment (holding a `<sst>` that is not one), a processing
            // instruction, CDATA, an element, and `>` inside a quoted value.
            format!(
                "\u{feff}<!-- <sst count=\"1\"> --><?pi <sst> ?><![CDATA[<sst>]]>\
                 <a b=\">\"/><sst {huge}/>"
            ),
        ] {
            let error = refused(&xlsx(Some(&part)));
            assert!(error.contains("(uniqueCount)"), "{part}: {error}");
        }
        // What is not an `<sst>` start tag: an end tag, another name, a prefixed prefix.
        for part in [
            format!("</sst {huge}><sst/>"),
            format!("<ssts {huge}/><sst/>"),
            format!("<a:b:sst {huge}/><sst/>"),
            format!("<!-- <sst {huge}> --><sst/>"),
            "<?> <sst/>".to_string(),
        ] {
            check_xlsx(&xlsx(Some(&part))).unwrap();
        }
    }

    #[test]
    fn shared_strings_that_do_not_start_with_sst_are_refused_when_long() {
        // Nothing to find in a short part: calamine fails on it itself.
        check_xlsx(&xlsx(Some("<?xml version=\"1.0\"?><notsst/>"))).unwrap();
        check_xlsx(&xlsx(Some("junk"))).unwrap();
        check_xlsx(&xlsx(Some(""))).unwrap();
        // An `<sst>` past the bytes read could say anything.
        let padded = format!(
            "<!--{}--><sst uniqueCount=\"100000000000\"/>",
            " ".repeat(SST_WINDOW)
        );
        let error = refused(&xlsx(Some(&padded)));
        assert!(
            error.contains("does not begin with its <sst> element"),
            "{error}"
        );
        // A tag cut by the end of what is read.
        let cut = format!("<sst {}", "a=\"b\" ".repeat(SST_WINDOW));
        refused(&xlsx(Some(&cut)));
        // A document type.
        let error = refused(&xlsx(Some("<!DOCTYPE sst [<!ENTITY a \"b\">]><sst/>")));
        assert!(error.contains("document type"), "{error}");
    }

    #[test]
    fn shared_strings_are_found_by_any_spelling_of_their_name() {
        let part = sst(&[], "0", "100000000000");
        for name in [
            "xl/sharedStrings.xml",
            "XL/SHAREDSTRINGS.XML",
            "xl\\sharedStrings.xml",
            "sharedStrings.xml",
            "elsewhere/sharedStrings.xml",
        ] {
            refused(&zip_of(
                &[(name, part.as_bytes())],
                CompressionMethod::Deflated,
            ));
        }
        check_xlsx(&zip_of(
            &[("xl/notsharedStrings.xml", part.as_bytes())],
            CompressionMethod::Deflated,
        ))
        .unwrap();
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let zip = zip_of(
            &[
                ("xl/workbook.xml", b"<workbook/>"),
                ("xl/media/a.bin", b"a"),
                ("xl/media/b.bin", b"b"),
            ],
            CompressionMethod::Deflated,
        );
        let error = refused(&declaring(zip.clone(), "xl/media/a.bin", 1 << 30));
        assert!(
            error.contains("1024 MiB once decompressed") && error.contains("(at most 512 MiB)"),
            "{error}"
        );
        // Entries that pass one by one but not together.
        let half = (MAX_UNCOMPRESSED_BYTES / 2) as u32;
        let both = declaring(
            declaring(zip.clone(), "xl/media/a.bin", half),
            "xl/media/b.bin",
            half,
        );
        refused(&both);
        // Up to the bound passes that check, and the part is then refused for how far it inflates.
        let under = declaring(zip, "xl/media/a.bin", half);
        assert!(refused(&under).contains("xl/media/a.bin inflates"));
    }

    #[test]
    fn what_is_not_a_zip_is_left_to_calamine() {
        check_xlsx(b"").unwrap();
        check_xlsx(b"PK\x03\x04 and then nothing like a zip").unwrap();
        check_xlsx(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an xls").unwrap();
        // A zip whose shared strings cannot be inflated: calamine reads no more of them than this does.
        let mut zip = xlsx(Some(&sst(&[], "0", "100000000000")));
        let at = find(&zip, 0, b"xl/sharedStrings.xml").unwrap() + "xl/sharedStrings.xml".len();
        for b in &mut zip[at..at + 8] {
            *b = 0xFF;
        }
        check_xlsx(&zip).unwrap();
    }
}
