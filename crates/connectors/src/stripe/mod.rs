//! Stripe (shared/contracts/platform-apis.md §3): a restricted key as a Bearer token, pinned to an API
//! version; charges read a hundred at a time, newest first, with their balance transaction and
//! refunds expanded (Stripe's fee and the settlement currency are only there). A later sync reads the
//! charges created from `synced_through` minus the look-back, then the refunds created in that window
//! of older charges (each such charge read again), then the disputes of the window plus 90 days (a
//! dispute is decided weeks after it opens). 25 requests a second, test mode's limit and the default
//! per endpoint.

mod cursor;
mod events;
mod objects;

use crate::api::Api;
use crate::{
    AccountInfo, AuthKind, BoxFuture, Connector, ConnectorError, Credential, Page, PlatformInfo,
    SyncOptions,
};
use cursor::{Cursor, Phase, Run};
use objects::{Account, Charge, Dispute, List, Refund};
use serde::de::DeserializeOwned;
use std::time::Duration;
use tributary_http::{ClientConfig, HttpError, RequestRecord, Url};
use tributary_model::{FailureClass, UtcInstant};

pub static INFO: PlatformInfo = PlatformInfo {
    id: "stripe",
    name: "Stripe",
    env: "STRIPE",
    default_base_url: "https://api.stripe.com/v1",
    auth: &[AuthKind::Token],
    token_help: "In Stripe: Developers → API keys → \"Create restricted key\", with Read on Charges, \
                 Balance transaction sources, Refunds and Disputes (and, to show the account's name, \
                 Account). A restricted key (rk_live_…) reads only what it is given; a test-mode key \
                 sees only test charges.",
    scopes: &[],
    syncs: "charges with Stripe's fee from their balance transactions, refunds and disputes, in the \
            currency each charge settled in",
    key_lifetime_days: None,
};

/// The API version the connector reads: the objects' shape is pinned to it.
const STRIPE_VERSION: &str = "2026-08-26.dahlia";
const PAGE_SIZE: u32 = 100;

pub struct Stripe {
    api: Api,
}

impl Stripe {
    pub fn new(base: Url) -> Result<Self, ConnectorError> {
        Self::with_config(base, Self::client_config())
    }

    /// The HTTP settings Stripe gets: the defaults, within 25 requests a second.
    pub fn client_config() -> ClientConfig {
        ClientConfig::within(25, Duration::from_secs(1))
    }

    /// With other HTTP settings: tests shorten the backoff.
    pub fn with_config(base: Url, config: ClientConfig) -> Result<Self, ConnectorError> {
        Ok(Stripe {
            api: Api::new(&INFO, base, config)?,
        })
    }

    async fn get<T: DeserializeOwned>(
        &self,
        url: Url,
        credential: &Credential,
        what: &str,
    ) -> Result<(T, String), ConnectorError> {
        let response = self
            .api
            .http
            .get(
                url,
                Some(&credential.token),
                &[("stripe-version", STRIPE_VERSION)],
            )
            .await
            .map_err(|e| Self::refused(e, what))?;
        let value = response
            .json()
            .map_err(|e| ConnectorError::http(INFO.name, what, e))?;
        Ok((value, format!("{} ({what})", response.request)))
    }

    /// A refused key, in the words the person needs. Stripe's own message is not passed on: it
    /// quotes part of the key.
    fn refused(e: HttpError, what: &str) -> ConnectorError {
        let mut error = ConnectorError::http(INFO.name, what, e.clone());
        if e.class == FailureClass::Authentication {
            error.reason = format!(
                "Stripe refused this key ({}): it is wrong, or was deleted or rolled",
                e.status.unwrap_or(401)
            );
        } else if e.status == Some(403) {
            let permission = e
                .reason
                .split('\'')
                .find(|part| part.starts_with("rak_"))
                .map(|p| format!(" (Stripe names {p})"))
                .unwrap_or_default();
            error.reason = format!(
                "Stripe refused this key for {what} (403): the restricted key needs Read on Charges, \
                 Balance transaction sources, Refunds and Disputes{permission}"
            );
        }
        error
    }

    /// `path` with `limit`, the `created[gte]` bound, `starting_after` and the expansions.
    fn list_url(
        &self,
        path: &str,
        since: Option<UtcInstant>,
        starting_after: Option<&str>,
        expand: &[&str],
    ) -> Result<Url, ConnectorError> {
        let mut url = self.api.url(path)?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("limit", &PAGE_SIZE.to_string());
            if let Some(since) = since {
                q.append_pair("created[gte]", &since.millis().div_euclid(1000).to_string());
            }
            if let Some(after) = starting_after {
                q.append_pair("starting_after", after);
            }
            for e in expand {
                q.append_pair("expand[]", e);
            }
        }
        Ok(url)
    }

    /// A charge read again with what its events need.
    async fn charge(
        &self,
        id: &str,
        credential: &Credential,
        what: &str,
    ) -> Result<(Charge, String), ConnectorError> {
        let mut url = self.api.url(&format!("charges/{id}"))?;
        url.query_pairs_mut()
            .append_pair("expand[]", "balance_transaction")
            .append_pair("expand[]", "refunds.data.balance_transaction");
        self.get(url, credential, what).await
    }
}

/// What one page of a phase gave: its events, whether more pages follow, the last object's id, and
/// the newest charge on it.
struct PhasePage {
    events: Vec<tributary_model::NewEvent>,
    has_more: bool,
    last_id: Option<String>,
    newest: Option<UtcInstant>,
}

impl Stripe {
    async fn charges_page(
        &self,
        run: &Run,
        credential: &Credential,
        account: &str,
        label: &str,
    ) -> Result<PhasePage, ConnectorError> {
        let url = self.list_url(
            "charges",
            run.since,
            run.starting_after.as_deref(),
            &[
                "data.balance_transaction",
                "data.refunds.data.balance_transaction",
            ],
        )?;
        let (list, where_): (List<Charge>, _) = self.get(url, credential, label).await?;
        let mut events = Vec::with_capacity(list.data.len() * 2);
        let mut newest = run.newest;
        for c in &list.data {
            newest = crate::saved_cursor::newest(
                newest,
                UtcInstant::from_millis(c.created.saturating_mul(1000)),
            );
            events::charge_events(c, account, &mut events)
                .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
        }
        Ok(PhasePage {
            events,
            has_more: list.has_more,
            last_id: list.data.last().map(|c| c.id.clone()),
            newest,
        })
    }

    async fn refunds_page(
        &self,
        run: &Run,
        credential: &Credential,
        account: &str,
        label: &str,
    ) -> Result<PhasePage, ConnectorError> {
        let url = self.list_url(
            "refunds",
            run.since,
            run.starting_after.as_deref(),
            &["data.charge"],
        )?;
        let (list, where_): (List<Refund>, _) = self.get(url, credential, label).await?;
        let since = run.since.map_or(i64::MIN, |s| s.millis().div_euclid(1000));
        // The charges of the window were read whole in the charges phase; older ones are read again,
        // each once however many of its refunds are on the page.
        let mut older: Vec<&str> = Vec::new();
        for r in &list.data {
            let charge = r.charge.as_ref().and_then(|c| c.object());
            let id = r.charge_id().ok_or_else(|| {
                ConnectorError::unexpected(
                    INFO.name,
                    &where_,
                    format!("refund {} names no charge", r.id),
                )
            })?;
            if charge.is_none_or(|c| c.created < since) && !older.contains(&id) {
                older.push(id);
            }
        }
        let mut events = Vec::new();
        for id in older {
            let what = format!("{label}, charge {id}");
            let (charge, where_) = self.charge(id, credential, &what).await?;
            events::charge_events(&charge, account, &mut events)
                .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?;
        }
        Ok(PhasePage {
            events,
            has_more: list.has_more,
            last_id: list.data.last().map(|r| r.id.clone()),
            newest: run.newest,
        })
    }

    async fn disputes_page(
        &self,
        run: &Run,
        credential: &Credential,
        account: &str,
        label: &str,
    ) -> Result<PhasePage, ConnectorError> {
        let url = self.list_url(
            "disputes",
            run.disputes_since,
            run.starting_after.as_deref(),
            &["data.charge.balance_transaction"],
        )?;
        let (list, where_): (List<Dispute>, _) = self.get(url, credential, label).await?;
        let mut events = Vec::new();
        for d in &list.data {
            if let Some(e) = events::chargeback(d, account)
                .map_err(|e| ConnectorError::unexpected(INFO.name, &where_, e))?
            {
                events.push(e);
            }
        }
        Ok(PhasePage {
            events,
            has_more: list.has_more,
            last_id: list.data.last().map(|d| d.id.clone()),
            newest: run.newest,
        })
    }
}

impl Connector for Stripe {
    fn describe(&self) -> &'static PlatformInfo {
        &INFO
    }

    /// One charge with its balance transaction (the key reads both, or says which it may not), then
    /// the account's name when the key may read it.
    fn check<'a>(
        &'a self,
        credential: &'a Credential,
    ) -> BoxFuture<'a, Result<AccountInfo, ConnectorError>> {
        Box::pin(async move {
            let what = "checking the key";
            let mut url = self.api.url("charges")?;
            url.query_pairs_mut()
                .append_pair("limit", "1")
                .append_pair("expand[]", "data.balance_transaction");
            let _: (List<serde_json::Value>, _) = self.get(url, credential, what).await?;
            match self
                .get::<Account>(self.api.url("account")?, credential, "reading the account")
                .await
            {
                Ok((account, _)) => Ok(AccountInfo {
                    name: account.display_name(),
                    id: account.id,
                }),
                Err(e) if e.class == FailureClass::Configuration => {
                    // A key without the account permission still syncs; the account is then known
                    // by its mode, which the key's prefix says (the prefix is not the secret part).
                    let mode = if credential.token.expose().contains("_live_") {
                        "live"
                    } else {
                        "test"
                    };
                    Ok(AccountInfo {
                        id: format!("stripe-{mode}"),
                        name: format!("Stripe account ({mode} mode)"),
                    })
                }
                Err(e) => Err(e),
            }
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
            let label = match run.phase {
                Phase::Charges => format!("charges page {}", run.page),
                Phase::Refunds => format!("refunds page {}", run.page),
                Phase::Disputes => format!("disputes page {}", run.page),
            };
            let account = options.account.as_str();
            let page = match run.phase {
                Phase::Charges => self.charges_page(&run, credential, account, &label).await?,
                Phase::Refunds => self.refunds_page(&run, credential, account, &label).await?,
                Phase::Disputes => {
                    self.disputes_page(&run, credential, account, &label)
                        .await?
                }
            };
            let next = match (page.has_more, page.last_id) {
                (true, Some(last)) => Some(Run {
                    starting_after: Some(last),
                    page: run.page + 1,
                    newest: page.newest,
                    ..run
                }),
                _ => run.next_phase().map(|phase| Run {
                    phase,
                    starting_after: None,
                    page: 1,
                    newest: page.newest,
                    ..run
                }),
            };
            let done = next.is_none();
            match next {
                Some(run) => state.run = Some(run),
                None => state.finish(page.newest),
            }
            Ok(Page {
                events: page.events,
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
