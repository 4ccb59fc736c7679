//! Where a file's rows are booked when their platform is connected: a sale is one event whichever
//! way it arrived, and an event's identity includes its account, so a platform's export imported
//! after the platform was connected under another account than the default lands in the
//! connection's account — the mirror of a connection adopting the account of earlier files
//! (`Workspace::account_for`). Only rows under the default account move: a ledger CSV names its
//! accounts, and a mapping that chose one keeps it.

use std::collections::HashMap;

use tributary_imports::Item;
use tributary_ledger::Ledger;

/// The default account file formats book under.
const DEFAULT_ACCOUNT: &str = "main";

/// Platform → the account its one live connection books under, for platforms whose connections
/// (not disconnected) all book under one account other than the default.
pub(crate) fn connected_accounts(ledger: &Ledger) -> HashMap<String, String> {
    let mut by_platform: HashMap<String, Option<String>> = HashMap::new();
    for c in ledger.connections().unwrap_or_default() {
        if c.state == "disconnected" {
            continue;
        }
        by_platform
            .entry(c.platform)
            .and_modify(|seen| {
                if seen.as_deref() != Some(c.account.as_str()) {
                    *seen = None;
                }
            })
            .or_insert(Some(c.account));
    }
    by_platform
        .into_iter()
        .filter_map(|(platform, account)| Some((platform, account?)))
        .filter(|(_, account)| account != DEFAULT_ACCOUNT)
        .collect()
}

/// Moves the rows of connected platforms from the default account to the connection's.
pub(crate) fn rebook(items: &mut [Item], accounts: &HashMap<String, String>) {
    if accounts.is_empty() {
        return;
    }
    for item in items {
        if let Item::Event(event) = item {
            if event.account == DEFAULT_ACCOUNT {
                if let Some(account) = accounts.get(&event.platform) {
                    event.account.clone_from(account);
                }
            }
        }
    }
}
