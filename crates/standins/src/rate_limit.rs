//! The published rate limit, enforced with a sliding window: a request that arrives when the window
//! already holds `limit` accepted requests is refused with 429 and counted as a violation, so a test
//! can fail a client that went over the limit the platform publishes.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct SlidingWindow {
    limit: u32,
    window: Duration,
    /// Arrival times of the accepted requests still inside the window, oldest first. Refused
    /// requests are not kept: a client that retries too soon is refused again, but the window does
    /// not grow longer because of it.
    accepted: VecDeque<Instant>,
}

/// What the limiter says about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Accepted; `remaining` more fit in the window now.
    Accepted { limit: u32, remaining: u32 },
    /// Over the limit: come back after `retry_after_secs` (whole seconds, at least 1).
    Refused { retry_after_secs: u64 },
}

impl SlidingWindow {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            accepted: VecDeque::new(),
        }
    }

    pub fn check(&mut self, now: Instant) -> Verdict {
        while let Some(first) = self.accepted.front() {
            if now.duration_since(*first) >= self.window {
                self.accepted.pop_front();
            } else {
                break;
            }
        }
        let held = u32::try_from(self.accepted.len()).unwrap_or(u32::MAX);
        if held >= self.limit {
            let wait = self
                .accepted
                .front()
                .and_then(|first| first.checked_add(self.window))
                .map_or(self.window, |free| free.saturating_duration_since(now));
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Verdict::Refused {
                retry_after_secs: secs.max(1),
            };
        }
        self.accepted.push_back(now);
        Verdict::Accepted {
            limit: self.limit,
            remaining: self.limit - held - 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_slides() {
        let start = Instant::now();
        let mut w = SlidingWindow::new(2, Duration::from_secs(10));
        assert_eq!(
            w.check(start),
            Verdict::Accepted {
                limit: 2,
                remaining: 1
            }
        );
        let t1 = start + Duration::from_secs(4);
        assert_eq!(
            w.check(t1),
            Verdict::Accepted {
                limit: 2,
                remaining: 0
            }
        );
        let refused = w.check(start + Duration::from_millis(9_500));
        assert_eq!(
            refused,
            Verdict::Refused {
                retry_after_secs: 1
            }
        );
        assert!(matches!(
            w.check(start + Duration::from_secs(10)),
            Verdict::Accepted { .. }
        ));
        assert_eq!(
            w.check(start + Duration::from_secs(11)),
            Verdict::Refused {
                retry_after_secs: 3
            }
        );
    }

    #[test]
    fn a_limit_of_zero_refuses_everything() {
        let mut w = SlidingWindow::new(0, Duration::from_secs(60));
        assert!(matches!(w.check(Instant::now()), Verdict::Refused { .. }));
    }
}
