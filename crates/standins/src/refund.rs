//! How much of a sale (order) a test refunds, for every stand-in.

/// A refund asked of a stand-in's store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refund {
    /// Whatever is left.
    Full,
    /// This much, in the platform's unit: USD cents for Gumroad (its `price` unit), the order
    /// currency's minor units for Lemon Squeezy. Reaching what is left makes it a full refund.
    Partial(i64),
}
