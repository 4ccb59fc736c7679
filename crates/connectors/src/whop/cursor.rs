//! Where a Whop sync stands, saved with every page: the newest `updated_at` a finished run saw
//! (`synced_through`), and the run in progress — its page number, the `after` cursor of the next
//! page, the `updated_after` the run filters on (none for a backfill), the newest `updated_at` so
//! far. Payments are read oldest first (`order=created_at&direction=asc`); Whop's cursors are
//! positions in that list (contract §2.2: `"MjA="` is `"20"`), so a payment made during a run lands at
//! the end and shifts nothing, and one that enters an `updated_after` run mid-way (refunded just
//! now) only makes a page repeat one payment the ledger already has — never skip one.

use serde::{Deserialize, Serialize};
use tributary_model::UtcInstant;

/// The platform-independent part: `synced_through` and this run.
pub type Cursor = crate::saved_cursor::SavedCursor<Run>;

#[derive(Debug, Serialize, Deserialize)]
pub struct Run {
    /// The next page's number, from 1 (for the label).
    pub page: u32,
    /// `after` of the next request: the last page's `end_cursor` (`None`: the first page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Only payments updated after this (`None`: a backfill reads every payment).
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_after: Option<UtcInstant>,
    /// The newest `updated_at` this run has seen.
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub newest: Option<UtcInstant>,
}

impl Run {
    /// A backfill (no sync yet, or `--full`), or the payments updated since `lookback_days` before
    /// the newest update the last finished run saw.
    pub fn start(synced_through: Option<UtcInstant>, lookback_days: u32) -> Run {
        const DAY_MS: i64 = 86_400_000;
        Run {
            page: 1,
            after: None,
            updated_after: synced_through
                .map(|t| UtcInstant::from_millis(t.millis() - i64::from(lookback_days) * DAY_MS)),
            newest: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_its_text_and_a_later_run_filters_on_the_look_back() {
        let through = UtcInstant::parse_rfc3339("2026-11-30T10:00:00Z").unwrap();
        let cursor = Cursor {
            synced_through: Some(through),
            run: Some(Run {
                page: 3,
                after: Some("MjAw".into()),
                updated_after: None,
                newest: Some(through),
            }),
        };
        let back = Cursor::parse(Some(&cursor.to_text())).unwrap();
        assert_eq!(back.synced_through, Some(through));
        let run = back.run.unwrap();
        assert_eq!((run.page, run.after.as_deref()), (3, Some("MjAw")));
        assert_eq!(
            Run::start(Some(through), 30).updated_after,
            Some(UtcInstant::parse_rfc3339("2026-10-31T10:00:00Z").unwrap())
        );
        assert_eq!(Run::start(None, 30).updated_after, None);
        assert!(Cursor::parse(Some("{not json")).is_err());
    }
}
