//! When a failed job runs again: exponential backoff with full jitter — attempt n waits a time drawn
//! uniformly between the base and a ceiling that doubles per attempt (capped), so jobs that failed
//! together do not come back together, and none comes back at once. The draw is the caller's, so a
//! test with its own clock and seed knows the times.

use std::time::Duration;

use tributary_model::UtcInstant;

/// The first retry's ceiling, and the most any retry waits.
pub const JOB_RETRY_BASE: Duration = Duration::from_secs(30);
pub const JOB_RETRY_CAP: Duration = Duration::from_secs(6 * 3600);

/// The wait after failed attempt `attempt` (1 for the first try), drawn with `rng`.
pub fn job_retry_delay(attempt: u32, rng: &mut fastrand::Rng) -> Duration {
    let doublings = attempt.saturating_sub(1).min(30);
    let ceiling = JOB_RETRY_BASE
        .saturating_mul(1u32 << doublings)
        .min(JOB_RETRY_CAP);
    let (low, high) = (
        u64::try_from(JOB_RETRY_BASE.as_millis()).unwrap_or(u64::MAX),
        u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX),
    );
    Duration::from_millis(rng.u64(low.min(high)..=high))
}

/// `now` plus that wait.
pub fn job_retry_at(now: UtcInstant, attempt: u32, rng: &mut fastrand::Rng) -> UtcInstant {
    let wait = i64::try_from(job_retry_delay(attempt, rng).as_millis()).unwrap_or(i64::MAX);
    UtcInstant::from_millis(now.millis().saturating_add(wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_by_doubling_ceilings_stay_capped_and_are_drawn() {
        let mut rng = fastrand::Rng::with_seed(7);
        for (attempt, ceiling_s) in [
            (1u32, 30u64),
            (2, 60),
            (3, 120),
            (10, 6 * 3600),
            (40, 6 * 3600),
        ] {
            for _ in 0..50 {
                let d = job_retry_delay(attempt, &mut rng);
                assert!(
                    d >= JOB_RETRY_BASE && d <= Duration::from_secs(ceiling_s),
                    "attempt {attempt}: {d:?}"
                );
            }
        }
        let draws: std::collections::HashSet<_> =
            (0..100).map(|_| job_retry_delay(4, &mut rng)).collect();
        assert!(draws.len() > 50, "drawn, not fixed");
        // The same seed, the same times: a test's clock can know when a job comes back.
        let now = UtcInstant::from_millis(1_800_000_000_000);
        let a = job_retry_at(now, 2, &mut fastrand::Rng::with_seed(1));
        let b = job_retry_at(now, 2, &mut fastrand::Rng::with_seed(1));
        assert_eq!(a, b);
        assert!(a.millis() - now.millis() >= 30_000);
    }
}
