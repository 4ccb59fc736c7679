//! The one line a tray menu shows about the ledger: when the last import (still in the ledger) finished.
//! Shared by the app's tray and the tray process, so that both say the same thing.

use crate::error::EngineError;
use crate::workspace::Workspace;

impl Workspace {
    /// When the last import that is still in the ledger finished (RFC 3339).
    pub fn last_import(&self) -> Result<Option<String>, EngineError> {
        Ok(self.ledger.last_import()?)
    }
}

/// "No imports yet", or "Last import: 2026-11-25 09:41 UTC".
pub fn status_line(last_import: Option<&str>) -> String {
    match last_import {
        None => "No imports yet".to_string(),
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
}
