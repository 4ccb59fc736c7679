//! Keeping under a platform's published limit: a GCRA limiter (governor) spaces requests evenly, one
//! per `per / requests` with no burst — governor's `per_minute` would let a whole minute's worth through
//! at once and then more as it refills (governor #219) — and a server that says
//! `X-Ratelimit-Remaining: 0` holds every request until its window has passed.

use crate::RateLimit;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

pub struct Limiter {
    gcra: Option<DefaultDirectRateLimiter>,
    window: Duration,
    hold_until: Mutex<Option<Instant>>,
}

impl Limiter {
    pub fn new(limit: Option<RateLimit>) -> Self {
        let gcra = limit.and_then(|l| {
            let requests = NonZeroU32::new(l.requests)?;
            // 2% slack: the server's window and ours do not start at the same instant.
            let period = l.per.mul_f64(1.02) / requests.get();
            Quota::with_period(period).map(|q| RateLimiter::direct(q.allow_burst(NonZeroU32::MIN)))
        });
        Limiter {
            gcra,
            window: limit.map_or(Duration::from_secs(60), |l| l.per),
            hold_until: Mutex::new(None),
        }
    }

    /// Waits until a request may go.
    pub async fn ready(&self) {
        let hold = self.hold_until.lock().ok().and_then(|h| *h);
        if let Some(until) = hold {
            tokio::time::sleep_until(until).await;
        }
        if let Some(gcra) = &self.gcra {
            gcra.until_ready().await;
        }
    }

    /// What the server said of its own budget.
    pub fn remaining(&self, remaining: Option<u64>) {
        if remaining == Some(0) {
            if let Ok(mut hold) = self.hold_until.lock() {
                *hold = Some(Instant::now() + self.window);
            }
        }
    }
}
