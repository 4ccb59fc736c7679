//! An error as the window receives it: a stable `code` to switch on, a one-line `message` naming the
//! place and the reason, and a `hint` saying what to do, when there is something to say.

use serde::Serialize;
use tributary_engine::EngineError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            code: code.to_string(),
            message: message.into(),
            hint: None,
        }
    }
}

impl From<EngineError> for CommandError {
    fn from(error: EngineError) -> Self {
        CommandError {
            code: error.code().to_string(),
            message: error.to_string(),
            hint: error.hint().map(str::to_string),
        }
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
        .map_err(|e| CommandError::new("internal", format!("the work stopped unexpectedly: {e}")))?
}
