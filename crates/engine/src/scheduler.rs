//! The scheduler: the one component that keeps every connection synced on its schedule, hosted by
//! whichever process is up — the app while its window is open, the tray process after it closes,
//! `tributary daemon` on a machine without a desktop. Exactly one of them runs the syncs of a data
//! folder at a time: the one holding the ledger's runner lease (`ledger/src/runner.rs`); the others
//! watch, and take over when its lease runs out or its process is gone.
//!
//! Each tick: renew the lease; queue `sync:<id>` for every connection due (the dedupe key keeps it
//! queued once); claim jobs one by one and sync them, renewing both leases after each page; then a
//! success completes the job, a failure a retry can mend queues it again after the backoff (or the
//! platform's own wait), one it cannot (a refused key) ends it; a stop puts it back uncounted. The
//! workspace is opened per job and closed after it, so that a host sitting idle between runs holds
//! no SQLite cache.

use crate::email_alerts::send_email_job;
use crate::error::EngineError;
use crate::health::{pause_if_failing, PAUSE_AFTER_FAILURES};
use crate::job_backoff::job_retry_at;
use crate::sync::{holder_is_gone, owner, SyncReport, SyncRequest};
use crate::sync_soon::sync_job;
use crate::workspace::{Workspace, LEDGER_FILE_NAME};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tributary_connectors::oauth::CancellationToken;
use tributary_ledger::{AfterFailure, ChangeProbe, ClaimedJob, Ledger, Runner, RunnerLease};
use tributary_model::{FailureClass, UtcInstant};

/// How long the runner's lease lasts unrenewed; it is renewed every tick and after every page.
const RUNNER_LEASE: Duration = Duration::from_secs(90);
/// How long a job's lease lasts unrenewed (a page may wait out a platform's rate limit).
const JOB_LEASE: Duration = Duration::from_secs(10 * 60);
/// The longest a host sleeps between ticks: the lease is renewed well within its life.
pub const SCHEDULER_POLL: Duration = Duration::from_secs(20);
/// How often a sleeping host looks whether another process changed the ledger (one pragma): a job
/// queued or brought forward, a schedule or the pause changed, the runner's lease let go.
const CHANGES_EVERY: Duration = Duration::from_secs(1);
/// Done jobs are kept this long (for `tributary jobs`), then swept by the runner's tick.
const KEEP_DONE: Duration = Duration::from_secs(30 * 86_400);
/// Renew leases after a page at most this often.
const RENEW_EVERY: Duration = Duration::from_secs(15);

/// The process hosting a scheduler, as the others name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedulerHost {
    App,
    Tray,
    Daemon,
}

impl SchedulerHost {
    pub fn as_str(self) -> &'static str {
        match self {
            SchedulerHost::App => "app",
            SchedulerHost::Tray => "tray",
            SchedulerHost::Daemon => "daemon",
        }
    }
}

/// What a scheduler did, for its host to say (the daemon's lines, the tray's status, notifications).
#[derive(Clone, Debug)]
pub enum SchedulerEvent {
    /// This process runs the syncs now.
    Running,
    /// Another process runs them.
    Watching(Runner),
    /// A sync began.
    Started {
        connection: String,
        attempt: u32,
        /// A process that died had been running it.
        reclaimed: bool,
    },
    /// A sync ended: whole, failed (with what becomes of it) or stopped.
    Synced {
        report: Box<SyncReport>,
        duration: Duration,
        after: Option<AfterFailure>,
    },
    /// It failed `PAUSE_AFTER_FAILURES` times in a row and paused itself.
    PausedItself { connection: String, failures: u32 },
    /// An alert or digest email was sent, or not (and what becomes of it).
    Emailed {
        subject: String,
        error: Option<String>,
        after: Option<AfterFailure>,
    },
    /// A sync could not start (no such connection, no credential, the connection busy).
    Refused {
        connection: String,
        message: String,
        after: AfterFailure,
    },
}

impl SchedulerEvent {
    /// The event in the host's log (the app's and the tray process's stderr).
    pub fn log(&self) {
        match self {
            SchedulerEvent::Running => tracing::info!("this process runs the scheduled syncs"),
            SchedulerEvent::Watching(runner) => tracing::info!(
                "the scheduled syncs are run by the tributary {} ({})",
                runner.host,
                runner.owner
            ),
            SchedulerEvent::Started { connection, .. } => tracing::info!("syncing {connection}"),
            SchedulerEvent::Synced { report, .. } => match &report.failure {
                None => tracing::info!("{}: {} new", report.connection, report.inserted),
                Some(f) => tracing::warn!("{}: {}", report.connection, f.message),
            },
            SchedulerEvent::PausedItself {
                connection,
                failures,
            } => tracing::warn!("{connection} paused itself after {failures} failures in a row"),
            SchedulerEvent::Emailed {
                subject,
                error: None,
                ..
            } => tracing::info!("emailed \"{subject}\""),
            SchedulerEvent::Emailed {
                subject,
                error: Some(e),
                ..
            } => tracing::warn!("could not email \"{subject}\": {e}"),
            SchedulerEvent::Refused {
                connection,
                message,
                ..
            } => tracing::warn!("{connection}: {message}"),
        }
    }
}

/// One data folder's scheduler.
pub struct Scheduler {
    dir: PathBuf,
    host: SchedulerHost,
    owner: String,
    rng: fastrand::Rng,
    /// Whether the last tick held the lease (to say a change once).
    held: Option<bool>,
    /// Set to tick at once instead of sleeping out the wait ("Sync now" queued jobs).
    nudge: Arc<AtomicBool>,
}

impl Scheduler {
    pub fn new(dir: &Path, host: SchedulerHost) -> Scheduler {
        Scheduler {
            dir: dir.to_path_buf(),
            host,
            owner: owner(),
            rng: fastrand::Rng::new(),
            held: None,
            nudge: Arc::new(AtomicBool::new(false)),
        }
    }

    /// What wakes this scheduler for a tick at once, from any thread.
    pub fn waker(&self) -> SchedulerWaker {
        SchedulerWaker(self.nudge.clone())
    }

    /// Runs ticks until `stop` is cancelled, then lets the lease go (another process may take over
    /// at once). A tick that fails (the ledger unreadable) is said and tried again next time.
    pub fn run(&mut self, stop: &CancellationToken, on: &mut dyn FnMut(&SchedulerEvent)) {
        let probe = ChangeProbe::open(&self.dir.join(LEDGER_FILE_NAME)).ok();
        while !stop.is_cancelled() {
            let wait = self.tick(stop, on).unwrap_or_else(|e| {
                tracing::warn!("the scheduler could not run: {e}");
                SCHEDULER_POLL
            });
            let mut until = Instant::now() + wait;
            // This tick's own writes are not news.
            let mut version = probe.as_ref().and_then(|p| p.version().ok());
            let mut looked = Instant::now();
            while !stop.is_cancelled() && Instant::now() < until {
                if self.nudge.swap(false, Ordering::AcqRel) {
                    break;
                }
                // Never past the due instant: the tick starts when it is owed, not at the next step.
                let left = until.saturating_duration_since(Instant::now());
                std::thread::sleep(Duration::from_millis(200).min(left));
                if looked.elapsed() < CHANGES_EVERY {
                    continue;
                }
                looked = Instant::now();
                let now_version = probe.as_ref().and_then(|p| p.version().ok());
                if now_version != version {
                    version = now_version;
                    // Only what makes a tick owed sooner cuts the sleep short: another process's
                    // lease renewals or alert marks do not, so two hosts never wake each other.
                    if let Some(sooner) = self.owed_in() {
                        until = until.min(Instant::now() + sooner);
                    }
                }
            }
        }
        if let Err(e) = self.release() {
            tracing::warn!("could not let the syncs' lease go: {e}");
        }
    }

    /// Gives the runner's lease up, if this process holds it.
    pub fn release(&mut self) -> Result<(), EngineError> {
        let mut ledger = Ledger::open(&self.dir.join(LEDGER_FILE_NAME))?;
        ledger.release_runner_lease(&self.owner)?;
        self.held = None;
        Ok(())
    }

    /// One tick: take or renew the lease; if held, queue what is due and run every job that is due.
    /// Returns how long to wait before the next tick.
    pub fn tick(
        &mut self,
        stop: &CancellationToken,
        on: &mut dyn FnMut(&SchedulerEvent),
    ) -> Result<Duration, EngineError> {
        let mut queue = Ledger::open(&self.dir.join(LEDGER_FILE_NAME))?;
        let now = UtcInstant::now();
        let held = match self.take_lease(&mut queue, now)? {
            RunnerLease::Held => true,
            RunnerLease::Busy(runner) => {
                if self.held != Some(false) {
                    on(&SchedulerEvent::Watching(runner));
                }
                false
            }
        };
        if held && self.held != Some(true) {
            on(&SchedulerEvent::Running);
        }
        self.held = Some(held);
        if !held {
            return Ok(SCHEDULER_POLL);
        }
        let keep = i64::try_from(KEEP_DONE.as_millis()).unwrap_or(i64::MAX);
        queue.sweep_done_jobs(UtcInstant::from_millis(now.millis().saturating_sub(keep)))?;
        for due in queue.due_connections(now)? {
            queue.enqueue_job(&sync_job(due.connection_id, now), now)?;
        }
        while !stop.is_cancelled() {
            let now = UtcInstant::now();
            let Some(job) = queue.claim_job(&self.owner, now, later(now, JOB_LEASE))? else {
                break;
            };
            self.run_job(&mut queue, &job, stop, on)?;
        }
        // The emails this tick's syncs (and the clock, for the digest) made owed: sent next tick.
        if queue.email_alerts()?.is_some() {
            if let Err(e) = Workspace::open(&self.dir).and_then(|mut w| w.queue_email_alerts(now)) {
                tracing::warn!("could not queue the alert emails: {e}");
            }
        }
        self.wait_after(&queue)
    }

    /// The lease, taken over at once from a holder whose process is gone (its running jobs with it).
    fn take_lease(&self, queue: &mut Ledger, now: UtcInstant) -> Result<RunnerLease, EngineError> {
        let host = self.host.as_str();
        let until = later(now, RUNNER_LEASE);
        match queue.take_runner_lease(&self.owner, host, now, until)? {
            RunnerLease::Busy(runner) if holder_is_gone(&runner.owner) => {
                queue.expire_runner_lease(&runner.owner, now)?;
                queue.expire_job_leases_of(&runner.owner, now)?;
                Ok(queue.take_runner_lease(&self.owner, host, now, until)?)
            }
            other => Ok(other),
        }
    }

    /// After another process changed the ledger: how soon a tick is owed now. Holding the lease, when
    /// the next connection or job is due; watching, at once if the lease was let go.
    fn owed_in(&self) -> Option<Duration> {
        let queue = Ledger::open(&self.dir.join(LEDGER_FILE_NAME)).ok()?;
        match self.held {
            Some(true) => self.wait_after(&queue).ok(),
            _ => match queue.runner(UtcInstant::now()).ok()? {
                Some(runner) if !holder_is_gone(&runner.owner) => None,
                _ => Some(Duration::ZERO),
            },
        }
    }

    /// Until the next connection or queued job is due, at most `SCHEDULER_POLL`, at least a second.
    /// A connection already due has its job queued (this tick queued it, or it waits out a retry's
    /// backoff or a platform's Retry-After): the job's time counts, not the schedule's, or the host
    /// would wake every second until then.
    fn wait_after(&self, queue: &Ledger) -> Result<Duration, EngineError> {
        let now = UtcInstant::now().millis();
        let mut next = now.saturating_add(SCHEDULER_POLL.as_millis() as i64);
        for schedule in queue.schedules()? {
            if let Some(at) = schedule
                .next_at
                .as_deref()
                .and_then(|t| UtcInstant::parse_rfc3339(t).ok())
                .filter(|at| at.millis() > now)
            {
                next = next.min(at.millis());
            }
        }
        if let Some(at) = queue.next_job_at()? {
            next = next.min(at.millis());
        }
        let ms = u64::try_from(next.saturating_sub(now))
            .unwrap_or(0)
            .max(1000);
        Ok(Duration::from_millis(ms))
    }

    fn run_job(
        &mut self,
        queue: &mut Ledger,
        job: &ClaimedJob,
        stop: &CancellationToken,
        on: &mut dyn FnMut(&SchedulerEvent),
    ) -> Result<(), EngineError> {
        if job.kind == "email" {
            return self.run_email_job(queue, job, on);
        }
        let connection = serde_json::from_str::<serde_json::Value>(&job.payload)
            .ok()
            .and_then(|v| v["connection"].as_i64());
        let schedule = queue
            .schedules()?
            .into_iter()
            .find(|s| Some(s.connection_id) == connection);
        // Gone, paused or needing a reconnect since it was queued: nothing to run.
        let Some(schedule) = schedule.filter(|s| job.kind == "sync" && s.next_at.is_some()) else {
            queue.complete_job(job.id, &self.owner, UtcInstant::now())?;
            return Ok(());
        };
        on(&SchedulerEvent::Started {
            connection: schedule.name.clone(),
            attempt: job.attempt,
            reclaimed: job.reclaimed,
        });
        let started = Instant::now();
        let synced = self.sync_one(queue, job, &schedule.name, stop);
        let now = UtcInstant::now();
        match synced {
            Ok(report) if report.stopped => {
                queue.release_job(job.id, &self.owner, now)?;
                on(&SchedulerEvent::Synced {
                    report: Box::new(report),
                    duration: started.elapsed(),
                    after: None,
                });
            }
            Ok(report) => {
                let after = match &report.failure {
                    None => {
                        queue.complete_job(job.id, &self.owner, now)?;
                        None
                    }
                    Some(f) => {
                        let retry_at = match f.class {
                            FailureClass::Authentication | FailureClass::Configuration => None,
                            FailureClass::RateLimit => {
                                let backoff = job_retry_at(now, job.attempt, &mut self.rng);
                                let asked = f.retry_after_ms.map_or(0, |ms| {
                                    now.millis().saturating_add(i64::try_from(ms).unwrap_or(0))
                                });
                                Some(UtcInstant::from_millis(backoff.millis().max(asked)))
                            }
                            FailureClass::Transient | FailureClass::UnexpectedData => {
                                Some(job_retry_at(now, job.attempt, &mut self.rng))
                            }
                        };
                        Some(queue.fail_job(job.id, &self.owner, &f.message, now, retry_at)?)
                    }
                };
                let failed = report.failure.is_some();
                on(&SchedulerEvent::Synced {
                    report: Box::new(report),
                    duration: started.elapsed(),
                    after,
                });
                if failed && pause_if_failing(queue, &schedule.name)? {
                    on(&SchedulerEvent::PausedItself {
                        connection: schedule.name.clone(),
                        failures: PAUSE_AFTER_FAILURES,
                    });
                }
            }
            Err(e) => {
                let message = e.to_string();
                let retry_at = job_retry_at(now, job.attempt, &mut self.rng);
                let after = queue.fail_job(job.id, &self.owner, &message, now, Some(retry_at))?;
                on(&SchedulerEvent::Refused {
                    connection: schedule.name,
                    message,
                    after,
                });
            }
        }
        Ok(())
    }

    /// Sends an email job; retried later when the failure is worth waiting out, dead otherwise.
    fn run_email_job(
        &mut self,
        queue: &mut Ledger,
        job: &ClaimedJob,
        on: &mut dyn FnMut(&SchedulerEvent),
    ) -> Result<(), EngineError> {
        let subject = serde_json::from_str::<serde_json::Value>(&job.payload)
            .ok()
            .and_then(|v| v["subject"].as_str().map(str::to_string))
            .unwrap_or_default();
        let sent = send_email_job(&self.dir, &job.payload);
        let now = UtcInstant::now();
        let (error, after) = match sent {
            Ok(_) => {
                queue.complete_job(job.id, &self.owner, now)?;
                (None, None)
            }
            Err(e) => {
                let retry_at = match &e {
                    EngineError::EmailNotSent(s) if s.is_worth_retrying() => {
                        let backoff = job_retry_at(now, job.attempt, &mut self.rng);
                        let asked = s.retry_after_ms.map_or(0, |ms| {
                            now.millis().saturating_add(i64::try_from(ms).unwrap_or(0))
                        });
                        Some(UtcInstant::from_millis(backoff.millis().max(asked)))
                    }
                    _ => None,
                };
                let message = e.to_string();
                let after = queue.fail_job(job.id, &self.owner, &message, now, retry_at)?;
                (Some(message), Some(after))
            }
        };
        on(&SchedulerEvent::Emailed {
            subject,
            error,
            after,
        });
        Ok(())
    }

    /// Syncs `name` in a workspace of its own, renewing the job's and the runner's leases as pages land.
    fn sync_one(
        &self,
        queue: &mut Ledger,
        job: &ClaimedJob,
        name: &str,
        stop: &CancellationToken,
    ) -> Result<SyncReport, EngineError> {
        let mut workspace = Workspace::open(&self.dir)?;
        workspace.count_days_in_its_zone()?;
        let request = SyncRequest {
            stop: stop.clone(),
            ..SyncRequest::default()
        };
        let mut renewed = Instant::now();
        let (owner, host) = (self.owner.as_str(), self.host.as_str());
        workspace.sync_with_progress(name, &request, &mut |_| {
            if renewed.elapsed() < RENEW_EVERY {
                return;
            }
            renewed = Instant::now();
            let now = UtcInstant::now();
            if let Err(e) = queue.heartbeat_job(job.id, owner, now, later(now, JOB_LEASE)) {
                tracing::warn!("could not renew job {}'s lease: {e}", job.id);
            }
            if let Err(e) = queue.take_runner_lease(owner, host, now, later(now, RUNNER_LEASE)) {
                tracing::warn!("could not renew the syncs' lease: {e}");
            }
        })
    }
}

/// Wakes a scheduler sleeping between ticks, from any thread: its next tick starts within 200 ms.
#[derive(Clone, Debug)]
pub struct SchedulerWaker(Arc<AtomicBool>);

impl SchedulerWaker {
    pub fn wake(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// A scheduler on a thread of its own, as the app and the tray process host it (their window or menu
/// stays responsive while a sync runs), its events in the host's log.
pub struct SchedulerThread {
    stop: CancellationToken,
    waker: SchedulerWaker,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SchedulerThread {
    pub fn spawn(dir: &Path, host: SchedulerHost) -> std::io::Result<SchedulerThread> {
        let (dir, stop) = (dir.to_path_buf(), CancellationToken::new());
        let token = stop.clone();
        let scheduler = Scheduler::new(&dir, host);
        let waker = scheduler.waker();
        let thread = std::thread::Builder::new()
            .name("scheduler".into())
            .spawn(move || {
                let mut scheduler = scheduler;
                scheduler.run(&token, &mut |event| event.log())
            })?;
        Ok(SchedulerThread {
            stop,
            waker,
            thread: Some(thread),
        })
    }

    /// What has it tick now rather than at the end of its wait (after "Sync now" queued jobs).
    pub fn waker(&self) -> SchedulerWaker {
        self.waker.clone()
    }

    /// Stops it between pages (or giving up the page being read) and waits up to `within` for it to
    /// let its lease go; past that the process may exit anyway (the next host sees it gone).
    pub fn stop(&mut self, within: Duration) {
        self.stop.cancel();
        let Some(thread) = self.thread.take() else {
            return;
        };
        let start = Instant::now();
        while !thread.is_finished() && start.elapsed() < within {
            std::thread::sleep(Duration::from_millis(20));
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}

fn later(now: UtcInstant, by: Duration) -> UtcInstant {
    UtcInstant::from_millis(
        now.millis()
            .saturating_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX)),
    )
}
