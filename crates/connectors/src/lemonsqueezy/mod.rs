//! Lemon Squeezy (shared/contracts/platform-apis.md §4): an API key as a Bearer token with the
//! JSON:API media type, `GET /v1/users/me` to check it, `GET /v1/orders` a hundred at a time, newest
//! first, by `page[number]`. There is no date filter: a later sync reads from the first page until
//! it passes the newest order it saw last time minus the look-back window, so refunds of recent orders
//! arrive as updates. 300 requests a minute.

mod cursor;
mod order;

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
    id: "lemonsqueezy",
    name: "Lemon Squeezy",
    env: "LEMONSQUEEZY",
    default_base_url: "https://api.lemonsqueezy.com/v1",
    auth: &[AuthKind::Token],
    token_help: "In Lemon Squeezy: Settings → API, \"Add API key\". A key reads the whole store and \
                 lasts a year; a test-mode key sees only test orders.",
    scopes: &[],
    syncs: "orders and their refunds, in each order's currency (Lemon Squeezy's fees are not on orders)",
    key_lifetime_days: Some(365),
};

const JSON_API: &str = "application/vnd.api+json";
const PAGE_SIZE: u32 = 100;

pub struct LemonSqueezy {
    api: Api,
}

impl LemonSqueezy {
    pub fn new(base: Url) -> Result<Self, ConnectorError> {
        Self::with_config(base, Self::client_config())
    }

    /// The HTTP settings Lemon Squeezy gets: the defaults, within its 300 requests a minute.
    pub fn client_config() -> ClientConfig {
        ClientConfig::within(300, Duration::from_secs(60))
    }

    /// With other HTTP settings: tests shorten the backoff.
    pub fn with_config(base: Url, config: ClientConfig) -> Result<Self, ConnectorError> {
        Ok(LemonSqueezy {
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
            .get(url, Some(&credential.token), &[("accept", JSON_API)])
            .await
            .map_err(|e| Self::refused(e, what))
    }

    /// A refused key, in the words the person needs.
    fn refused(e: HttpError, what: &str) -> ConnectorError {
        let mut error = ConnectorError::http(INFO.name, what, e.clone());
        if e.class == FailureClass::Authentication {
            error.reason = format!(
                "Lemon Squeezy refused this API key ({}): it is wrong, expired (keys last a year) or was deleted",
                e.status.unwrap_or(401)
            );
        }
        error
    }
}

#[derive(Deserialize)]
struct UserDocument {
    data: UserResource,
}

#[derive(Deserialize)]
struct UserResource {
    id: String,
    attributes: UserAttributes,
}

#[derive(Deserialize)]
struct UserAttributes {
    name: Option<String>,
    email: Option<String>,
}

impl Connector for LemonSqueezy {
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
                .get(self.api.url("users/me")?, credential, what)
                .await?;
            let user: UserDocument = response
                .json()
                .map_err(|e| ConnectorError::http(INFO.name, what, e))?;
            let a = user.data.attributes;
            let name = a.email.or(a.name).unwrap_or_else(|| user.data.id.clone());
            Ok(AccountInfo {
                id: user.data.id,
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
            let mut url = self.api.url("orders")?;
            url.query_pairs_mut()
                .append_pair("page[number]", &run.page.to_string())
                .append_pair("page[size]", &PAGE_SIZE.to_string());
            let label = format!("orders page {}", run.page);
            let response = self.get(url, credential, &label).await?;
            let document: order::OrdersDocument = response
                .json()
                .map_err(|e| ConnectorError::http(INFO.name, &label, e))?;
            let where_ = format!("{} ({label})", response.request);

            let mut events = Vec::with_capacity(document.data.len() * 2);
            let mut newest = run.newest;
            let mut passed_window = false;
            for o in &document.data {
                let at = o
                    .created_at()
                    .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
                if run.stop_before.is_some_and(|stop| at < stop) {
                    // Newest first: every order after this one is older still.
                    passed_window = true;
                    break;
                }
                newest = crate::saved_cursor::newest(newest, at);
                o.events(&options.account, &mut events)
                    .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
            }
            let done = passed_window || document.links.next.is_none() || document.data.is_empty();
            if done {
                state.finish(newest);
            } else {
                state.run = Some(Run {
                    page: run.page + 1,
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
