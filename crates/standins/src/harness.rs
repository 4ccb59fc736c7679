//! What every stand-in has besides its platform's data: the fault queue, the rate limiter, the
//! added latency, the request log and counters, and the shutdown signal that cuts waits short. One
//! `Harness` per running server, shared by the gate, the admin routes and the Rust handle.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use axum::response::Response;
use chrono::Utc;
use tokio::sync::watch;

use crate::faults::{DataChange, Fault, FaultKind, FaultQueue};
use crate::rate_limit::{SlidingWindow, Verdict};
use crate::record::{AppliedChange, RecordedRequest, RequestLog, Stats};

/// Makes a change of data in the platform's store; returns the id of the sale it touched.
pub(crate) type ChangeHook = Box<dyn Fn(&DataChange) -> Option<String> + Send + Sync>;

pub(crate) struct Harness {
    inner: Mutex<Inner>,
    shutdown: watch::Sender<bool>,
    on_change: OnceLock<ChangeHook>,
    /// Whether accepted requests get `X-Ratelimit-Limit` / `X-Ratelimit-Remaining` (Lemon Squeezy
    /// sends them; Gumroad publishes no limit and sends none).
    rate_limit_headers: bool,
    /// The platform's 429 (Rack::Attack's text for Gumroad, Laravel's JSON for Lemon Squeezy), for
    /// the rate limit and the `too_many_requests` fault alike.
    throttled: fn(u64) -> Response,
}

#[derive(Default)]
struct Inner {
    faults: FaultQueue,
    limiter: Option<SlidingWindow>,
    latency: Duration,
    log: RequestLog,
    changes: Vec<AppliedChange>,
}

/// Locks a mutex even if a thread panicked while holding it: the state is plain data and a
/// stand-in should keep answering (a panicking test must not make the others fail).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Harness {
    pub fn new(
        latency: Duration,
        rate_limit: Option<(u32, Duration)>,
        rate_limit_headers: bool,
        throttled: fn(u64) -> Response,
    ) -> Arc<Self> {
        let (shutdown, _) = watch::channel(false);
        Arc::new(Self {
            inner: Mutex::new(Inner {
                latency,
                limiter: rate_limit.map(|(n, w)| SlidingWindow::new(n, w)),
                ..Inner::default()
            }),
            shutdown,
            on_change: OnceLock::new(),
            rate_limit_headers,
            throttled,
        })
    }

    /// Set once by the platform, when its store exists.
    pub fn set_change_hook(&self, hook: ChangeHook) {
        let _ = self.on_change.set(hook);
    }

    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    pub fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Sleeps, but wakes at once when the server shuts down (so dropping a handle never waits out a
    /// slow fault).
    pub async fn sleep(&self, duration: Duration) {
        let mut signal = self.shutdown.subscribe();
        tokio::select! {
            _ = tokio::time::sleep(duration) => {}
            _ = signal.wait_for(|down| *down) => {}
        }
    }

    pub fn rate_limit_headers(&self) -> bool {
        self.rate_limit_headers
    }

    /// The platform's 429 with `Retry-After: retry_after_secs`.
    pub fn throttled(&self, retry_after_secs: u64) -> Response {
        (self.throttled)(retry_after_secs)
    }

    // Faults.

    pub fn set_fault(&self, fault: Fault) {
        lock(&self.inner).faults.set(fault);
    }

    pub fn push_fault(&self, fault: Fault) {
        lock(&self.inner).faults.push(fault);
    }

    pub fn clear_faults(&self) {
        lock(&self.inner).faults.clear();
    }

    pub fn pending_faults(&self) -> Vec<Fault> {
        lock(&self.inner).faults.pending()
    }

    pub fn take_fault(&self, path: &str) -> Option<FaultKind> {
        lock(&self.inner).faults.take(path)
    }

    /// Makes the change through the platform's hook and remembers it.
    pub fn apply_change(&self, change: &DataChange) {
        let sale_id = self.on_change.get().and_then(|hook| hook(change));
        let kind = match change {
            DataChange::InsertNewestSale => "insert_newest_sale",
            DataChange::RefundSale { .. } => "refund_sale",
        };
        lock(&self.inner).changes.push(AppliedChange {
            kind: kind.to_owned(),
            sale_id,
            at: Utc::now(),
        });
    }

    pub fn applied_changes(&self) -> Vec<AppliedChange> {
        lock(&self.inner).changes.clone()
    }

    // Latency and the rate limit.

    pub fn latency(&self) -> Duration {
        lock(&self.inner).latency
    }

    pub fn set_latency(&self, latency: Duration) {
        lock(&self.inner).latency = latency;
    }

    pub fn set_rate_limit(&self, rate_limit: Option<(u32, Duration)>) {
        lock(&self.inner).limiter = rate_limit.map(|(n, w)| SlidingWindow::new(n, w));
    }

    /// Checks the rate limit for a request arriving now; a refusal counts as a violation.
    pub fn admit(&self) -> Option<Verdict> {
        let mut inner = lock(&self.inner);
        let verdict = inner.limiter.as_mut()?.check(Instant::now());
        if matches!(verdict, Verdict::Refused { .. }) {
            inner.log.stats.rate_limit_violations += 1;
        }
        Some(verdict)
    }

    // The log.

    /// Records an arrival and counts it in progress until the returned visit is finished or dropped.
    pub fn arrive(self: &Arc<Self>, method: &str, path: &str, query: Option<&str>) -> Visit {
        let mut inner = lock(&self.inner);
        let seq = inner.log.arrive(method, path, query);
        let stats = &mut inner.log.stats;
        stats.in_flight += 1;
        stats.max_concurrent = stats.max_concurrent.max(stats.in_flight);
        Visit {
            harness: Arc::clone(self),
            seq,
            done: false,
        }
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.inner).log.entries()
    }

    pub fn stats(&self) -> Stats {
        lock(&self.inner).log.stats.clone()
    }

    /// Forgets the log and the counters (requests in progress stay counted as in progress).
    pub fn clear_requests(&self) {
        let mut inner = lock(&self.inner);
        let in_flight = inner.log.stats.in_flight;
        inner.log.clear();
        inner.log.stats.in_flight = in_flight;
        inner.log.stats.max_concurrent = in_flight;
        inner.changes.clear();
    }

    fn leave(&self, seq: u64, status: u16, fault: Option<&str>) {
        let mut inner = lock(&self.inner);
        inner.log.finish(seq, status, fault);
        inner.log.stats.in_flight = inner.log.stats.in_flight.saturating_sub(1);
    }
}

/// One request in progress. Dropped without `finish` (the client went away and the server dropped
/// the request), it is recorded as 499, nginx's "client closed request".
pub(crate) struct Visit {
    harness: Arc<Harness>,
    seq: u64,
    done: bool,
}

impl Visit {
    pub fn finish(mut self, status: u16, fault: Option<&str>) {
        self.done = true;
        self.harness.leave(self.seq, status, fault);
    }
}

impl Drop for Visit {
    fn drop(&mut self) {
        if !self.done {
            self.harness.leave(self.seq, 499, None);
        }
    }
}
