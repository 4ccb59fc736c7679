//! Any CSV read through a column mapping (`spec.rs`): user mappings for files Tributary has no format
//! for, and the presets that describe platform exports (Stripe, Gumroad, …) as data.

mod columns;
mod read;
mod row;
mod spec;

pub(crate) use read::open_csv;
pub use read::{peek, MappedCsvReader, Peeked};
pub use spec::{
    Condition, CurrencyRule, DateRule, DisputeRule, IdRule, KindRule, Mapping, Names, RefundRule,
};
