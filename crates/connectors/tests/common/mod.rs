//! What the connector tests share: a runtime, the year the stand-ins' data spans, a client that
//! retries after milliseconds, a sync run page by page as the engine drives one, and events keyed by
//! identity as the ledger keeps them.

use std::collections::BTreeMap;
use tributary_connectors::{Connector, ConnectorError, Credential, Page, SyncOptions};
use tributary_model::{NewEvent, Sensitive};

/// 2025, first to last day: when the stand-ins' generated sales happen.
pub fn year_2025() -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    use chrono::TimeZone;
    (
        chrono::Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        chrono::Utc.with_ymd_and_hms(2025, 12, 31, 0, 0, 0).unwrap(),
    )
}

/// A platform's client settings, retrying after milliseconds instead of seconds.
pub fn quick_retries(config: tributary_http::ClientConfig) -> tributary_http::ClientConfig {
    tributary_http::ClientConfig {
        min_delay: std::time::Duration::from_millis(5),
        max_delay: std::time::Duration::from_millis(20),
        ..config
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

pub fn credential(token: &str) -> Credential {
    Credential {
        token: Sensitive::new(token.to_string()),
    }
}

pub fn options(full: bool) -> SyncOptions {
    SyncOptions {
        account: "main".into(),
        full,
        lookback_days: 30,
    }
}

/// Pages from `cursor` until the run is done: the pages, and the error that stopped it if one did.
pub fn sync(
    rt: &tokio::runtime::Runtime,
    connector: &dyn Connector,
    token: &str,
    cursor: Option<String>,
    options: &SyncOptions,
) -> (Vec<Page>, Option<ConnectorError>) {
    let credential = credential(token);
    let mut cursor = cursor;
    let mut pages = Vec::new();
    loop {
        match rt.block_on(connector.fetch(&credential, cursor.as_deref(), options)) {
            Ok(page) => {
                cursor = Some(page.cursor.clone());
                let done = page.done;
                pages.push(page);
                if done {
                    return (pages, None);
                }
            }
            Err(e) => return (pages, Some(e)),
        }
        assert!(pages.len() < 1000, "the pages never end");
    }
}

/// Events by their identity, a later one replacing an earlier (as the ledger keeps them).
pub fn by_id(pages: &[Page]) -> BTreeMap<String, NewEvent> {
    pages
        .iter()
        .flat_map(|p| p.events.iter())
        .map(|e| (e.external_id.clone(), e.clone()))
        .collect()
}
