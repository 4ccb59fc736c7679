//! The platforms Tributary syncs from, one module each behind one `Connector` trait: what it is
//! (`describe`), whether a credential works (`check`), and the next page of normalized events from a
//! cursor (`fetch`). Connectors speak HTTP through `tributary-http` and hand back `NewEvent`s; they know
//! no SQL, no ledger, no secrets store and no Tauri (a test over `cargo metadata` keeps it so).

mod api;
mod connector;
mod endpoints;
mod error;
pub mod gumroad;
mod instant_text;
pub mod lemonsqueezy;
pub mod oauth;
mod saved_cursor;
pub mod stripe;
pub mod whop;

pub use connector::{
    AccountInfo, AuthKind, BoxFuture, Connector, Credential, Page, PlatformInfo, SyncOptions,
};
pub use endpoints::base_url;
pub use error::ConnectorError;

/// The connector for a platform id (`gumroad`, `lemonsqueezy`), its API where the environment points it
/// (`TRIBUTARY_GUMROAD_BASE_URL`) or at the platform.
pub fn connector_for(platform: &str) -> Result<Box<dyn Connector>, ConnectorError> {
    match platform {
        "gumroad" => Ok(Box::new(gumroad::Gumroad::new(base_url(&gumroad::INFO)?)?)),
        "lemonsqueezy" => Ok(Box::new(lemonsqueezy::LemonSqueezy::new(base_url(
            &lemonsqueezy::INFO,
        )?)?)),
        "stripe" => Ok(Box::new(stripe::Stripe::new(base_url(&stripe::INFO)?)?)),
        "whop" => Ok(Box::new(whop::Whop::new(base_url(&whop::INFO)?)?)),
        other => Err(ConnectorError::unsupported(other)),
    }
}

/// Every platform Tributary can connect to.
pub fn platforms() -> [&'static PlatformInfo; 4] {
    [
        &gumroad::INFO,
        &lemonsqueezy::INFO,
        &stripe::INFO,
        &whop::INFO,
    ]
}
