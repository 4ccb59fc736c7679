//! The data folder of the desktop app and its tray: `$TRIBUTARY_DATA_DIR` when set, else the default
//! the CLI uses too (`tributary --data-dir` reads the same variable). Never Tauri's path resolver, so
//! that the app, the tray and the CLI always open the same ledger.

use crate::error::EngineError;
use crate::workspace::default_data_dir;
use std::ffi::OsString;
use std::path::PathBuf;

/// Overrides the data folder, for the app exactly as for the CLI (`tributary --data-dir`).
pub const DATA_DIR_ENV: &str = "TRIBUTARY_DATA_DIR";
pub const CONFIG_DIR_ENV: &str = "TRIBUTARY_CONFIG_DIR";

pub fn data_dir_from_env() -> Result<PathBuf, EngineError> {
    resolve(std::env::var_os(DATA_DIR_ENV))
}

/// Where Tributary's own configuration lives, apart from the data folder (which gets backed up, synced
/// and shared): the file secret store's folder. `TRIBUTARY_CONFIG_DIR`, else the platform's config
/// folder (`~/.config/<identifier>` on Linux).
pub fn config_dir_from_env() -> Result<PathBuf, EngineError> {
    match std::env::var_os(CONFIG_DIR_ENV) {
        Some(value) if !value.is_empty() => Ok(PathBuf::from(value)),
        _ => dirs::config_dir()
            .map(|d| d.join(crate::workspace::APP_IDENTIFIER))
            .ok_or_else(|| EngineError::DataDir {
                path: PathBuf::from(format!("${CONFIG_DIR_ENV}")),
                reason: "this system names no configuration folder; set TRIBUTARY_CONFIG_DIR"
                    .into(),
            }),
    }
}

fn resolve(from_env: Option<OsString>) -> Result<PathBuf, EngineError> {
    match from_env {
        // The CLI rejects an empty value too, rather than opening a ledger in the working directory.
        Some(value) if value.is_empty() => Err(EngineError::DataDir {
            path: PathBuf::from(format!("${DATA_DIR_ENV}")),
            reason: "it is set but empty".to_string(),
        }),
        Some(value) => Ok(PathBuf::from(value)),
        None => default_data_dir(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_cli_rule() {
        assert_eq!(
            resolve(Some("/tmp/somewhere".into())).unwrap(),
            PathBuf::from("/tmp/somewhere")
        );
        assert_eq!(
            resolve(Some(OsString::new())).unwrap_err().code(),
            "data_dir"
        );
        if let Ok(default) = default_data_dir() {
            assert_eq!(resolve(None).unwrap(), default);
        }
    }
}
