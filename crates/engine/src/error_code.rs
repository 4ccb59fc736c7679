//! Every error code Tributary reports, as one enum: the CLI's JSON and the window get the same codes,
//! and the window gets them as a TypeScript union from the bindings (ts-rs), so it switches on a type,
//! not on a string it could misspell or a message it would have to match. Each has the window's words
//! (`error_words.rs`; a test fails on a code without them).

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $text)] $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as the CLI's JSON and the window's `data-code` write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                }
            }
        }
    };
}

error_codes! {
    FileUnreadable => "file_unreadable",
    RowsRejected => "rows_rejected",
    MappingInvalid => "mapping_invalid",
    UnknownFormat => "unknown_format",
    DataDir => "data_dir",
    Output => "output",
    QueryInvalid => "query_invalid",
    Settings => "settings",
    Storage => "storage",
    ReadOnly => "read_only",
    NewerSchema => "newer_schema",
    BatchNotFound => "batch_not_found",
    BatchAlreadyUndone => "batch_already_undone",
    TimeZone => "time_zone",
    Ledger => "ledger",
    PlatformRefusedCredential => "platform_refused_credential",
    PlatformConfiguration => "platform_configuration",
    PlatformRateLimited => "platform_rate_limited",
    PlatformUnreachable => "platform_unreachable",
    PlatformUnexpectedData => "platform_unexpected_data",
    SecretStore => "secret_store",
    NeedsReconnect => "needs_reconnect",
    ConnectionNotFound => "connection_not_found",
    ConnectionBusy => "connection_busy",
    AccountAmbiguous => "account_ambiguous",
    ConnectionNameTaken => "connection_name_taken",
    ConnectionNameInvalid => "connection_name_invalid",
    SignInIncomplete => "sign_in_incomplete",
    EmailInvalid => "email_invalid",
    EmailNotSent => "email_not_sent",
    /// The shell's own: work that stopped unexpectedly (and anything the window cannot place).
    Internal => "internal",
    /// The shell's own: the demo's files are missing from the install.
    Demo => "demo",
    /// The shell's own: the file manager could not be opened.
    OpenFolder => "open_folder",
    /// The shell's own: the login autostart entry could not be written or removed.
    Autostart => "autostart",
    /// The shell's own: Connect with an empty key field.
    KeyMissing => "key_missing",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
