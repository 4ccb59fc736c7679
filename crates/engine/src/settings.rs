//! The desktop app's preferences, kept as `settings.json` in the data folder beside the ledger (never
//! in it: the ledger is the creator's data, these are the app's). A missing file means the defaults; a
//! damaged one is reported and replaced on the next save rather than stopping the app. What more than
//! one process writes — "Pause syncing", the schedules — lives in the ledger instead (`schedules.rs`):
//! a file each process rewrites whole loses one writer's change when two write at once.

use crate::error::EngineError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const SETTINGS_FILE_NAME: &str = "settings.json";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Theme {
    /// Follow the system's light or dark preference.
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// Closing the window leaves Tributary in the tray (the tray process) instead of quitting.
    pub close_to_tray: bool,
    /// Desktop notifications when an import finishes or fails.
    pub notifications: bool,
    /// Start with the session (hidden in the tray). The system's autostart entry is the truth; this
    /// mirrors it for the window.
    pub start_at_login: bool,
    pub theme: Theme,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            close_to_tray: true,
            notifications: true,
            start_at_login: false,
            theme: Theme::System,
        }
    }
}

fn settings_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SETTINGS_FILE_NAME)
}

impl Settings {
    /// The saved settings, or the defaults when none were saved. Fields a newer or older version did
    /// not write take their defaults.
    pub fn load(data_dir: &Path) -> Result<Settings, EngineError> {
        let path = settings_path(data_dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => {
                return Err(EngineError::Settings {
                    path,
                    reason: e.to_string(),
                })
            }
        };
        serde_json::from_str(&text).map_err(|e| EngineError::Settings {
            path,
            reason: format!("not valid settings ({e})"),
        })
    }

    /// Writes the settings whole: to a temporary file first, renamed over the old one, so that a crash
    /// never leaves half a file.
    pub fn save(&self, data_dir: &Path) -> Result<(), EngineError> {
        let path = settings_path(data_dir);
        let failed = |e: std::io::Error| EngineError::Settings {
            path: path.clone(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(data_dir).map_err(failed)?;
        let text = serde_json::to_string_pretty(self).map_err(|e| EngineError::Settings {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let partial = data_dir.join(format!("{SETTINGS_FILE_NAME}.partial"));
        std::fs::write(&partial, text).map_err(failed)?;
        std::fs::rename(&partial, &path).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_a_save_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), Settings::default());
        let changed = Settings {
            close_to_tray: false,
            theme: Theme::Dark,
            ..Settings::default()
        };
        changed.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), changed);
        assert!(!dir.path().join("settings.json.partial").exists());
    }

    #[test]
    fn fields_left_out_take_defaults_and_damage_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SETTINGS_FILE_NAME), r#"{"theme":"light"}"#).unwrap();
        let loaded = Settings::load(dir.path()).unwrap();
        assert_eq!(loaded.theme, Theme::Light);
        assert!(loaded.notifications);
        std::fs::write(dir.path().join(SETTINGS_FILE_NAME), "{ not json").unwrap();
        let error = Settings::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("settings.json"), "{error}");
        assert!(error.contains("not valid settings"), "{error}");
    }
}
