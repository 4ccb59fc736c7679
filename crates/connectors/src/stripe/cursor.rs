//! Where a Stripe sync stands, saved with every page: the newest charge a finished run saw
//! (`synced_through`), and the run in progress — its phase (charges, then refunds, then disputes),
//! the `created[gte]` bounds, the `starting_after` id of the next page, the newest charge so far.
//! Stripe lists newest first and pages by the id of the last object seen, so objects created during a
//! run land before the first page and move nothing: a page is never skipped or read twice.

use serde::{Deserialize, Serialize};
use tributary_model::UtcInstant;

/// The platform-independent part: `synced_through` and this run.
pub type Cursor = crate::saved_cursor::SavedCursor<Run>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Charges,
    /// Refunds created in the window, of charges created before it (a later run only).
    Refunds,
    Disputes,
}

/// How much longer than the look-back a later run re-reads disputes: a dispute is decided weeks
/// after it opens, and the decision changes its chargeback.
pub const DISPUTE_EXTRA_DAYS: u32 = 90;

#[derive(Debug, Serialize, Deserialize)]
pub struct Run {
    pub phase: Phase,
    /// Charges and refunds created before this are outside the run (`None`: a backfill).
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub since: Option<UtcInstant>,
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub disputes_since: Option<UtcInstant>,
    /// The id the next page starts after, in this phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
    /// Pages read in this phase, for the page's label.
    #[serde(default)]
    pub page: u32,
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub newest: Option<UtcInstant>,
}

impl Run {
    /// A run over every charge (no sync yet, or `--full`), or over those created from `lookback_days`
    /// before the newest charge the last finished run saw.
    pub fn start(synced_through: Option<UtcInstant>, lookback_days: u32) -> Run {
        const DAY_MS: i64 = 86_400_000;
        let back = |days: u32| {
            synced_through.map(|t| UtcInstant::from_millis(t.millis() - i64::from(days) * DAY_MS))
        };
        Run {
            phase: Phase::Charges,
            since: back(lookback_days),
            disputes_since: back(lookback_days.saturating_add(DISPUTE_EXTRA_DAYS)),
            starting_after: None,
            page: 1,
            newest: None,
        }
    }

    /// The phase after this one, or `None` when the run is over. A backfill reads every refund with
    /// its charge, so it has no refunds phase.
    pub fn next_phase(&self) -> Option<Phase> {
        match self.phase {
            Phase::Charges if self.since.is_some() => Some(Phase::Refunds),
            Phase::Charges | Phase::Refunds => Some(Phase::Disputes),
            Phase::Disputes => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_run_rereads_the_look_back_and_disputes_further() {
        let through = UtcInstant::parse_rfc3339("2026-11-30T10:00:00Z").unwrap();
        let run = Run::start(Some(through), 30);
        assert_eq!(
            run.since,
            Some(UtcInstant::parse_rfc3339("2026-10-31T10:00:00Z").unwrap())
        );
        assert_eq!(
            run.disputes_since,
            Some(UtcInstant::parse_rfc3339("2026-08-02T10:00:00Z").unwrap())
        );
        assert_eq!(run.next_phase(), Some(Phase::Refunds));
        let backfill = Run::start(None, 30);
        assert_eq!(
            (backfill.since, backfill.next_phase()),
            (None, Some(Phase::Disputes))
        );
        let cursor = Cursor {
            synced_through: Some(through),
            run: Some(run),
        };
        let back = Cursor::parse(Some(&cursor.to_text())).unwrap();
        assert_eq!(back.run.map(|r| r.phase), Some(Phase::Charges));
    }
}
