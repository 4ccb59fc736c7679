//! Connecting a platform account and letting it go: the credential is checked with one cheap call
//! before anything is kept, then saved in the secret store (never the ledger) and the connection made
//! in the ledger; disconnecting deletes the secret and keeps the history.

use crate::error::EngineError;
use crate::workspace::Workspace;
use sha2::{Digest, Sha256};
use tributary_connectors::oauth::OAuthTokens;
use tributary_connectors::{connector_for, AccountInfo, Credential};
use tributary_ledger::{Connected, ConnectionRecord, NewConnection};
use tributary_model::Sensitive;
use tributary_secrets::SecretStore;

/// What to connect, from the CLI's flags or the window's form.
#[derive(Clone, Debug)]
pub struct ConnectRequest {
    /// A platform id (`gumroad`).
    pub platform: String,
    /// A name for the connection; the platform's id (then `-2`…) when none.
    pub name: Option<String>,
    /// The ledger account to book under. Unless chosen: the one the platform's imported files are
    /// under (so that a sale in a file and from the API is one event), else `main`, as file imports use.
    pub account: Option<String>,
    /// Days a later sync re-reads (30 unless chosen; a reconnect keeps its own unless chosen).
    pub lookback_days: Option<u32>,
}

/// A platform Tributary can connect to, as the window's Integrations cards show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectablePlatform {
    /// The platform id events carry (`gumroad`).
    pub id: String,
    pub name: String,
    /// `token` (a key pasted in a masked field) and/or `oauth` (signing in through the browser).
    pub auth: Vec<String>,
    /// Where the person makes the key, and what it must be allowed.
    pub token_help: String,
    /// What a sync brings in, in words.
    pub syncs: String,
}

/// Whether `TRIBUTARY_<PLATFORM>_CLIENT_ID` gives this install an OAuth client for the platform.
fn oauth_configured(env: &str) -> bool {
    std::env::var(format!("TRIBUTARY_{env}_CLIENT_ID")).is_ok_and(|v| !v.trim().is_empty())
}

/// Every platform Tributary connects to.
pub fn connectable_platforms() -> Vec<ConnectablePlatform> {
    tributary_connectors::platforms()
        .iter()
        .map(|p| ConnectablePlatform {
            id: p.id.to_string(),
            name: p.name.to_string(),
            // A sign-in needs the client id this install was given (none ships): without one the
            // window offers only the key, instead of a button that can only fail.
            auth: p
                .auth
                .iter()
                .filter_map(|a| match a {
                    tributary_connectors::AuthKind::Token => Some("token".to_string()),
                    tributary_connectors::AuthKind::OAuth => {
                        oauth_configured(p.env).then(|| "oauth".to_string())
                    }
                })
                .collect(),
            token_help: p.token_help.to_string(),
            syncs: p.syncs.to_string(),
        })
        .collect()
}

/// The secret store's key of a connection's credential: from the platform and the platform's account
/// id (hashed: ids hold characters keys do not), so it is known before the ledger's row exists.
pub(crate) fn secret_key(platform: &str, remote_id: &str) -> String {
    let digest = Sha256::digest(remote_id.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("connection-{platform}-{hex}")
}

/// A tokio runtime on this thread for one connector call or sync: the engine's callers are synchronous.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, EngineError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| EngineError::Query {
            reason: format!("could not start the network runtime: {e}"),
        })
}

impl Workspace {
    /// The secret store this workspace's connections use (`TRIBUTARY_SECRET_STORE`; the keyring by
    /// default), the file store's folder in the configuration folder, never the data folder that gets
    /// backed up and shared (`config_dir_from_env`).
    pub fn secret_store(&self) -> Result<Box<dyn SecretStore>, EngineError> {
        Ok(tributary_secrets::open_store(
            &crate::config_dir_from_env()?
        )?)
    }

    /// Connects with a personal token or API key: checked with the platform first, so that a refused
    /// one is said at once and nothing is stored.
    pub fn connect_with_token(
        &mut self,
        request: &ConnectRequest,
        token: Sensitive<String>,
    ) -> Result<Connected, EngineError> {
        let connector = connector_for(&request.platform)?;
        let credential = Credential { token };
        let account = runtime()?.block_on(connector.check(&credential))?;
        // The platform does not say when the key was made; it was made by the time it is pasted, so
        // it expires a lifetime from now at the latest: the day to make a new one by.
        let expires_at = connector.describe().key_lifetime_days.map(|days| {
            let now = tributary_model::UtcInstant::now();
            tributary_model::UtcInstant::from_millis(now.millis() + i64::from(days) * 86_400_000)
        });
        self.save_connection(request, account, &credential.token, "token", expires_at)
    }

    /// Keeps a checked credential (`secret`: a token, or OAuth tokens as JSON) in the secret store and
    /// makes or renews the connection; a reconnect keeps the account its history is under.
    pub(crate) fn save_connection(
        &mut self,
        request: &ConnectRequest,
        account: AccountInfo,
        secret: &Sensitive<String>,
        auth_kind: &str,
        expires_at: Option<tributary_model::UtcInstant>,
    ) -> Result<Connected, EngineError> {
        let booked_under = match self
            .ledger
            .connections()?
            .into_iter()
            .find(|c| c.platform == request.platform && c.remote_id == account.id)
        {
            Some(existing) => existing.account,
            None => self.account_for(request)?,
        };
        let store = self.secret_store()?;
        store.set(&secret_key(&request.platform, &account.id), secret)?;
        let connected = self.ledger.connect(&NewConnection {
            name: request.name.clone(),
            platform: request.platform.clone(),
            account: booked_under,
            auth_kind: auth_kind.into(),
            remote_id: account.id,
            remote_name: account.name,
            credential_expires_at: expires_at,
            lookback_days: request.lookback_days,
        })?;
        Ok(connected)
    }

    /// The accounts the platform's events are under (from files or connections), for the window to
    /// ask which one a new connection books under when there are several.
    pub fn accounts_of(&self, platform: &str) -> Result<Vec<String>, EngineError> {
        Ok(self.ledger.accounts_of(platform)?)
    }

    /// The account a new connection books under: the one asked for, or the one the platform's events
    /// are already under; asked when there are several.
    fn account_for(&self, request: &ConnectRequest) -> Result<String, EngineError> {
        if let Some(account) = &request.account {
            return Ok(account.clone());
        }
        let mut accounts = self.ledger.accounts_of(&request.platform)?;
        match accounts.len() {
            0 => Ok("main".into()),
            1 => Ok(accounts.remove(0)),
            _ => Err(EngineError::AccountAmbiguous {
                platform: request.platform.clone(),
                accounts,
            }),
        }
    }

    pub fn connections(&self) -> Result<Vec<ConnectionRecord>, EngineError> {
        Ok(self.ledger.connections()?)
    }

    pub fn connection(&self, name: &str) -> Result<ConnectionRecord, EngineError> {
        Ok(self.ledger.find_connection(name)?)
    }

    /// Gives a connection another name; its history, position and key stay with it.
    pub fn rename_connection(
        &mut self,
        name: &str,
        new_name: &str,
    ) -> Result<ConnectionRecord, EngineError> {
        Ok(self.ledger.rename_connection(name, new_name.trim())?)
    }

    /// Deletes the connection's credential and marks it disconnected; its events and runs stay.
    pub fn disconnect(&mut self, name: &str) -> Result<ConnectionRecord, EngineError> {
        let record = self.ledger.find_connection(name)?;
        self.secret_store()?
            .delete(&secret_key(&record.platform, &record.remote_id))?;
        self.ledger
            .set_connection_state(record.id, "disconnected", None)?;
        Ok(self.ledger.find_connection(name)?)
    }

    /// The connection's saved credential, or why it cannot be used.
    pub(crate) fn credential_of(
        &self,
        record: &ConnectionRecord,
    ) -> Result<SavedCredential, EngineError> {
        if record.state == "needs_reconnect" || record.state == "disconnected" {
            return Err(EngineError::NeedsReconnect {
                name: record.name.clone(),
                reason: record
                    .state_reason
                    .clone()
                    .unwrap_or_else(|| record.state.replace('_', " ")),
            });
        }
        let store = self.secret_store()?;
        match store.get(&secret_key(&record.platform, &record.remote_id))? {
            Some(secret) if record.auth_kind == "oauth" => {
                let tokens = OAuthTokens::from_json(&record.platform, secret.expose())
                    .map_err(tributary_connectors::ConnectorError::from)?;
                Ok(SavedCredential::OAuth(tokens))
            }
            Some(token) => Ok(SavedCredential::Token(token)),
            None => Err(EngineError::CredentialMissing {
                name: record.name.clone(),
                store: store.describe(),
            }),
        }
    }
}

/// A connection's credential as the secret store keeps it: a pasted token, or the tokens an OAuth
/// sign-in gave (refreshed by the sync that holds the connection's lease).
pub(crate) enum SavedCredential {
    Token(Sensitive<String>),
    OAuth(OAuthTokens),
}

impl SavedCredential {
    /// What the connector sends as its Bearer token.
    pub fn bearer(&self) -> Credential {
        match self {
            SavedCredential::Token(token) => Credential {
                token: token.clone(),
            },
            SavedCredential::OAuth(tokens) => Credential {
                token: tokens.access_token.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_valid_keys_for_any_account_id() {
        let key = secret_key("gumroad", "G_-mnBf9b1j9A7a4ub4nFQ==");
        assert!(tributary_secrets::check_key(&key).is_ok(), "{key}");
        assert_ne!(key, secret_key("gumroad", "another"));
    }
}
