//! What the stand-in saw: every request to the platform's routes (the admin routes are not
//! recorded), with credentials in the query hidden, and the counts a test asserts on.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One request as the stand-in received and answered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string (empty when none), with the values of `access_token` and `bearer_token`
    /// replaced by `***`.
    pub query: String,
    /// The status answered; 0 while the answer is pending, 499 when the client went away first.
    pub status: u16,
    /// When the request arrived.
    #[serde(with = "crate::time_serde")]
    pub at: DateTime<Utc>,
    /// The fault that answered or changed it (`too_many_requests`, `rate_limited`…), if any.
    pub fault: Option<String>,
}

/// A change of data a fault made between two reads (see `FaultKind::InsertNewestSale`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedChange {
    /// `insert_newest_sale` or `refund_sale`.
    pub kind: String,
    /// The sale (order) inserted or refunded; `None` when there was none to refund.
    pub sale_id: Option<String>,
    #[serde(with = "crate::time_serde")]
    pub at: DateTime<Utc>,
}

/// Counts since the start (or the last `clear_requests`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Requests that arrived (admin routes excluded).
    pub requests: u64,
    /// Answered requests per status.
    pub by_status: BTreeMap<u16, u64>,
    /// Requests beyond the configured rate limit (each answered 429).
    pub rate_limit_violations: u64,
    /// The most requests ever in progress at once.
    pub max_concurrent: u32,
    /// Requests in progress now.
    pub in_flight: u32,
    /// Requests a fault answered, delayed or changed data before.
    pub faults_applied: u64,
    /// Oldest entries dropped from the request log to keep its size bounded.
    pub dropped_from_log: u64,
}

impl Stats {
    /// Answered requests with this status.
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

/// The log and the counters, kept together so that `clear` resets both.
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<RecordedRequest>,
    /// The sequence number of `entries[0]`; entries are found by sequence number when answered.
    first_seq: u64,
    /// Requests numbered below this arrived before the last `clear` and are not counted.
    cleared_before: u64,
    cap: usize,
    pub stats: Stats,
}

/// Beyond this many entries the oldest are dropped (a benchmark may make millions of requests).
const LOG_CAP: usize = 200_000;

impl Default for RequestLog {
    fn default() -> Self {
        Self {
            entries: VecDeque::new(),
            first_seq: 0,
            cleared_before: 0,
            cap: LOG_CAP,
            stats: Stats::default(),
        }
    }
}

impl RequestLog {
    /// Records an arrival; the returned number finds the entry again in `finish`.
    pub fn arrive(&mut self, method: &str, path: &str, raw_query: Option<&str>) -> u64 {
        if self.entries.len() >= self.cap {
            self.entries.pop_front();
            self.first_seq += 1;
            self.stats.dropped_from_log += 1;
        }
        self.entries.push_back(RecordedRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query: raw_query.map(redact_query).unwrap_or_default(),
            status: 0,
            at: Utc::now(),
            fault: None,
        });
        self.stats.requests += 1;
        self.first_seq + self.entries.len() as u64 - 1
    }

    pub fn finish(&mut self, seq: u64, status: u16, fault: Option<&str>) {
        if seq < self.cleared_before {
            return;
        }
        *self.stats.by_status.entry(status).or_insert(0) += 1;
        if fault.is_some() {
            self.stats.faults_applied += 1;
        }
        let Some(index) = seq.checked_sub(self.first_seq) else {
            return;
        };
        if let Some(entry) = usize::try_from(index)
            .ok()
            .and_then(|i| self.entries.get_mut(i))
        {
            entry.status = status;
            entry.fault = fault.map(str::to_owned);
        }
    }

    pub fn entries(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets the entries and counters; requests still in progress are then not written back.
    pub fn clear(&mut self) {
        self.first_seq += self.entries.len() as u64;
        self.cleared_before = self.first_seq;
        self.entries.clear();
        self.stats = Stats::default();
    }
}

/// Query parameters that carry a token (Doorkeeper reads both).
const SECRET_PARAMS: [&str; 2] = ["access_token", "bearer_token"];

/// `after=2024-01-01&access_token=abc` → `after=2024-01-01&access_token=***`; everything else is
/// kept byte for byte, so the log shows what the client really sent.
pub(crate) fn redact_query(raw: &str) -> String {
    raw.split('&')
        .map(|pair| {
            let key = pair.split_once('=').map_or(pair, |(k, _)| k);
            let decoded: String = form_urlencoded::parse(key.as_bytes())
                .map(|(k, _)| k.into_owned())
                .next()
                .unwrap_or_default();
            if SECRET_PARAMS.contains(&decoded.as_str()) {
                format!("{key}=***")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_the_query_are_hidden() {
        assert_eq!(
            redact_query("after=2024-01-01&access_token=abc&access%5Ftoken=x&bearer_token="),
            "after=2024-01-01&access_token=***&access%5Ftoken=***&bearer_token=***"
        );
        assert_eq!(redact_query("page_key=1-2"), "page_key=1-2");
    }

    #[test]
    fn finished_requests_are_counted_and_written_back() {
        let mut log = RequestLog::default();
        let a = log.arrive("GET", "/v2/sales", None);
        let b = log.arrive("GET", "/v2/user", Some("x=1"));
        log.finish(b, 401, None);
        log.finish(a, 200, Some("slow"));
        let entries = log.entries();
        assert_eq!((entries[0].status, entries[1].status), (200, 401));
        assert_eq!(entries[0].fault.as_deref(), Some("slow"));
        assert_eq!(log.stats.status(200), 1);
        assert_eq!(log.stats.faults_applied, 1);
        let c = log.arrive("GET", "/", None);
        log.clear();
        log.finish(c, 200, None);
        assert!(log.entries().is_empty());
        assert_eq!(log.stats, Stats::default());
        let d = log.arrive("GET", "/", None);
        log.finish(d, 404, None);
        assert_eq!(log.entries()[0].status, 404);
    }
}
