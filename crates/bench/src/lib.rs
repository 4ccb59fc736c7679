//! Generated ledger CSV files for tests and benchmarks, with the sums a correct ledger must report
//! computed here, independently of the ledger's own code.

mod fixture;

pub use fixture::{Expected, Fixture, Sums};
