//! Connections' credentials (tokens, API keys, OAuth refresh tokens, client secrets): where they live,
//! behind one `SecretStore`. The OS keyring by default; a warned, unencrypted file store for machines
//! without one, chosen by the person (`TRIBUTARY_SECRET_STORE=file`); memory for tests. Never SQLite
//! (the ledger keeps which connection it is, never the value) and never a log: every value is a
//! `Sensitive<String>`, and no error message holds one.
//!
//! The calls are blocking (the Secret Service is reached over D-Bus): async callers use
//! `spawn_blocking`.

mod choice;
mod error;
mod file_store;
mod key;
mod keyring_store;
mod memory_store;

pub use choice::{open_store, secrets_dir, StoreChoice, STORE_VARIABLE};
pub use error::SecretError;
pub use file_store::FileStore;
pub use key::{check_key, MAX_KEY_LEN};
pub use keyring_store::{KeyringStore, DEFAULT_SERVICE};
pub use memory_store::MemoryStore;

use tributary_model::Sensitive;

/// A place that keeps secrets by key. Keys are plain names (`check_key`: `[A-Za-z0-9._-]`, 1 to 128,
/// not dots alone), the same rule in every store.
pub trait SecretStore: Send + Sync {
    /// None when there is no entry (keyring's NoEntry is "none", not an error).
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError>;
    /// Stores `value` under `key`, replacing what was there.
    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretError>;
    /// Deleting a missing entry is Ok.
    fn delete(&self, key: &str) -> Result<(), SecretError>;
    /// What it is, in words for a person: "the system keyring (Secret Service)", "files in
    /// /home/x/.config/tributary/secrets (not encrypted)", "memory (tests)".
    fn describe(&self) -> String;
    /// A warning to show on every use (the file store), None for the keyring.
    fn warning(&self) -> Option<String>;
}
