//! Tributary's own ledger CSV (`shared/formats/ledger-csv.md`): what `tributary export` writes and
//! `tributary import` reads back without a mapping. Columns are matched by name, in any order.

mod read;
mod write;

pub use read::LedgerCsvReader;
pub use write::{LedgerCsvRow, LedgerCsvWriter};

/// The format's name as shown to users and stored on batches.
pub const FORMAT: &str = "ledger-csv";

/// The columns, in the order export writes them.
pub const COLUMNS: [&str; 16] = [
    "platform",
    "account",
    "external_id",
    "kind",
    "occurred_at",
    "product_id",
    "product_name",
    "quantity",
    "currency",
    "gross",
    "fees",
    "net",
    "buyer_email",
    "country",
    "period",
    "estimated",
];

/// Columns a file must have.
pub const REQUIRED: [&str; 8] = [
    "platform",
    "account",
    "external_id",
    "kind",
    "occurred_at",
    "quantity",
    "currency",
    "gross",
];
