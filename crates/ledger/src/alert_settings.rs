//! How the person wants to be told by email (the engine's `EmailSettings`, as JSON): in the ledger's
//! `ledger_settings`, since the app, the CLI, the tray process and the daemon all read it and any of
//! them may change it — a file each one rewrote whole would lose one writer's change.

use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::Ledger;

const EMAIL_KEY: &str = "email_alerts";

impl Ledger {
    /// The saved email settings (JSON), if any.
    pub fn email_alerts(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM ledger_settings WHERE key = ?1",
                [EMAIL_KEY],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Saves (`Some`) or forgets (`None`) the email settings.
    pub fn set_email_alerts(&mut self, json: Option<&str>) -> Result<()> {
        self.in_small_transaction("saving the email alerts", |tx| {
            match json {
                Some(value) => tx.execute(
                    "INSERT INTO ledger_settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [EMAIL_KEY, value],
                )?,
                None => tx.execute("DELETE FROM ledger_settings WHERE key = ?1", [EMAIL_KEY])?,
            };
            Ok(())
        })
    }
}
