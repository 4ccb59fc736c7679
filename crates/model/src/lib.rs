//! Tributary's domain vocabulary, shared by the importers, the ledger and the engine: exact money in
//! integer minor units, UTC instants, the kinds of money event, and the normalized event every source
//! (file or platform) is turned into before it reaches the ledger. No I/O lives here.

mod bounds;
mod currency;
mod event;
mod failure;
mod instant;
mod money;
mod sensitive;
mod zone;

pub use bounds::{MAX_ROW_MINOR, MAX_ROW_QUANTITY};
pub use currency::{Currency, CurrencyError};
pub use event::{EventKind, NewEvent, RowError, Settlement, UnknownKind};
pub use failure::{FailureClass, UnknownFailureClass};
pub use instant::{Day, InstantError, UtcInstant};
pub use money::{format_minor, parse_minor, AmountError, Money, MoneyError};
pub use sensitive::Sensitive;
pub use zone::{UnknownZone, Zone};
