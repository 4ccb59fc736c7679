//! Whop (shared/contracts/platform-apis.md §2): a company API key (or an OAuth token) as a Bearer
//! token with `Api-Version-Date: 2026-07-20`, `GET /accounts/me` to check it (the SDK's
//! `accounts.me()`: the business account of the key), `GET /payments` a hundred at a time with the
//! cursor envelope (`data`, `page_info.end_cursor`/`has_next_page`), followed by `after`.
//!
//! Pages are read OLDEST first (`order=created_at&direction=asc`): Whop's cursors are positions in
//! the list (see `cursor`), so in this order payments made while a sync runs land after everything
//! already read and nothing is skipped; newest first, each new payment would push one already read
//! onto the next page and a deleted or filtered-out one would make the walk skip one. The first sync
//! reads every payment; later ones ask only for `updated_after` the newest `updated_at` the last run
//! saw, less the look-back window: Whop moves `updated_at` when a payment is refunded, so refunds
//! of old payments arrive without re-reading everything. The v1 rate limit is unpublished; the client
//! keeps to v2's 100 requests per 10 seconds and honours 429s' `Retry-After`.

mod amount;
mod cursor;
mod payment;

use crate::api::Api;
use crate::{
    AccountInfo, AuthKind, BoxFuture, Connector, ConnectorError, Credential, Page, PlatformInfo,
    SyncOptions,
};
use cursor::{Cursor, Run};
use serde::Deserialize;
use std::time::Duration;
use tributary_http::{ClientConfig, HttpError, RequestRecord, Url};
use tributary_model::FailureClass;

pub static INFO: PlatformInfo = PlatformInfo {
    id: "whop",
    name: "Whop",
    env: "WHOP",
    default_base_url: "https://api.whop.com/api/v1",
    auth: &[AuthKind::Token, AuthKind::OAuth],
    token_help: "In Whop: your business dashboard → Developer → API keys, \"Create API key\" (a company \
                 API key, not an app's). Give it at least payment:basic:read; with plan:basic:read, \
                 access_pass:basic:read, member:basic:read and member:email:read payments also show the \
                 product and the buyer's e-mail.",
    scopes: &[
        "payment:basic:read",
        "plan:basic:read",
        "access_pass:basic:read",
        "member:email:read",
        "member:basic:read",
        "member:phone:read",
        "promo_code:basic:read",
    ],
    syncs: "payments and their refunds, in each payment's currency, with Whop's fees (and the sales \
            tax it remits) taken from the total",
    key_lifetime_days: None,
};

/// The API version the connector is written against (the SDK's default, contract §2.1).
pub const API_VERSION_DATE: &str = "2026-07-20";
const PAGE_SIZE: u32 = 100;

pub struct Whop {
    api: Api,
}

impl Whop {
    pub fn new(base: Url) -> Result<Self, ConnectorError> {
        Self::with_config(base, Self::client_config())
    }

    /// The HTTP settings Whop gets: the defaults, within 100 requests per 10 seconds (v2's
    /// published limit; v1 publishes none).
    pub fn client_config() -> ClientConfig {
        ClientConfig::within(100, Duration::from_secs(10))
    }

    /// With other HTTP settings: tests shorten the backoff.
    pub fn with_config(base: Url, config: ClientConfig) -> Result<Self, ConnectorError> {
        Ok(Whop {
            api: Api::new(&INFO, base, config)?,
        })
    }

    async fn get(
        &self,
        url: Url,
        credential: &Credential,
        what: &str,
    ) -> Result<tributary_http::Response, ConnectorError> {
        self.api
            .http
            .get(
                url,
                Some(&credential.token),
                &[
                    ("accept", "application/json"),
                    ("api-version-date", API_VERSION_DATE),
                ],
            )
            .await
            .map_err(|e| Self::refused(e, what))
    }

    /// A refused key, in the words the person needs.
    fn refused(e: HttpError, what: &str) -> ConnectorError {
        let mut error = ConnectorError::http(INFO.name, what, e.clone());
        match e.status {
            Some(401) => {
                error.reason = "Whop refused this API key (401): it is wrong, or was deleted or \
                                revoked in the Whop dashboard"
                    .into();
            }
            Some(403) => {
                error.reason = "Whop refused this API key (403): it lacks a permission the sync \
                                needs (payment:basic:read)"
                    .into();
                error.class = FailureClass::Authentication;
            }
            _ => {}
        }
        error
    }
}

#[derive(Deserialize)]
struct Account {
    id: String,
    title: Option<String>,
    route: Option<String>,
    email: Option<String>,
}

impl Connector for Whop {
    fn describe(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn check<'a>(
        &'a self,
        credential: &'a Credential,
    ) -> BoxFuture<'a, Result<AccountInfo, ConnectorError>> {
        Box::pin(async move {
            let what = "checking the API key";
            let response = self
                .get(self.api.url("accounts/me")?, credential, what)
                .await?;
            let account: Account = response
                .json()
                .map_err(|e| ConnectorError::http(INFO.name, what, e))?;
            let name = [account.title, account.route, account.email]
                .into_iter()
                .flatten()
                .find(|s| !s.trim().is_empty())
                .unwrap_or_else(|| account.id.clone());
            Ok(AccountInfo {
                id: account.id,
                name,
            })
        })
    }

    fn fetch<'a>(
        &'a self,
        credential: &'a Credential,
        cursor: Option<&'a str>,
        options: &'a SyncOptions,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        Box::pin(async move {
            let mut state =
                Cursor::parse(cursor).map_err(|e| ConnectorError::configuration(INFO.name, e))?;
            let run = state.take_run(options, Run::start);
            let mut url = self.api.url("payments")?;
            {
                let mut q = url.query_pairs_mut();
                q.append_pair("first", &PAGE_SIZE.to_string())
                    .append_pair("order", "created_at")
                    .append_pair("direction", "asc");
                if let Some(since) = run.updated_after {
                    q.append_pair("updated_after", &since.to_rfc3339());
                }
                if let Some(after) = &run.after {
                    q.append_pair("after", after);
                }
            }
            let label = format!("payments page {}", run.page);
            let response = self.get(url, credential, &label).await?;
            let page: payment::PaymentsPage = response
                .json()
                .map_err(|e| ConnectorError::http(INFO.name, &label, e))?;
            let where_ = format!("{} ({label})", response.request);

            let mut events = Vec::with_capacity(page.data.len() * 2);
            let mut newest = run.newest;
            for p in &page.data {
                let updated = p
                    .updated_at()
                    .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
                newest = crate::saved_cursor::newest(newest, updated);
                p.events(&options.account, &mut events)
                    .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
            }
            // The SDK stops when there is no `end_cursor`; `has_next_page` says so one page sooner.
            let next = page
                .page_info
                .end_cursor
                .filter(|c| !c.is_empty() && page.page_info.has_next_page && !page.data.is_empty());
            let done = next.is_none();
            if done {
                state.finish(newest);
            } else {
                state.run = Some(Run {
                    page: run.page + 1,
                    after: next,
                    newest,
                    ..run
                });
            }
            Ok(Page {
                events,
                cursor: state.to_text(),
                done,
                label,
            })
        })
    }

    fn take_records(&self) -> Vec<RequestRecord> {
        self.api.take_records()
    }
}
