//! The scheduled syncs' lease: one holder per data folder, taken atomically by whichever process asks
//! first; renewed by its holder; refused to others until it expires or is released; ended early for
//! a holder known to be gone.

use tributary_ledger::{Ledger, RunnerLease};
use tributary_model::UtcInstant;

fn at(seconds: i64) -> UtcInstant {
    UtcInstant::from_millis(1_800_000_000_000 + seconds * 1000)
}

#[test]
fn one_holder_at_a_time_until_it_expires_or_lets_go() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let (mut app, mut daemon) = (Ledger::open(&path).unwrap(), Ledger::open(&path).unwrap());
    assert_eq!(daemon.runner(at(0)).unwrap(), None);
    assert_eq!(
        daemon
            .take_runner_lease("p1", "daemon", at(0), at(60))
            .unwrap(),
        RunnerLease::Held
    );
    let RunnerLease::Busy(holder) = app.take_runner_lease("p2", "app", at(1), at(61)).unwrap()
    else {
        panic!("two runners");
    };
    assert_eq!(
        (holder.owner.as_str(), holder.host.as_str()),
        ("p1", "daemon")
    );
    assert_eq!(
        app.runner(at(1)).unwrap().map(|r| r.owner),
        Some("p1".into())
    );

    // Renewed by its holder, it outlives its first expiry.
    assert_eq!(
        daemon
            .take_runner_lease("p1", "daemon", at(50), at(110))
            .unwrap(),
        RunnerLease::Held
    );
    assert!(matches!(
        app.take_runner_lease("p2", "app", at(70), at(130)).unwrap(),
        RunnerLease::Busy(_)
    ));
    // Not renewed, it expires and the other takes it.
    assert_eq!(
        app.take_runner_lease("p2", "app", at(111), at(171))
            .unwrap(),
        RunnerLease::Held
    );
    assert!(
        !daemon.release_runner_lease("p1").unwrap(),
        "p1 holds nothing now"
    );
    assert!(matches!(
        daemon
            .take_runner_lease("p1", "daemon", at(112), at(172))
            .unwrap(),
        RunnerLease::Busy(_)
    ));
    // Released, it is free at once.
    assert!(app.release_runner_lease("p2").unwrap());
    assert_eq!(app.runner(at(113)).unwrap(), None);
    assert_eq!(
        daemon
            .take_runner_lease("p1", "daemon", at(113), at(173))
            .unwrap(),
        RunnerLease::Held
    );
    // p1's process is known gone: its lease ends now.
    app.expire_runner_lease("p1", at(114)).unwrap();
    assert_eq!(
        app.take_runner_lease("p2", "tray", at(114), at(174))
            .unwrap(),
        RunnerLease::Held
    );
    assert_eq!(
        app.runner(at(115)).unwrap().map(|r| r.host),
        Some("tray".into())
    );
}

#[test]
fn two_processes_asking_at_once_get_one_holder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    Ledger::open(&path).unwrap();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
    let askers: Vec<_> = (0..4)
        .map(|i| {
            let (path, barrier) = (path.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut l = Ledger::open(&path).unwrap();
                barrier.wait();
                l.take_runner_lease(&format!("p{i}"), "daemon", at(0), at(60))
                    .unwrap()
                    == RunnerLease::Held
            })
        })
        .collect();
    let winners: usize = askers
        .into_iter()
        .map(|h| usize::from(h.join().unwrap()))
        .sum();
    assert_eq!(winners, 1);
}
