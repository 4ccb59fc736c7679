//! Secrets in the operating system's keyring, through the `keyring` crate (3.x): the Secret Service on
//! Linux and the BSDs (GNOME Keyring, KWallet), the Keychain on macOS, the Credential Manager on
//! Windows. One entry per key, under one service name (`app.tributary.desktop`), the key as the entry's
//! user. On the Secret Service that is an item with the attributes `service`, `username`, `target`
//! (`default`, the default collection) and `application` (`rust-keyring`).
//!
//! The Secret Service credential is built explicitly rather than through keyring's default builder, so
//! the in-memory mock (keyring's fallback when its platform features are off, or after someone calls
//! `set_default_credential_builder`) can never stand in for it. Calls are made one at a time in a
//! process: the Secret Service client is not meant to be driven from several threads at once.

use std::error::Error as StdError;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use keyring::Entry;
use tributary_model::Sensitive;

use crate::key::check_key;
use crate::{secrets_dir, SecretError, SecretStore};

/// The service name every entry is kept under: the app's identifier.
pub const DEFAULT_SERVICE: &str = "app.tributary.desktop";

/// The entry `probe` looks up. It is never written; finding nothing is the expected answer.
const PROBE_KEY: &str = "tributary-keyring-probe";

/// One keyring call at a time in this process.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub struct KeyringStore {
    service: String,
    /// Where the file store would keep keys: named when there is no keyring, so the way out is concrete.
    file_dir: PathBuf,
}

impl KeyringStore {
    /// The keyring under `DEFAULT_SERVICE`. `config_dir` is Tributary's settings folder; nothing is
    /// written there, it is only named in the message when no keyring answers.
    pub fn new(config_dir: &Path) -> Self {
        Self::with_service(DEFAULT_SERVICE, config_dir)
    }

    /// The keyring under another service name (tests that must not meet real entries).
    pub fn with_service(service: &str, config_dir: &Path) -> Self {
        KeyringStore {
            service: service.to_string(),
            file_dir: secrets_dir(config_dir),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Asks the keyring once for an entry that is never there: `Ok` when the keyring answers (with
    /// "no such entry"), `NoKeyring` when nothing answers, so that a missing keyring is said when the
    /// store is opened rather than in the middle of connecting an account.
    pub fn probe(&self) -> Result<(), SecretError> {
        self.get(PROBE_KEY).map(|_| ())
    }

    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    fn entry(&self, key: &str) -> Result<Entry, SecretError> {
        check_key(key)?;
        let credential =
            keyring::secret_service::SsCredential::new_with_target(None, &self.service, key)
                .map_err(|e| self.failure(e))?;
        Ok(Entry::new_with_credential(Box::new(credential)))
    }

    #[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
    fn entry(&self, key: &str) -> Result<Entry, SecretError> {
        check_key(key)?;
        Entry::new(&self.service, key).map_err(|e| self.failure(e))
    }

    /// Runs one keyring call, alone. A poisoned lock guards nothing of ours (the lock holds no data).
    fn alone<T>(&self, call: impl FnOnce() -> keyring::Result<T>) -> keyring::Result<T> {
        let _turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        call()
    }

    /// keyring's error in a person's words. "No such entry" (`not_there`) never gets here: each caller
    /// decides what it means.
    fn failure(&self, err: keyring::Error) -> SecretError {
        use keyring::Error as K;
        match err {
            K::PlatformFailure(inner) => self.platform_failure(inner.as_ref()),
            K::NoStorageAccess(inner) if no_collection(inner.as_ref()) => SecretError::Store {
                detail: "it has no default keyring to keep keys in; create one, or unlock the login keyring \
                         (for example in Seahorse, \"Passwords and Keys\"), then try again"
                    .into(),
            },
            K::NoStorageAccess(inner) => SecretError::Locked { detail: inner.to_string() },
            // The bytes are the secret itself: never shown.
            K::BadEncoding(_) => SecretError::Store {
                detail: "a keyring entry of Tributary's does not hold text".into(),
            },
            K::Ambiguous(matches) => SecretError::Store {
                detail: format!(
                    "{} keyring entries of service {} match one key; remove all but one (for example in \
                     Seahorse, \"Passwords and Keys\")",
                    matches.len(),
                    self.service
                ),
            },
            other => SecretError::Store { detail: other.to_string() },
        }
    }

    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    fn platform_failure(&self, inner: &(dyn StdError + Send + Sync + 'static)) -> SecretError {
        use dbus_secret_service::Error as Ss;
        let detail = inner.to_string();
        match inner.downcast_ref::<Ss>() {
            Some(Ss::Unavailable) => self.no_keyring(detail),
            Some(Ss::Dbus(e)) if no_service(e.name()) => self.no_keyring(detail),
            // Creating an item in a locked collection whose unlock prompt could not be shown (no display)
            // or was refused comes back as this D-Bus error, not as the crate's `Locked`.
            Some(Ss::Dbus(e)) if e.name() == Some("org.freedesktop.Secret.Error.IsLocked") => {
                SecretError::Locked { detail }
            }
            Some(Ss::Locked | Ss::Prompt) => SecretError::Locked { detail },
            _ => SecretError::Store { detail },
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
    fn platform_failure(&self, inner: &(dyn StdError + Send + Sync + 'static)) -> SecretError {
        SecretError::Store {
            detail: inner.to_string(),
        }
    }

    fn no_keyring(&self, detail: String) -> SecretError {
        SecretError::NoKeyring {
            detail,
            file_dir: self.file_dir.clone(),
        }
    }
}

/// keyring 3 looks an entry up in every collection and, finding nothing, again in the default collection
/// (for items older keyrings made); when there is no default collection (a keyring that never made
/// one) that second look fails with `NoResult` instead of saying "no entry". Since the first search
/// already covered every collection, the entry is simply not there — but `set` fails the same way
/// rather than creating the collection.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn no_collection(inner: &(dyn StdError + Send + Sync + 'static)) -> bool {
    matches!(
        inner.downcast_ref::<dbus_secret_service::Error>(),
        Some(dbus_secret_service::Error::NoResult)
    )
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
fn no_collection(_inner: &(dyn StdError + Send + Sync + 'static)) -> bool {
    false
}

/// "No such entry", in either of the ways keyring 3 says it.
fn not_there(err: &keyring::Error) -> bool {
    match err {
        keyring::Error::NoEntry => true,
        keyring::Error::NoStorageAccess(inner) => no_collection(inner.as_ref()),
        _ => false,
    }
}

/// D-Bus errors that mean nobody provides the Secret Service: no session bus (none running, or it
/// cannot be started without a display), or a bus where no keyring owns or can be started for
/// `org.freedesktop.secrets`.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn no_service(name: Option<&str>) -> bool {
    let Some(name) = name.and_then(|n| n.strip_prefix("org.freedesktop.DBus.Error.")) else {
        return false;
    };
    matches!(
        name,
        "ServiceUnknown"
            | "NameHasNoOwner"
            | "NoServer"
            | "NotSupported"
            | "FileNotFound"
            | "NoNetwork"
    ) || name.starts_with("Spawn.")
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        let entry = self.entry(key)?;
        match self.alone(|| entry.get_password()) {
            Ok(value) => Ok(Some(Sensitive::new(value))),
            Err(e) if not_there(&e) => Ok(None),
            Err(e) => Err(self.failure(e)),
        }
    }

    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretError> {
        let entry = self.entry(key)?;
        self.alone(|| entry.set_password(value.expose()))
            .map_err(|e| self.failure(e))
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        let entry = self.entry(key)?;
        match self.alone(|| entry.delete_credential()) {
            Ok(()) => Ok(()),
            Err(e) if not_there(&e) => Ok(()),
            Err(e) => Err(self.failure(e)),
        }
    }

    fn describe(&self) -> String {
        if cfg!(target_os = "macos") {
            "the system keyring (macOS Keychain)".to_string()
        } else if cfg!(target_os = "windows") {
            "the system keyring (Windows Credential Manager)".to_string()
        } else {
            "the system keyring (Secret Service)".to_string()
        }
    }

    fn warning(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    //! Nothing here talks to a keyring: that is `tests/keyring.rs`, inside its own D-Bus session.
    use super::*;

    #[test]
    fn bad_keys_are_refused_before_any_keyring_call() {
        let store = KeyringStore::new(Path::new("/nonexistent"));
        assert!(matches!(store.get("../x"), Err(SecretError::BadKey { .. })));
        assert!(matches!(
            store.set("a/b", &Sensitive::new("v".into())),
            Err(SecretError::BadKey { .. })
        ));
        assert!(matches!(store.delete(""), Err(SecretError::BadKey { .. })));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn entries_are_secret_service_items_not_the_mock() -> Result<(), SecretError> {
        let store = KeyringStore::new(Path::new("/nonexistent"));
        let entry = store.entry("gumroad-1")?;
        let credential = entry.get_credential();
        assert!(credential
            .downcast_ref::<keyring::secret_service::SsCredential>()
            .is_some());
        assert!(credential
            .downcast_ref::<keyring::mock::MockCredential>()
            .is_none());
        assert_eq!(store.describe(), "the system keyring (Secret Service)");
        assert_eq!(store.warning(), None);
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn secret_service_errors_read_as_no_keyring_locked_or_other() {
        let store = KeyringStore::new(Path::new("/home/x/.config/tributary"));
        let unknown = dbus::Error::new_custom(
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "The name org.freedesktop.secrets was not provided by any .service files",
        );
        let err = store.failure(keyring::Error::PlatformFailure(Box::new(
            dbus_secret_service::Error::Dbus(unknown),
        )));
        let message = err.to_string();
        assert!(matches!(err, SecretError::NoKeyring { .. }), "{err:?}");
        assert!(message.contains("no keyring is running"), "{message}");
        assert!(
            message.contains(
                "set TRIBUTARY_SECRET_STORE=file to keep keys in files readable only by you, in \
                 /home/x/.config/tributary/secrets (not encrypted)"
            ),
            "{message}"
        );
        let other = dbus::Error::new_custom("org.freedesktop.DBus.Error.NoReply", "no reply");
        let err = store.failure(keyring::Error::PlatformFailure(Box::new(
            dbus_secret_service::Error::Dbus(other),
        )));
        assert!(matches!(err, SecretError::Store { .. }), "{err:?}");
        let err = store.failure(keyring::Error::PlatformFailure(Box::new(
            dbus_secret_service::Error::Prompt,
        )));
        assert!(matches!(err, SecretError::Locked { .. }), "{err:?}");
        let locked = dbus::Error::new_custom(
            "org.freedesktop.Secret.Error.IsLocked",
            "Cannot create an item in a locked collection",
        );
        let err = store.failure(keyring::Error::PlatformFailure(Box::new(
            dbus_secret_service::Error::Dbus(locked),
        )));
        assert!(matches!(err, SecretError::Locked { .. }), "{err:?}");
        assert!(
            err.to_string().contains("the system keyring is locked"),
            "{err}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn no_default_collection_is_no_entry_for_a_lookup_and_a_sentence_for_a_write() {
        let store = KeyringStore::new(Path::new("/nonexistent"));
        let no_result =
            || keyring::Error::NoStorageAccess(Box::new(dbus_secret_service::Error::NoResult));
        assert!(not_there(&no_result()));
        assert!(not_there(&keyring::Error::NoEntry));
        assert!(!not_there(&keyring::Error::NoStorageAccess(Box::new(
            dbus_secret_service::Error::Locked
        ))));
        let message = store.failure(no_result()).to_string();
        assert!(message.contains("no default keyring"), "{message}");
    }

    #[test]
    fn a_value_that_is_not_text_is_never_shown() {
        let store = KeyringStore::new(Path::new("/nonexistent"));
        let err = store.failure(keyring::Error::BadEncoding(b"sk_live_\xff".to_vec()));
        assert!(!format!("{err} {err:?}").contains("sk_live"), "{err:?}");
    }
}
