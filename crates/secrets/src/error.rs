//! What can go wrong keeping a secret, in sentences for a person. No message ever holds a secret value:
//! only key names, paths, the store's own words and the variable a person can set.

use std::path::PathBuf;

use crate::choice::{STORE_VALUES, STORE_VARIABLE};

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No Secret Service answered on the session bus (or there is no session bus at all).
    #[error(
        "no keyring is running on this desktop ({detail}). Start one (for example GNOME Keyring or KWallet) \
         and try again, or set {STORE_VARIABLE}=file to keep keys in files readable only by you, in {} \
         (not encrypted)",
        file_dir.display()
    )]
    NoKeyring { detail: String, file_dir: PathBuf },

    /// The keyring is there but locked, or its unlock prompt was dismissed or could not be shown.
    #[error(
        "the system keyring is locked ({detail}). Unlock it (logging in to the desktop usually does) and \
         try again"
    )]
    Locked { detail: String },

    /// Any other refusal by the platform's store.
    #[error("the system keyring failed: {detail}")]
    Store { detail: String },

    /// A key that is not a plain name: empty, too long, dots only, or with a character outside
    /// `A-Z a-z 0-9 . _ -`.
    #[error(
        "{key:?} cannot name a secret: use 1 to {max} of the letters A-Z and a-z, digits and . _ - \
         (not dots alone)",
        max = crate::key::MAX_KEY_LEN
    )]
    BadKey { key: String },

    /// A secret file or its folder could not be read or written.
    #[error("could not use {}: {source}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `TRIBUTARY_SECRET_STORE` holds something other than the allowed values.
    #[error("{STORE_VARIABLE} is {value:?}; it must be one of {STORE_VALUES} (or unset, for the keyring)")]
    BadChoice { value: String },
}

impl SecretError {
    pub(crate) fn file(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SecretError::File {
            path: path.into(),
            source,
        }
    }
}
