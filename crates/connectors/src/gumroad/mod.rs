//! Gumroad (shared/contracts/platform-apis.md §1): a personal access token in the `Authorization`
//! header, `GET /v2/user` to check it, `GET /v2/sales` ten at a time, newest first, by `page_key`.
//! Gumroad has no "updated since": a later sync re-reads from its last newest sale minus the
//! look-back window (`after=`, whole UTC days), so refunds and disputes of older sales arrive as
//! updates.

mod cursor;
mod sale;

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
    id: "gumroad",
    name: "Gumroad",
    env: "GUMROAD",
    default_base_url: "https://api.gumroad.com/v2",
    auth: &[AuthKind::Token, AuthKind::OAuth],
    token_help: "In Gumroad: Settings → Advanced → Applications, create an application, then \
                 \"Generate access token\". It needs the view_sales scope.",
    scopes: &["view_sales"],
    syncs: "sales, with their fees, refunds and chargebacks (USD)",
    key_lifetime_days: None,
};

pub struct Gumroad {
    api: Api,
}

impl Gumroad {
    pub fn new(base: Url) -> Result<Self, ConnectorError> {
        Self::with_config(base, Self::client_config())
    }

    /// The HTTP settings Gumroad gets: the defaults, within Gumroad's rate limit.
    pub fn client_config() -> ClientConfig {
        // Gumroad publishes no limit; Rack::Attack throttles at 10 requests a second per IP.
        ClientConfig::within(10, Duration::from_secs(1))
    }

    /// With other HTTP settings: tests shorten the backoff.
    pub fn with_config(base: Url, config: ClientConfig) -> Result<Self, ConnectorError> {
        Ok(Gumroad {
            api: Api::new(&INFO, base, config)?,
        })
    }

    /// A refused token, in the words the person needs.
    fn refused(e: HttpError, what: &str) -> ConnectorError {
        let mut error = ConnectorError::http(INFO.name, what, e.clone());
        match (e.class, e.status) {
            (FailureClass::Authentication, _) => {
                error.reason =
                    "Gumroad refused this token (401): it is wrong, or was revoked".into()
            }
            (_, Some(403)) => {
                error.reason =
                    "Gumroad refused this token for sales (403): it needs the view_sales scope"
                        .into()
            }
            _ => {}
        }
        error
    }
}

#[derive(Deserialize)]
struct UserAnswer {
    success: bool,
    user: Option<User>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct User {
    user_id: Option<String>,
    id: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

impl Connector for Gumroad {
    fn describe(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn check<'a>(
        &'a self,
        credential: &'a Credential,
    ) -> BoxFuture<'a, Result<AccountInfo, ConnectorError>> {
        Box::pin(async move {
            let url = self.api.url("user")?;
            let response = self
                .api
                .http
                .get(url, Some(&credential.token), &[])
                .await
                .map_err(|e| Self::refused(e, "checking the token"))?;
            let answer: UserAnswer = response
                .json()
                .map_err(|e| ConnectorError::http(INFO.name, "checking the token", e))?;
            let user = match (answer.success, answer.user) {
                (true, Some(user)) => user,
                _ => {
                    return Err(ConnectorError::unexpected(
                        INFO.name,
                        &response.request,
                        answer
                            .message
                            .unwrap_or_else(|| "no user in the answer".into()),
                    ))
                }
            };
            let id = user.user_id.or(user.id).unwrap_or_default();
            let name = user.email.or(user.name).unwrap_or_else(|| id.clone());
            Ok(AccountInfo { id, name })
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
            let mut url = self.api.url("sales")?;
            let pairs = [("after", &run.after), ("page_key", &run.page_key)];
            // No query at all rather than a bare `?` when there is nothing to ask.
            if pairs.iter().any(|(_, v)| v.is_some()) {
                let mut query = url.query_pairs_mut();
                for (name, value) in pairs {
                    if let Some(value) = value {
                        query.append_pair(name, value);
                    }
                }
            }
            let label = format!("sales page {}", run.page);
            let response = self
                .api
                .http
                .get(url, Some(&credential.token), &[])
                .await
                .map_err(|e| Self::refused(e, &label))?;
            let answer: sale::SalesAnswer = response
                .json()
                .map_err(|e| ConnectorError::http(INFO.name, &label, e))?;
            let where_ = format!("{} ({label})", response.request);
            if !answer.success {
                return Err(ConnectorError::unexpected(
                    INFO.name,
                    &where_,
                    answer
                        .message
                        .unwrap_or_else(|| "the answer says it did not succeed".into()),
                ));
            }
            let mut events = Vec::with_capacity(answer.sales.len() * 2);
            let mut newest = run.newest;
            for s in &answer.sales {
                let at = s
                    .occurred_at()
                    .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
                newest = crate::saved_cursor::newest(newest, at);
                s.events(&options.account, &mut events)
                    .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
            }
            let done = answer.next_page_key.is_none();
            match answer.next_page_key {
                Some(key) => {
                    state.run = Some(Run {
                        page_key: Some(key),
                        page: run.page + 1,
                        newest,
                        ..run
                    })
                }
                None => {
                    state.finish(newest);
                }
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
