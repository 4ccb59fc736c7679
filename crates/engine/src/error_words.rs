//! Every error code the engine (and the app's shell) can report, in the window's words: a sentence that
//! says what went wrong, a hint that says what to do — never a command-line flag, a TOML key or a
//! library's message — and whether trying again can help, so that the window offers Retry only then.
//! The CLI keeps the engine's own hints, which may name flags (`EngineError::hint`).

/// What the window says about one error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorWords {
    pub code: &'static str,
    /// What went wrong, when the screen has no better title of its own.
    pub sentence: &'static str,
    /// What the creator can do about it.
    pub hint: &'static str,
    /// Whether the same request may succeed when asked again (a busy disk, a file put back).
    pub retry: bool,
}

const fn words(
    code: &'static str,
    sentence: &'static str,
    hint: &'static str,
    retry: bool,
) -> ErrorWords {
    ErrorWords {
        code,
        sentence,
        hint,
        retry,
    }
}

pub const ERROR_WORDS: &[ErrorWords] = &[
    words(
        "file_unreadable",
        "Tributary could not read the file",
        "Check that the file is still there and complete; download it again if it was cut short.",
        true,
    ),
    words(
        "rows_rejected",
        "Some rows of the file could not be read",
        "Fix the rows named here in the file, then import it again.",
        false,
    ),
    words(
        "mapping_invalid",
        "The column mapping is not complete",
        "Fill in what the mapping editor marks, then preview the file again.",
        false,
    ),
    words(
        "unknown_format",
        "Tributary does not know this file's format",
        "For a CSV, make a column mapping: say which column holds the date, the amount and the currency. Otherwise, export the report the platform offers for its sales.",
        false,
    ),
    words(
        "data_dir",
        "The data folder cannot be used",
        "Check that the data folder exists and that you may write to it.",
        true,
    ),
    words(
        "output",
        "The file could not be saved",
        "Choose another place to save it, or free some space on the disk.",
        true,
    ),
    words(
        "query_invalid",
        "That period cannot be shown",
        "Pick a start and an end day, the start on or before the end.",
        false,
    ),
    words(
        "settings",
        "The settings could not be read or saved",
        "Check that the data folder can be written; the other settings stay as they were.",
        true,
    ),
    words(
        "email_invalid",
        "The email settings are not complete",
        "Fill in the addresses and the way to send (Resend's API key, or the SMTP server), then save again.",
        false,
    ),
    words(
        "email_not_sent",
        "The email could not be sent",
        "Check the address, the key or the server's login; if the server was only busy, send again in a minute.",
        true,
    ),
    words(
        "storage",
        "The ledger could not be written; nothing was changed",
        "Free some space on the disk that holds the data folder, or check the disk, then try again.",
        true,
    ),
    words(
        "read_only",
        "The data folder can only be read",
        "Reports and exports work; to import or undo, make the data folder writable.",
        false,
    ),
    words(
        "newer_schema",
        "This ledger was written by a newer Tributary",
        "Update Tributary to open it; nothing in it was changed.",
        false,
    ),
    words(
        "batch_not_found",
        "That import is no longer in the ledger",
        "The list of imports has changed; it is shown as it is now.",
        false,
    ),
    words(
        "batch_already_undone",
        "That import was undone already",
        "Perhaps from another window or the command line; the list shows it as undone.",
        false,
    ),
    words(
        "time_zone",
        "The ledger's time zone is not one this computer knows",
        "Choose a time zone in Settings; the days are counted again in it.",
        false,
    ),
    words(
        "ledger",
        "Something went wrong in the ledger; nothing was changed",
        "Try again. If it happens again, the backup beside the ledger file holds it as it was.",
        true,
    ),
    words(
        "internal",
        "Tributary stopped part of its work unexpectedly",
        "Try again; if it happens again, restart Tributary.",
        true,
    ),
    words(
        "demo",
        "The demo data could not be loaded",
        "The demo's files that come with Tributary are missing; installing Tributary again brings them back.",
        false,
    ),
    words(
        "open_folder",
        "The folder could not be opened",
        "Open it from your file manager instead; its path is shown in Settings.",
        false,
    ),
    words(
        "sign_in_incomplete",
        "The sign-in did not finish",
        "Sign in again and approve Tributary's access in the browser. Nothing was saved.",
        true,
    ),
    words(
        "platform_refused_credential",
        "The platform refused the key or sign-in",
        "Copy the key from the platform again, or make a new one, and paste it here. Nothing was saved from the refused one.",
        false,
    ),
    words(
        "platform_configuration",
        "The platform does not allow this key to read sales",
        "Check the key's permissions on the platform (it needs to read sales), then connect again.",
        false,
    ),
    words(
        "platform_rate_limited",
        "The platform asked Tributary to slow down",
        "Wait a little and sync again; Tributary keeps its place.",
        true,
    ),
    words(
        "platform_unreachable",
        "The platform could not be reached, or failed to answer",
        "Check the internet connection and try again; everything up to the last whole page is kept.",
        true,
    ),
    words(
        "platform_unexpected_data",
        "The platform answered something Tributary cannot read",
        "Nothing from that page was written. Try again later; if it keeps happening, update Tributary.",
        false,
    ),
    words(
        "secret_store",
        "Tributary could not use the system keyring",
        "Unlock or start the system keyring (GNOME Keyring, KWallet), then try again.",
        true,
    ),
    words(
        "needs_reconnect",
        "This connection needs reconnecting",
        "Reconnect it: its history and position are kept.",
        false,
    ),
    words(
        "connection_not_found",
        "There is no such connection",
        "The list of connections has changed; reload it.",
        false,
    ),
    words(
        "autostart",
        "Tributary could not change whether it starts at login",
        "Check that your desktop's autostart folder can be written, then try again.",
        true,
    ),
    words(
        "key_missing",
        "There is no key to check",
        "Paste the API key or token the platform gave you.",
        false,
    ),
    words(
        "account_ambiguous",
        "Your imports from this platform are under more than one account",
        "Choose the account this connection adds its sales to, so that none is counted twice.",
        false,
    ),
    words(
        "connection_name_taken",
        "Another connection already has that name",
        "Choose a name no other connection has.",
        false,
    ),
    words(
        "connection_name_invalid",
        "A connection's name is a word: letters, digits, - and _",
        "Choose a name like shop or gumroad-2, not only digits and without spaces.",
        false,
    ),
    words(
        "connection_busy",
        "This connection is syncing in another Tributary window or process",
        "Wait for that sync to finish; its progress shows here.",
        true,
    ),
];

impl crate::ErrorCode {
    /// The window's words for this code (every code has them: a test says so).
    pub fn words(self) -> Option<&'static ErrorWords> {
        error_words(self.as_str())
    }
}

/// The window's words for `code`, if it is one Tributary reports.
pub fn error_words(code: &str) -> Option<&'static ErrorWords> {
    ERROR_WORDS.iter().find(|w| w.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_tributary_reports_has_words_for_the_window() {
        let missing: Vec<&str> = crate::ErrorCode::ALL
            .iter()
            .map(|c| c.as_str())
            .filter(|c| error_words(c).is_none())
            .collect();
        assert!(missing.is_empty(), "no window words for {missing:?}");
        // And no words for a code that no longer exists.
        let stale: Vec<&str> = ERROR_WORDS
            .iter()
            .map(|w| w.code)
            .filter(|w| !crate::ErrorCode::ALL.iter().any(|c| c.as_str() == *w))
            .collect();
        assert!(
            stale.is_empty(),
            "words for codes Tributary does not report: {stale:?}"
        );
    }

    #[test]
    fn the_words_are_for_people() {
        for w in ERROR_WORDS {
            for text in [w.sentence, w.hint] {
                assert!(
                    !text.contains("--")
                        && !text.contains("TRIBUTARY_")
                        && !text.to_lowercase().contains("toml")
                        && !text.contains('['),
                    "{}: {text}",
                    w.code
                );
                assert!(!text.is_empty(), "{}", w.code);
            }
        }
        let mut codes: Vec<&str> = ERROR_WORDS.iter().map(|w| w.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ERROR_WORDS.len(), "a code listed twice");
    }
}
