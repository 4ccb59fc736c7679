//! The one shape every platform's connector has, and the values that cross it: a credential in, pages
//! of events and a cursor out.

use crate::ConnectorError;
use std::future::Future;
use std::pin::Pin;
use tributary_model::{NewEvent, Sensitive};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// A personal access token or API key, pasted by the person.
    Token,
    OAuth,
}

/// What a platform's connector is, for the CLI, the window and the docs.
#[derive(Debug)]
pub struct PlatformInfo {
    /// The platform id events carry (`gumroad`).
    pub id: &'static str,
    pub name: &'static str,
    /// `GUMROAD` in `TRIBUTARY_GUMROAD_BASE_URL`.
    pub env: &'static str,
    pub default_base_url: &'static str,
    pub auth: &'static [AuthKind],
    /// Where the person makes a token, and what it must be allowed.
    pub token_help: &'static str,
    pub scopes: &'static [&'static str],
    /// What a sync brings in, in words.
    pub syncs: &'static str,
    /// How long a token or key the person pastes lasts, where the platform says (Lemon Squeezy's: a
    /// year from when it was made); none where it never expires or is renewed on its own.
    pub key_lifetime_days: Option<u32>,
}

/// The credential set of one connection, as kept in the secret store.
#[derive(Clone, Debug)]
pub struct Credential {
    pub token: Sensitive<String>,
}

/// Who the credential belongs to on the platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountInfo {
    /// The platform's id of the account (Gumroad's `user_id`).
    pub id: String,
    /// Its name or e-mail, to show.
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct SyncOptions {
    /// The ledger account the events are booked under (`main` unless chosen).
    pub account: String,
    /// A run started from no cursor reads everything, not only the look-back after the last run
    /// (still without duplicates: the ledger knows every event's identity). A run in progress, named
    /// by the cursor of its last page, goes on from that page whatever this says.
    pub full: bool,
    /// How far back an incremental sync re-reads, for refunds and disputes of old sales.
    pub lookback_days: u32,
}

/// One page of a sync: the events it held and the cursor to save with them, in one transaction.
#[derive(Debug)]
pub struct Page {
    pub events: Vec<NewEvent>,
    /// The connection's cursor after this page. Saved with the page's events, so a sync that dies
    /// resumes after the last whole page.
    pub cursor: String,
    /// Whether the run is complete (no further page).
    pub done: bool,
    /// What the page was, for progress and errors ("sales page 3").
    pub label: String,
}

pub trait Connector: Send + Sync {
    fn describe(&self) -> &'static PlatformInfo;

    /// One cheap authenticated call: whose credential it is, or why it was refused.
    fn check<'a>(
        &'a self,
        credential: &'a Credential,
    ) -> BoxFuture<'a, Result<AccountInfo, ConnectorError>>;

    /// The page after `cursor` (the connection's saved cursor; `None` before the first sync).
    fn fetch<'a>(
        &'a self,
        credential: &'a Credential,
        cursor: Option<&'a str>,
        options: &'a SyncOptions,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>>;

    /// The requests made since the last call, for the sync run's record.
    fn take_records(&self) -> Vec<tributary_http::RequestRecord>;
}
