//! Generated files for tests and benchmarks (ledger CSV with the sums a correct ledger must report,
//! computed here independently of the ledger's own code; Stripe exports; KDP workbooks), and measuring
//! a command's time and peak memory.

mod fixture;
mod kdp_workbook;
mod measure;
mod stripe;

pub use fixture::{Expected, Fixture, Sums};
pub use kdp_workbook::write_kdp_dashboard;
pub use measure::{measure, ms, tributary_beside_bench, Run};
pub use stripe::write_stripe_csv;
