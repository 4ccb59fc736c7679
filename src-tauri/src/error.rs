//! An error as the window receives it: a stable `code` to switch on, a one-line `message` naming the
//! place and the reason, a `hint` saying what to do and whether a `retry` can help, both in the window's
//! words (`tributary_engine::error_words`: no command-line flags there).

use serde::Serialize;
use tributary_engine::EngineError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// Whether asking again may succeed: the window offers Retry only then.
    pub retry: bool,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        let words = tributary_engine::error_words(code);
        CommandError {
            code: code.to_string(),
            message: message.into(),
            hint: words.map(|w| w.hint.to_string()),
            retry: words.is_none_or(|w| w.retry),
        }
    }
}

impl From<EngineError> for CommandError {
    fn from(error: EngineError) -> Self {
        CommandError::new(error.code(), error.to_string())
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

#[cfg(test)]
mod tests {
    /// Every code the shell reports itself has the window's words, as the engine's do (the engine tests
    /// its own): read from the shell's sources, so a new one without words fails here.
    #[test]
    fn every_code_the_shell_reports_has_words_for_the_window() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
        let mut codes = Vec::new();
        let mut pending = vec![dir];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for part in text.split("CommandError::new(\"").skip(1) {
                        codes.push(part.split('"').next().unwrap().to_string());
                    }
                }
            }
        }
        assert!(codes.len() >= 4, "{codes:?}");
        let missing: Vec<&String> = codes
            .iter()
            .filter(|c| tributary_engine::error_words(c).is_none())
            .collect();
        assert!(missing.is_empty(), "no window words for {missing:?}");
    }
}
