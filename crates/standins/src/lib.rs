//! Platform stand-ins: HTTP servers on 127.0.0.1 that follow shared/contracts/platform-apis.md (and an
//! SMTP sink for the alert emails), with
//! switchable faults, for the connectors' tests, the benchmark, end-to-end tests and trying Tributary
//! without real accounts. Each runs on its own thread (`GumroadStandIn::spawn`), so synchronous tests
//! drive it with plain calls; the same switches are reachable over HTTP under `/__admin/`.

mod admin;
mod api_keys;
pub mod authorization;
mod error;
pub mod faults;
mod gate;
pub mod gumroad;
mod harness;
pub mod lemonsqueezy;
mod money;
// The desktop panel's side of tray icons, over D-Bus (Linux desktops).
#[cfg(target_os = "linux")]
pub mod panel;
mod rate_limit;
pub mod record;
mod refund;
pub mod resend;
mod responses;
mod rng;
pub mod server;
mod smtp_sink;
pub mod stripe;
mod time_serde;
pub mod whop;

pub use authorization::{
    AuthorizationConfig, AuthorizationCounters, AuthorizationServer, AuthorizationStandIn,
    ConsentMode, OAuthClient,
};
pub use error::StandInError;
pub use faults::{DataChange, Fault, FaultKind};
pub use gumroad::{
    generate_sales, GumroadConfig, GumroadStandIn, GumroadTotals, GumroadUser, StandInSale,
};
pub use lemonsqueezy::{
    generate_orders, LemonSqueezyConfig, LemonSqueezyStandIn, LemonSqueezyTotals, StandInOrder,
};
pub use record::{AppliedChange, RecordedRequest, Stats};
pub use refund::Refund;
pub use resend::{ResendStandIn, SentEmail};
pub use rng::SplitMix64;
pub use server::RunningServer;
pub use smtp_sink::{SmtpSink, SunkMessage};
pub use stripe::{generate_charges, StandInCharge, StripeConfig, StripeStandIn, StripeTotals};
pub use whop::{generate_payments, StandInPayment, WhopConfig, WhopStandIn, WhopTotals};
