//! What a mutation of a stand-in's data can refuse, in words a failing test prints.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StandInError {
    #[error("no sale with id {0}")]
    UnknownSale(String),
    #[error("sale {0} is already refunded")]
    AlreadyRefunded(String),
    #[error("sale {0} is charged back; it cannot be refunded or charged back again")]
    ChargedBack(String),
    #[error("sale {0} has a refund; this stand-in does not charge back refunded sales")]
    Refunded(String),
    #[error("sale {0} has no open dispute")]
    NotDisputed(String),
    #[error("cannot refund {amount} cents of sale {id}: {refundable} cents are left to refund")]
    InvalidAmount {
        id: String,
        amount: i64,
        refundable: i64,
    },
    #[error("order {0} was never paid (pending, failed or fraudulent): nothing to refund")]
    NotPaid(String),
    #[error("a sale with id {0} already exists")]
    DuplicateId(String),
}
