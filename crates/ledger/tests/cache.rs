//! The TTL cache and the rate-limit counters in the ledger file: a value lives until it expires and
//! is then gone (and swept); invalidation forgets it; a key's counter refuses past its limit within a
//! window and starts again in the next; a second process on the file shares both.

use tributary_ledger::Ledger;
use tributary_model::UtcInstant;

fn at(seconds: i64) -> UtcInstant {
    UtcInstant::from_millis(1_800_000_000_000 + seconds * 1000)
}

#[test]
fn a_cached_value_lives_until_it_expires_and_is_swept_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut l = Ledger::open(&path).unwrap();
    l.cache_set("whop:account", "Stand-in Creator Co", at(60))
        .unwrap();
    assert_eq!(
        l.cache_get("whop:account", at(59)).unwrap().as_deref(),
        Some("Stand-in Creator Co")
    );
    // Another process on the file sees it.
    let other = Ledger::open(&path).unwrap();
    assert!(other.cache_get("whop:account", at(1)).unwrap().is_some());
    assert_eq!(
        l.cache_get("whop:account", at(60)).unwrap(),
        None,
        "expired at its time"
    );
    l.cache_set("a", "1", at(10)).unwrap();
    l.cache_set("a", "2", at(100)).unwrap();
    assert_eq!(
        l.cache_get("a", at(50)).unwrap().as_deref(),
        Some("2"),
        "set again: the new value and expiry"
    );
    assert!(l.cache_invalidate("a").unwrap());
    assert!(!l.cache_invalidate("a").unwrap());
    assert_eq!(
        l.cache_sweep(at(61)).unwrap().0,
        1,
        "the expired entry swept"
    );
}

#[test]
fn a_rate_counter_refuses_past_its_limit_in_a_window_and_starts_again_in_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut l = Ledger::open(&path).unwrap();
    let mut other = Ledger::open(&path).unwrap();
    // 10 a second, as Gumroad's limiter: two processes share the count.
    for i in 0..5 {
        assert_eq!(
            l.rate_hit("gumroad", 1000, 10, at(0)).unwrap(),
            (true, 2 * i + 1)
        );
        assert_eq!(
            other.rate_hit("gumroad", 1000, 10, at(0)).unwrap(),
            (true, 2 * i + 2)
        );
    }
    assert_eq!(l.rate_hit("gumroad", 1000, 10, at(0)).unwrap(), (false, 10));
    assert_eq!(
        l.rate_hit("stripe", 1000, 10, at(0)).unwrap(),
        (true, 1),
        "per key"
    );
    assert_eq!(
        l.rate_hit("gumroad", 1000, 10, at(1)).unwrap(),
        (true, 1),
        "a new window"
    );
    assert_eq!(
        l.cache_sweep(at(86_402)).unwrap().1,
        3,
        "ended windows swept"
    );
}
