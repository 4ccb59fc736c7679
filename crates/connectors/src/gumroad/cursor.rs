//! Where a Gumroad sync stands, saved with every page: the newest sale a finished run saw
//! (`synced_through`), and the run in progress — its `after` date, the next `page_key`, the newest sale
//! so far — so a sync that dies resumes at the page after the last one written.

use serde::{Deserialize, Serialize};
use tributary_model::UtcInstant;

/// The platform-independent part: `synced_through` and this run.
pub type Cursor = crate::saved_cursor::SavedCursor<Run>;

#[derive(Debug, Serialize, Deserialize)]
pub struct Run {
    /// `after=` of every page of this run: whole UTC days, `>=`.
    pub after: Option<String>,
    pub page_key: Option<String>,
    pub page: u32,
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub newest: Option<UtcInstant>,
}

impl Run {
    /// A run from the beginning (no sync yet, or `--full`), or from `lookback_days` before the newest
    /// sale the last finished run saw.
    pub fn start(synced_through: Option<UtcInstant>, lookback_days: u32) -> Run {
        Run {
            after: synced_through.map(|t| t.day().plus_days(-i64::from(lookback_days)).to_string()),
            page_key: None,
            page: 1,
            newest: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_its_text_and_a_later_run_looks_back() {
        let through = UtcInstant::parse_rfc3339("2026-11-30T10:00:00Z").unwrap();
        let cursor = Cursor {
            synced_through: Some(through),
            run: Some(Run {
                after: None,
                page_key: Some("k".into()),
                page: 4,
                newest: Some(through),
            }),
        };
        let back = Cursor::parse(Some(&cursor.to_text())).unwrap();
        assert_eq!(back.synced_through, Some(through));
        let run = back.run.unwrap();
        assert_eq!((run.page_key.as_deref(), run.page), (Some("k"), 4));
        assert_eq!(
            Run::start(Some(through), 30).after.as_deref(),
            Some("2026-10-31")
        );
        assert_eq!(Run::start(None, 30).after, None);
        assert!(Cursor::parse(Some("{not json")).is_err());
    }
}
