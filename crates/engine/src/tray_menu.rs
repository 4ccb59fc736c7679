//! What the tray menu shows, for the app's tray and the tray process alike, so that both menus are the
//! same: its items in order, the status line (what the connections need, or when the last import
//! still in the ledger finished) and the icon's level (normal, attention, error).

use crate::error::EngineError;
use crate::health::{health_on, HealthState};
use crate::health_summary::{summarize, HealthLevel};
use crate::workspace::Workspace;
use tributary_ledger::ChangeProbe;
use tributary_model::UtcInstant;

impl Workspace {
    /// When the last import that is still in the ledger finished (RFC 3339).
    pub fn last_import(&self) -> Result<Option<String>, EngineError> {
        Ok(self.ledger.last_import()?)
    }
}

/// One line of the tray menu. `Status` is the status line (not clickable); "Sync now" stays disabled
/// until connections exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrayItem {
    Status,
    Separator,
    SyncNow,
    Pause,
    Open,
    Quit,
}

impl TrayItem {
    /// The menu, top to bottom.
    pub const MENU: [TrayItem; 7] = [
        TrayItem::Status,
        TrayItem::Separator,
        TrayItem::SyncNow,
        TrayItem::Pause,
        TrayItem::Separator,
        TrayItem::Open,
        TrayItem::Quit,
    ];

    /// The menu item's id, which its click events carry.
    pub fn id(self) -> &'static str {
        match self {
            TrayItem::Status => "status",
            TrayItem::Separator => "separator",
            TrayItem::SyncNow => "sync-now",
            TrayItem::Pause => "pause",
            TrayItem::Open => "open",
            TrayItem::Quit => "quit",
        }
    }

    /// The item a click event's id names.
    pub fn from_id(id: &str) -> Option<TrayItem> {
        TrayItem::MENU.into_iter().find(|item| item.id() == id)
    }

    /// The label; the status line's is its text before the ledger is read.
    pub fn label(self) -> &'static str {
        match self {
            TrayItem::Status => NO_IMPORTS,
            TrayItem::Separator => "",
            TrayItem::SyncNow => "Sync now",
            TrayItem::Pause => "Pause syncing",
            TrayItem::Open => "Open Tributary",
            TrayItem::Quit => "Quit",
        }
    }

    /// Whether it can be clicked before the ledger is read ("Sync now" is enabled by
    /// `TrayStatus::can_sync`).
    pub fn enabled(self) -> bool {
        matches!(self, TrayItem::Pause | TrayItem::Open | TrayItem::Quit)
    }
}

const NO_IMPORTS: &str = "No imports yet";

/// What a tray shows of the ledger behind it: the status line, the icon's level, and whether "Sync
/// now" can be clicked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrayStatus {
    pub line: String,
    pub level: HealthLevel,
    pub can_sync: bool,
}

/// The tray's status at `now`: with connections, what the worst of them needs ("Gumroad needs
/// reconnecting") or when they last synced; with none, the last import. Read on the probe's
/// read-only connection: the trays never write the ledger to show it.
pub fn tray_status_of(probe: &ChangeProbe, now: UtcInstant) -> TrayStatus {
    let health = match health_on(probe, now) {
        Ok(health) => health,
        Err(e) => {
            return TrayStatus {
                line: format!("Ledger unreadable: {e}"),
                level: HealthLevel::Error,
                can_sync: false,
            }
        }
    };
    let paused = probe.syncing_paused().unwrap_or(false);
    match summarize(&health, paused) {
        Some(summary) => TrayStatus {
            line: summary.line,
            level: summary.level,
            // What `sync_all_soon` would queue: nothing while paused, and a rate-limited connection
            // keeps waiting.
            can_sync: !paused
                && health.iter().any(|h| {
                    !matches!(
                        h.state,
                        HealthState::NeedsReconnect
                            | HealthState::Paused
                            | HealthState::Disconnected
                            | HealthState::RateLimited
                    )
                }),
        },
        None => TrayStatus {
            line: status_line_of(probe),
            level: HealthLevel::Normal,
            can_sync: false,
        },
    }
}

/// The status line as the ledger behind `probe` has it now, read on the probe's read-only connection (the
/// trays never write the ledger); a ledger that cannot be read says so in the line.
pub fn status_line_of(probe: &ChangeProbe) -> String {
    match probe.last_import() {
        Ok(last) => status_line(last.as_deref()),
        Err(e) => format!("Ledger unreadable: {e}"),
    }
}

/// "No imports yet", or "Last import: 2026-11-25 09:41 UTC".
fn status_line(last_import: Option<&str>) -> String {
    match last_import {
        None => NO_IMPORTS.to_string(),
        Some(when) => format!(
            "Last import: {} UTC",
            when.get(..16).unwrap_or(when).replace('T', " ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_when_in_minutes() {
        assert_eq!(status_line(None), "No imports yet");
        assert_eq!(
            status_line(Some("2026-11-25T09:41:07.123Z")),
            "Last import: 2026-11-25 09:41 UTC"
        );
    }

    #[test]
    fn click_ids_name_their_items() {
        for item in TrayItem::MENU {
            if item != TrayItem::Separator {
                assert_eq!(TrayItem::from_id(item.id()), Some(item));
            }
        }
        assert_eq!(TrayItem::from_id("nothing"), None);
    }
}
