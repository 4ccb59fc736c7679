//! Fault switches shared by every stand-in: what a request can be answered with instead of the
//! platform's answer (429s, proxy 5xx pages, slowness, broken bodies) and the changes of data that can
//! happen between two reads, with which requests they apply to. Set from Rust (`set_fault`,
//! `push_fault`) or as JSON over `POST /__admin/faults`.

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One switch: what happens, to which requests, how many times.
///
/// Faults wait in a queue. A request is matched against them in order, and the first whose `path`
/// matches takes it: while that fault still has requests to let through (`after`) the request passes
/// untouched; otherwise the fault applies and counts one of its `times`, and leaves the queue when they
/// are spent. So faults on one path happen one after the other, in the order they were pushed.
///
/// JSON: `{"kind":"too_many_requests","retry_after_secs":30,"times":3,"path":"/v2/sales","after":2}`;
/// `"times": null` keeps the fault until it is cleared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many requests it applies to; `None`: every matching request until cleared.
    #[serde(default = "one")]
    pub times: Option<u32>,
    /// Only requests to this path (`/v2/sales`), or under it when it ends with `*` (`/v2/sales/*`).
    #[serde(default)]
    pub path: Option<String>,
    /// The first `after` matching requests pass untouched; the fault applies from the next one.
    #[serde(default)]
    pub after: u32,
}

fn one() -> Option<u32> {
    Some(1)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 with `Retry-After: retry_after_secs`, as the platform throttles (Gumroad: Rack::Attack's
    /// `Retry later\n` as text/plain).
    TooManyRequests { retry_after_secs: u64 },
    /// A 5xx (500, 502, 503, 504…) with an HTML body, as a proxy in front of the platform answers.
    ServerError { status: u16 },
    /// Waits `delay_ms` before answering normally: for client timeouts.
    Slow { delay_ms: u64 },
    /// 200, `application/json`, and a body cut off in the middle.
    MalformedJson,
    /// 200, `text/html`: a captive portal or a bot check instead of the API.
    HtmlPage,
    /// Just before the request is answered, a new sale (order) is added as the newest one.
    InsertNewestSale,
    /// Just before the request is answered, a sale is refunded: `id`, else the oldest one that is
    /// neither refunded nor charged back; `amount_cents` (USD cents for Gumroad, the order
    /// currency's minor units for Lemon Squeezy), else in full.
    RefundSale {
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        amount_cents: Option<i64>,
    },
}

impl FaultKind {
    /// A short name for the request log.
    pub fn label(&self) -> &'static str {
        match self {
            FaultKind::TooManyRequests { .. } => "too_many_requests",
            FaultKind::ServerError { .. } => "server_error",
            FaultKind::Slow { .. } => "slow",
            FaultKind::MalformedJson => "malformed_json",
            FaultKind::HtmlPage => "html_page",
            FaultKind::InsertNewestSale => "insert_newest_sale",
            FaultKind::RefundSale { .. } => "refund_sale",
        }
    }

    /// The change of data this fault makes, if it is one (the answer itself is then the normal one).
    pub fn data_change(&self) -> Option<DataChange> {
        match self {
            FaultKind::InsertNewestSale => Some(DataChange::InsertNewestSale),
            FaultKind::RefundSale { id, amount_cents } => Some(DataChange::RefundSale {
                id: id.clone(),
                amount_cents: *amount_cents,
            }),
            _ => None,
        }
    }

    /// Why this fault cannot be served, for the admin route's 400.
    pub fn invalid(&self) -> Option<String> {
        match self {
            FaultKind::ServerError { status } if !(500..=599).contains(status) => Some(format!(
                "server_error status must be 500..=599, not {status}"
            )),
            FaultKind::RefundSale {
                amount_cents: Some(c),
                ..
            } if *c <= 0 => Some("refund amount_cents must be positive".into()),
            _ => None,
        }
    }
}

/// A change of the platform's data made by a fault between two reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataChange {
    InsertNewestSale,
    RefundSale {
        id: Option<String>,
        amount_cents: Option<i64>,
    },
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            times: Some(1),
            path: None,
            after: 0,
        }
    }

    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        Self::new(FaultKind::TooManyRequests { retry_after_secs })
    }

    /// `status` should be a 5xx; anything else is answered as 500.
    pub fn server_error(status: u16) -> Self {
        Self::new(FaultKind::ServerError { status })
    }

    pub fn slow(delay: Duration) -> Self {
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        Self::new(FaultKind::Slow { delay_ms })
    }

    pub fn malformed_json() -> Self {
        Self::new(FaultKind::MalformedJson)
    }

    pub fn html_page() -> Self {
        Self::new(FaultKind::HtmlPage)
    }

    pub fn insert_newest_sale() -> Self {
        Self::new(FaultKind::InsertNewestSale)
    }

    /// Refunds `id` in full (or the oldest sale not yet refunded nor charged back, when `None`).
    pub fn refund_sale(id: Option<&str>) -> Self {
        Self::new(FaultKind::RefundSale {
            id: id.map(str::to_owned),
            amount_cents: None,
        })
    }

    /// Applies to `n` requests (a streak of `n`).
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Applies to every matching request until the faults are cleared.
    pub fn forever(mut self) -> Self {
        self.times = None;
        self
    }

    /// Only requests to `path` (or under it, with a trailing `*`).
    pub fn on_path(mut self, path: &str) -> Self {
        self.path = Some(path.to_owned());
        self
    }

    /// Lets the first `m` matching requests through untouched.
    pub fn after(mut self, m: u32) -> Self {
        self.after = m;
        self
    }

    fn matches(&self, path: &str) -> bool {
        match &self.path {
            None => true,
            Some(p) => match p.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == p,
            },
        }
    }
}

/// The pending faults, in order.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    faults: VecDeque<Fault>,
}

impl FaultQueue {
    pub fn set(&mut self, fault: Fault) {
        self.faults.clear();
        self.push(fault);
    }

    pub fn push(&mut self, fault: Fault) {
        if fault.times != Some(0) {
            self.faults.push_back(fault);
        }
    }

    pub fn clear(&mut self) {
        self.faults.clear();
    }

    pub fn pending(&self) -> Vec<Fault> {
        self.faults.iter().cloned().collect()
    }

    /// The fault this request gets, if any (see [`Fault`] for the rule).
    pub fn take(&mut self, path: &str) -> Option<FaultKind> {
        let index = self.faults.iter().position(|f| f.matches(path))?;
        let fault = &mut self.faults[index];
        if fault.after > 0 {
            fault.after -= 1;
            return None;
        }
        let kind = fault.kind.clone();
        if let Some(times) = fault.times.as_mut() {
            *times -= 1;
            if *times == 0 {
                self.faults.remove(index);
            }
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_on_one_path_come_in_order_and_after_lets_requests_through() {
        let mut q = FaultQueue::default();
        q.push(
            Fault::too_many_requests(1)
                .times(2)
                .on_path("/v2/sales")
                .after(1),
        );
        q.push(Fault::server_error(502).on_path("/v2/sales"));
        q.push(Fault::html_page().on_path("/v2/user"));
        assert_eq!(q.take("/v2/sales"), None);
        assert_eq!(q.take("/v2/user"), Some(FaultKind::HtmlPage));
        assert!(matches!(
            q.take("/v2/sales"),
            Some(FaultKind::TooManyRequests { .. })
        ));
        assert!(matches!(
            q.take("/v2/sales"),
            Some(FaultKind::TooManyRequests { .. })
        ));
        assert_eq!(
            q.take("/v2/sales"),
            Some(FaultKind::ServerError { status: 502 })
        );
        assert_eq!(q.take("/v2/sales"), None);
        assert!(q.pending().is_empty());
    }

    #[test]
    fn a_trailing_star_matches_a_prefix_and_forever_stays() {
        let mut q = FaultQueue::default();
        q.push(Fault::malformed_json().on_path("/v2/sales/*").forever());
        assert_eq!(q.take("/v2/sales"), None);
        for _ in 0..3 {
            assert_eq!(q.take("/v2/sales/abc"), Some(FaultKind::MalformedJson));
        }
        assert_eq!(q.pending().len(), 1);
    }

    #[test]
    fn faults_read_from_json_with_defaults() {
        let f: Fault = serde_json::from_str(r#"{"kind":"slow","delay_ms":250}"#).unwrap();
        assert_eq!(f, Fault::slow(Duration::from_millis(250)));
        let f: Fault =
            serde_json::from_str(r#"{"kind":"server_error","status":503,"times":null}"#).unwrap();
        assert_eq!(f.times, None);
        assert!(serde_json::from_str::<Fault>(r#"{"kind":"nope"}"#).is_err());
    }
}
