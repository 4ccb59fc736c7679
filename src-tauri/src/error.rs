//! An error as the window receives it: a stable `code` to switch on, a one-line `message` naming the
//! place and the reason, a `hint` saying what to do and whether a `retry` can help, both in the window's
//! words (`tributary_engine::error_words`: no command-line flags there). The code is an enum
//! (`ErrorCode`), so a code without words cannot be written here: the engine's test covers them all.

use serde::Serialize;
use tributary_engine::{EngineError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub hint: Option<String>,
    /// Whether asking again may succeed: the window offers Retry only then.
    pub retry: bool,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> CommandError {
        let words = code.words();
        CommandError {
            code,
            message: message.into(),
            hint: words.map(|w| w.hint.to_string()),
            retry: words.is_none_or(|w| w.retry),
        }
    }
}

impl From<EngineError> for CommandError {
    fn from(error: EngineError) -> Self {
        CommandError::new(error.error_code(), error.to_string())
    }
}

/// Runs blocking engine work on the blocking pool, never on the thread that drives the window.
pub async fn off_the_ui_thread<T, F>(work: F) -> Result<T, CommandError>
where
    F: FnOnce() -> Result<T, CommandError> + Send + 'static,
    T: Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| {
            CommandError::new(
                ErrorCode::Internal,
                format!("the work stopped unexpectedly: {e}"),
            )
        })?
}
