//! "Sync now" from a tray: every connection that can sync is queued to run at once, and whichever
//! process runs the scheduler (this one or another) syncs them in turn. A connection waiting out a
//! platform's rate limit keeps waiting — asking again before its time only earns another refusal.

use crate::error::EngineError;
use crate::health::HealthState;
use crate::workspace::Workspace;
use tributary_ledger::NewJob;
use tributary_model::UtcInstant;

/// Tries per sync job before it is dead (1 + 3 retries after 30 s, ≤ 1 min, ≤ 2 min); the schedule
/// queues a new one at the connection's next interval.
pub(crate) const SYNC_ATTEMPTS: u32 = 4;

/// The job that syncs connection `id`, due at `run_at`; its dedupe key keeps it queued once.
pub(crate) fn sync_job(connection_id: i64, run_at: UtcInstant) -> NewJob {
    NewJob {
        kind: "sync".into(),
        payload: serde_json::json!({ "connection": connection_id }).to_string(),
        dedupe_key: Some(sync_key(connection_id)),
        run_at,
        max_attempts: SYNC_ATTEMPTS,
    }
}

pub(crate) fn sync_key(connection_id: i64) -> String {
    format!("sync:{connection_id}")
}

impl Workspace {
    /// Queues a sync of every connection that can sync (not paused, not needing a reconnect, not
    /// rate-limited), due now; a sync already queued is brought forward. Returns the connections
    /// queued, by name.
    pub fn sync_all_soon(&mut self, now: UtcInstant) -> Result<Vec<String>, EngineError> {
        let waiting: Vec<String> = self
            .health(now)?
            .into_iter()
            .filter(|h| h.state == HealthState::RateLimited)
            .map(|h| h.connection)
            .collect();
        let mut queued = Vec::new();
        for schedule in self.ledger.schedules()? {
            if schedule.next_at.is_none() || waiting.contains(&schedule.name) {
                continue;
            }
            let id = schedule.connection_id;
            self.ledger.enqueue_job(&sync_job(id, now), now)?;
            self.ledger.run_queued_now(&sync_key(id), now)?;
            queued.push(schedule.name);
        }
        Ok(queued)
    }
}
