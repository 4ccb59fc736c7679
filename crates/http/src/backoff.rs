//! Exponential backoff with full jitter: each wait is drawn uniformly from zero to a ceiling that
//! doubles per retry (the AWS architecture blog's "full jitter", which spreads clients that failed
//! together best). backon's own jitter adds to the computed delay instead, so this is the iterator
//! backon runs with.

use std::time::Duration;

pub struct FullJitter {
    ceiling: Duration,
    max: Duration,
    left: usize,
    rng: fastrand::Rng,
}

impl FullJitter {
    pub fn new(min: Duration, max: Duration, times: usize) -> Self {
        FullJitter {
            ceiling: min,
            max,
            left: times,
            rng: fastrand::Rng::new(),
        }
    }
}

impl Iterator for FullJitter {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let ceiling = self.ceiling.min(self.max);
        self.ceiling = self.ceiling.saturating_mul(2);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Some(Duration::from_nanos(self.rng.u64(0..=nanos)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_stay_under_a_doubling_ceiling_capped_at_the_max_and_stop() {
        let delays: Vec<_> =
            FullJitter::new(Duration::from_secs(1), Duration::from_secs(4), 5).collect();
        assert_eq!(delays.len(), 5);
        let ceilings = [1, 2, 4, 4, 4];
        for (delay, ceiling) in delays.iter().zip(ceilings) {
            assert!(
                *delay <= Duration::from_secs(ceiling),
                "{delay:?} > {ceiling} s"
            );
        }
        // Drawn, not fixed: 200 draws under a 1 s ceiling are not all the same.
        let draws: std::collections::HashSet<_> = (0..200)
            .filter_map(|_| {
                FullJitter::new(Duration::from_secs(1), Duration::from_secs(1), 1).next()
            })
            .collect();
        assert!(draws.len() > 100);
    }
}
