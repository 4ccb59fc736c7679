//! Secrets in memory, forgotten when the process ends: for tests of the crates that use a
//! `SecretStore`, and `TRIBUTARY_SECRET_STORE=memory` in test runs. Never a place for real keys.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use tributary_model::Sensitive;

use crate::key::check_key;
use crate::{SecretError, SecretStore};

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Sensitive<String>>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A poisoned lock only means another test thread panicked while holding it; the map is still whole
    /// (every change is one insert or remove).
    fn entries(&self) -> MutexGuard<'_, HashMap<String, Sensitive<String>>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        check_key(key)?;
        Ok(self.entries().get(key).cloned())
    }

    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretError> {
        check_key(key)?;
        self.entries().insert(key.to_string(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        check_key(key)?;
        self.entries().remove(key);
        Ok(())
    }

    fn describe(&self) -> String {
        "memory (tests)".to_string()
    }

    fn warning(&self) -> Option<String> {
        Some(
            "keys are kept in memory only and forgotten when this program ends \
             (TRIBUTARY_SECRET_STORE=memory is for tests)"
                .to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(value: &str) -> Sensitive<String> {
        Sensitive::new(value.to_string())
    }

    #[test]
    fn set_get_overwrite_delete() -> Result<(), SecretError> {
        let store = MemoryStore::new();
        assert!(store.get("gumroad-1")?.is_none());
        store.set("gumroad-1", &secret("first"))?;
        store.set("stripe-1", &secret("other"))?;
        assert_eq!(
            store
                .get("gumroad-1")?
                .map(Sensitive::into_inner)
                .as_deref(),
            Some("first")
        );
        store.set("gumroad-1", &secret("second"))?;
        assert_eq!(
            store
                .get("gumroad-1")?
                .map(Sensitive::into_inner)
                .as_deref(),
            Some("second")
        );
        store.delete("gumroad-1")?;
        assert!(store.get("gumroad-1")?.is_none());
        store.delete("gumroad-1")?;
        assert_eq!(
            store.get("stripe-1")?.map(Sensitive::into_inner).as_deref(),
            Some("other")
        );
        Ok(())
    }

    #[test]
    fn bad_keys_are_refused_by_every_call() {
        let store = MemoryStore::new();
        assert!(matches!(store.get("../x"), Err(SecretError::BadKey { .. })));
        assert!(matches!(
            store.set("a/b", &secret("v")),
            Err(SecretError::BadKey { .. })
        ));
        assert!(matches!(
            store.delete(".."),
            Err(SecretError::BadKey { .. })
        ));
    }

    #[test]
    fn says_what_it_is_and_warns() {
        let store = MemoryStore::new();
        assert_eq!(store.describe(), "memory (tests)");
        assert!(store.warning().is_some_and(|w| w.contains("tests")));
    }
}
