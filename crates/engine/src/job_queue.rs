//! The job queue as the shells see it: what is in it, and a dead job queued again. The queue itself
//! lives in the ledger (`ledger/src/jobs.rs`); the scheduler that fills and drains it comes next.

use crate::error::EngineError;
use crate::workspace::Workspace;
use tributary_ledger::JobRecord;
use tributary_model::UtcInstant;

impl Workspace {
    /// The newest `limit` jobs, newest first.
    pub fn jobs(&self, limit: u32) -> Result<Vec<JobRecord>, EngineError> {
        Ok(self.ledger.jobs(limit)?)
    }

    /// How many jobs are queued, running, done and dead.
    pub fn job_counts(&self) -> Result<Vec<(String, u64)>, EngineError> {
        Ok(self.ledger.job_counts()?)
    }

    /// Queues dead job `id` again, with fresh attempts, to run now.
    pub fn retry_job(&mut self, id: i64) -> Result<JobRecord, EngineError> {
        Ok(self.ledger.retry_job(id, UtcInstant::now())?)
    }
}
