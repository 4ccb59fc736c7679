//! Where a Lemon Squeezy sync stands, saved with every page: the newest order a finished run saw
//! (`synced_through`), and the run in progress — the next page number, the instant before which it
//! stops, the newest order so far. Orders come newest first with no date filter, so a later run reads
//! from page 1 until it passes `synced_through` minus the look-back window. New orders arriving during
//! a run only push older ones onto later pages: a page is read twice in part (the ledger knows each
//! order), never skipped.

use serde::{Deserialize, Serialize};
use tributary_model::UtcInstant;

/// The platform-independent part: `synced_through` and this run.
pub type Cursor = crate::saved_cursor::SavedCursor<Run>;

#[derive(Debug, Serialize, Deserialize)]
pub struct Run {
    /// `page[number]` of the next request, from 1.
    pub page: u32,
    /// Orders created before this are outside the run (`None`: a backfill reads every page).
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub stop_before: Option<UtcInstant>,
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub newest: Option<UtcInstant>,
}

impl Run {
    /// A run from the newest order back to the beginning (no sync yet, or `--full`), or back to
    /// `lookback_days` before the newest order the last finished run saw.
    pub fn start(synced_through: Option<UtcInstant>, lookback_days: u32) -> Run {
        const DAY_MS: i64 = 86_400_000;
        Run {
            page: 1,
            stop_before: synced_through
                .map(|t| UtcInstant::from_millis(t.millis() - i64::from(lookback_days) * DAY_MS)),
            newest: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_its_text_and_a_later_run_stops_at_the_look_back() {
        let through = UtcInstant::parse_rfc3339("2026-11-30T10:00:00Z").unwrap();
        let cursor = Cursor {
            synced_through: Some(through),
            run: Some(Run {
                page: 3,
                stop_before: None,
                newest: Some(through),
            }),
        };
        let back = Cursor::parse(Some(&cursor.to_text())).unwrap();
        assert_eq!(back.synced_through, Some(through));
        assert_eq!(back.run.map(|r| r.page), Some(3));
        assert_eq!(
            Run::start(Some(through), 30).stop_before,
            Some(UtcInstant::parse_rfc3339("2026-10-31T10:00:00Z").unwrap())
        );
        assert_eq!(Run::start(None, 30).stop_before, None);
        assert!(Cursor::parse(Some("{not json")).is_err());
    }
}
