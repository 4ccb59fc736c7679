//! "Check now": one cheap authenticated call with a connection's saved credential, separate from a
//! sync — whether the platform still accepts it and for which account. A refused credential puts
//! the connection in `needs_reconnect`, as a sync's would; a rate limit or an outage changes nothing.

use crate::connections::runtime;
use crate::error::EngineError;
use crate::sync::{failure_of, lease_until, owner, SyncFailure};
use crate::workspace::Workspace;
use serde::Serialize;
use std::time::Instant;
use tributary_connectors::{connector_for, ConnectorError};
use tributary_model::{FailureClass, UtcInstant};

/// What a credential check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CredentialCheck {
    pub connection: String,
    /// The platform accepted the credential, for the account the connection was made with.
    pub accepted: bool,
    /// Whom the platform says the credential belongs to, when it answered.
    pub account: Option<String>,
    pub failure: Option<SyncFailure>,
    /// The connection is now `needs_reconnect` (the platform refused the credential).
    pub needs_reconnect: bool,
    pub checked_at: String,
    pub duration_ms: u64,
}

impl Workspace {
    /// Checks connection `name`'s credential with its platform. `Err` is for what stops the check
    /// from being made (no such connection, no credential kept, the ledger); the platform's answer,
    /// refusal included, is the `CredentialCheck`.
    pub fn check_connection(&mut self, name: &str) -> Result<CredentialCheck, EngineError> {
        let record = self.ledger.find_connection(name)?;
        let saved = self.credential_of(&record)?;
        let connector = connector_for(&record.platform)?;
        let started = Instant::now();
        // An expiring sign-in is renewed first, under the connection's lease as a sync would.
        let credential = match saved.needs_refresh() {
            Some(tokens) => {
                let owner = owner();
                self.ledger
                    .take_connection_lease(record.id, &owner, lease_until())?;
                let renewed = self.refresh_oauth(&record, tokens);
                self.ledger.release_connection_lease(record.id, &owner)?;
                renewed.map(|fresh| fresh.bearer())
            }
            None => Ok(saved.bearer()),
        };
        let answer = match credential {
            Ok(credential) => runtime()?.block_on(connector.check(&credential)),
            Err(e) => Err(e),
        };
        let answer = answer.and_then(|account| {
            if account.id == record.remote_id {
                Ok(account)
            } else {
                Err(ConnectorError::configuration(
                    connector.describe().name,
                    format!(
                        "the credential now answers for {} ({}), not {} that {name} was connected as; reconnect it with {}'s key",
                        account.name, account.id, record.remote_name, record.remote_name
                    ),
                ))
            }
        });
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let checked_at = UtcInstant::now().to_rfc3339();
        match answer {
            Ok(account) => Ok(CredentialCheck {
                connection: record.name,
                accepted: true,
                account: Some(account.name),
                failure: None,
                needs_reconnect: false,
                checked_at,
                duration_ms,
            }),
            Err(e) => {
                let refused = e.class == FailureClass::Authentication;
                let failure = failure_of(&e);
                if refused {
                    self.ledger.set_connection_state(
                        record.id,
                        "needs_reconnect",
                        Some(&failure.message),
                    )?;
                }
                Ok(CredentialCheck {
                    connection: record.name,
                    accepted: false,
                    account: None,
                    failure: Some(failure),
                    needs_reconnect: refused,
                    checked_at,
                    duration_ms,
                })
            }
        }
    }
}
