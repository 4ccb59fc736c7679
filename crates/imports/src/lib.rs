//! Tributary's file formats. Each format reads a file as a stream of normalized events and row errors,
//! never holding the whole file, and knows nothing of SQL: the engine writes what it yields.

pub mod amount;
pub mod dates;
mod error;
pub mod formats;
pub mod kdp;
pub mod ledger_csv;
pub mod mapping;
pub mod sample;
pub mod sniff;
pub mod source;

pub use error::FileError;
pub use tributary_model::RowError;

/// One row's outcome: an event to write, or the reason it cannot be.
// Events are the common case and are reused chunk after chunk (`next_item_reusing`): boxing them to
// shrink the rare rejected variant would add an allocation per row on the import's hot path.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Event(tributary_model::NewEvent),
    Rejected(RowError),
}

/// The longest external id a row may have. Platform ids are short (`ch_…`, a UUID, a KDP row's naming
/// values); a longer one is a file whose columns are not what they seem, and would bloat the index.
pub const MAX_ID_CHARS: usize = 512;

/// Refuses an id longer than `MAX_ID_CHARS`.
pub(crate) fn check_id_length(id: &str) -> Result<(), String> {
    let chars = id.chars().count();
    if chars > MAX_ID_CHARS {
        return Err(format!(
            "the id is {chars} characters long; ids longer than {MAX_ID_CHARS} are refused"
        ));
    }
    Ok(())
}

/// A count (units, pages) written as a whole number, within what one row may count.
pub(crate) fn parse_quantity(text: &str) -> Result<i64, String> {
    let quantity: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{}' is not a whole number", text.trim()))?;
    if quantity.unsigned_abs() > tributary_model::MAX_ROW_QUANTITY.unsigned_abs() {
        return Err(format!(
            "{quantity} is more than one row may count (at most {} either way)",
            tributary_model::MAX_ROW_QUANTITY
        ));
    }
    Ok(quantity)
}

/// The error of a row whose field count differs from the header's. A row that runs over several lines
/// most likely has a quote that is never closed, which swallowed the lines after it: said so, with where
/// the quote opened and how far it ran.
pub(crate) fn wrong_width<'a>(
    line: u64,
    fields: impl Iterator<Item = &'a [u8]>,
    header: usize,
) -> RowError {
    let mut count = 0usize;
    let mut spanning: Option<(usize, u64)> = None;
    let mut newlines = 0u64;
    for (i, field) in fields.enumerate() {
        count += 1;
        // A quote left open at the end of the file takes the file's last line end in with it.
        let field = field.strip_suffix(b"\n").unwrap_or(field);
        let inside = field.iter().filter(|&&b| b == b'\n').count() as u64;
        if inside > 0 && spanning.is_none() {
            spanning = Some((i + 1, line + newlines));
        }
        newlines += inside;
    }
    let message = match spanning {
        Some((field, opened)) if newlines > 0 => format!(
            "the row has {count} fields but the header has {header}: its field {field} opens a quote \
             on line {opened} that runs to line {} — a closing quote is probably missing there",
            line + newlines
        ),
        _ => format!("the row has {count} fields but the header has {header}"),
    };
    RowError {
        line: Some(line),
        column: None,
        message,
    }
}
