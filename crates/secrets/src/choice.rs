//! Which store a run uses: `TRIBUTARY_SECRET_STORE` unset (or `keyring`) for the system keyring, `file`
//! for the warned file store in the settings folder's `secrets/`, `memory` for tests. Opening the
//! keyring asks it once whether it is there, so a missing one is said at the start.

use std::path::{Path, PathBuf};

use crate::{FileStore, KeyringStore, MemoryStore, SecretError, SecretStore};

/// The variable a person sets to choose the store.
pub const STORE_VARIABLE: &str = "TRIBUTARY_SECRET_STORE";

/// The values `STORE_VARIABLE` takes, as an error message lists them.
pub(crate) const STORE_VALUES: &str = "keyring, file or memory (memory is for tests only)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreChoice {
    /// The system keyring (the default).
    Keyring,
    /// Files readable only by their owner, not encrypted, in `secrets_dir(config_dir)`.
    File,
    /// Memory, forgotten at exit. For tests only.
    Memory,
}

impl StoreChoice {
    /// The choice a value of `STORE_VARIABLE` names: `None` or an empty value is the keyring. Case and
    /// surrounding spaces do not matter.
    pub fn from_value(value: Option<&str>) -> Result<Self, SecretError> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(StoreChoice::Keyring);
        };
        match value.to_ascii_lowercase().as_str() {
            "keyring" => Ok(StoreChoice::Keyring),
            "file" => Ok(StoreChoice::File),
            "memory" => Ok(StoreChoice::Memory),
            _ => Err(SecretError::BadChoice {
                value: value.to_string(),
            }),
        }
    }

    /// The choice this process's environment makes.
    pub fn from_env() -> Result<Self, SecretError> {
        match std::env::var_os(STORE_VARIABLE) {
            None => Self::from_value(None),
            Some(value) => match value.to_str() {
                Some(text) => Self::from_value(Some(text)),
                None => Err(SecretError::BadChoice {
                    value: value.to_string_lossy().into_owned(),
                }),
            },
        }
    }

    /// The store this choice names, for Tributary's settings folder `config_dir`. The keyring is probed
    /// once: `NoKeyring` here, not at the first secret.
    pub fn open(self, config_dir: &Path) -> Result<Box<dyn SecretStore>, SecretError> {
        Ok(match self {
            StoreChoice::Keyring => {
                let store = KeyringStore::new(config_dir);
                store.probe()?;
                Box::new(store)
            }
            StoreChoice::File => Box::new(FileStore::new(secrets_dir(config_dir))),
            StoreChoice::Memory => Box::new(MemoryStore::new()),
        })
    }
}

/// Where the file store keeps keys: `secrets/` in Tributary's settings folder.
pub fn secrets_dir(config_dir: &Path) -> PathBuf {
    config_dir.join("secrets")
}

/// The store `TRIBUTARY_SECRET_STORE` chooses (the system keyring when it is unset), for Tributary's
/// settings folder `config_dir`.
pub fn open_store(config_dir: &Path) -> Result<Box<dyn SecretStore>, SecretError> {
    StoreChoice::from_env()?.open(config_dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary_model::Sensitive;

    #[test]
    fn unset_or_empty_is_the_keyring() -> Result<(), SecretError> {
        assert_eq!(StoreChoice::from_value(None)?, StoreChoice::Keyring);
        assert_eq!(StoreChoice::from_value(Some(""))?, StoreChoice::Keyring);
        assert_eq!(StoreChoice::from_value(Some("  "))?, StoreChoice::Keyring);
        assert_eq!(
            StoreChoice::from_value(Some("keyring"))?,
            StoreChoice::Keyring
        );
        Ok(())
    }

    #[test]
    fn the_named_stores() -> Result<(), SecretError> {
        assert_eq!(StoreChoice::from_value(Some("file"))?, StoreChoice::File);
        assert_eq!(StoreChoice::from_value(Some(" File "))?, StoreChoice::File);
        assert_eq!(
            StoreChoice::from_value(Some("memory"))?,
            StoreChoice::Memory
        );
        assert_eq!(
            StoreChoice::from_value(Some("KEYRING"))?,
            StoreChoice::Keyring
        );
        Ok(())
    }

    #[test]
    fn anything_else_names_the_variable_and_the_allowed_values() {
        for value in ["files", "kwallet", "keyring,file", "0"] {
            let err = StoreChoice::from_value(Some(value)).err();
            let message = err.as_ref().map(ToString::to_string).unwrap_or_default();
            assert!(
                matches!(err, Some(SecretError::BadChoice { .. })),
                "{value}"
            );
            assert!(message.contains("TRIBUTARY_SECRET_STORE"), "{message}");
            assert!(message.contains(value), "{message}");
            for allowed in ["keyring", "file", "memory", "tests only"] {
                assert!(message.contains(allowed), "{message}");
            }
        }
    }

    #[test]
    fn file_opens_the_secrets_folder_of_the_settings_folder(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let store = StoreChoice::File.open(root.path())?;
        let dir = root.path().join("secrets");
        assert_eq!(
            store.describe(),
            format!("files in {} (not encrypted)", dir.display())
        );
        assert!(store.warning().is_some());
        assert!(!dir.exists(), "opening writes nothing");
        store.set("k", &Sensitive::new("v".to_string()))?;
        assert!(dir.join("k").is_file());
        Ok(())
    }

    #[test]
    fn memory_opens_a_memory_store() -> Result<(), SecretError> {
        let store = StoreChoice::Memory.open(Path::new("/nonexistent"))?;
        assert_eq!(store.describe(), "memory (tests)");
        store.set("k", &Sensitive::new("v".to_string()))?;
        assert_eq!(
            store.get("k")?.map(Sensitive::into_inner).as_deref(),
            Some("v")
        );
        Ok(())
    }
}
