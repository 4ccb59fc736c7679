//! Generated files for tests and benchmarks (ledger CSV with the sums a correct ledger must report,
//! computed here independently of the ledger's own code; Stripe exports; KDP workbooks), and measuring
//! a command's time and peak memory.

mod fixture;
mod kdp_workbook;
mod measure;
mod process_tree;
mod stripe;
mod workbook_bombs;

pub use fixture::{Expected, Fixture, Shape, Sums, SPAN_SECONDS};
pub use kdp_workbook::write_kdp_dashboard;
pub use measure::{measure, measure_failure, ms, tributary_beside_bench, wait_for, Run, Waited};
pub use process_tree::{cpu_ticks, pss_kib, rss_kib, ticks_per_second, tree};
pub use stripe::write_stripe_csv;
pub use workbook_bombs::{write_rows_bomb, write_string_bomb};
