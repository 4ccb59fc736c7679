//! A connector's cursor as the text saved in `connections.sync_cursor`: JSON, so a person can read it
//! (`tributary connections --json`), and a text that cannot be read says how to start again.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The cursor in `text`, or the cursor of no sync yet (`Default`) when there is none.
pub fn parse<T: DeserializeOwned + Default>(text: Option<&str>) -> Result<T, String> {
    match text {
        None => Ok(T::default()),
        Some(t) => serde_json::from_str(t).map_err(|e| {
            format!("the connection's saved position cannot be read ({e}); sync with --full to start again")
        }),
    }
}

pub fn to_text<T: Serialize>(cursor: &T) -> String {
    serde_json::to_string(cursor).unwrap_or_else(|_| "{}".into())
}
