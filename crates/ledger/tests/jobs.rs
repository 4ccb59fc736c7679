//! The job queue in the ledger file: a dedupe key queues a job once while it is pending; a job runs
//! no earlier than its time; a claim takes a job for one worker, whose lease, once expired (its
//! process died), lets another claim it again; failures queue it again at the backoff's time until its
//! attempts run out, then it is dead until retried; two workers on one file never run a job twice and
//! lose none. The clock is the tests' own.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use tributary_ledger::{AfterFailure, Ledger, LedgerError, NewJob};
use tributary_model::UtcInstant;

fn at(seconds: i64) -> UtcInstant {
    UtcInstant::from_millis(1_800_000_000_000 + seconds * 1000)
}

fn sync_job(connection: i64, run_at: UtcInstant) -> NewJob {
    NewJob {
        kind: "sync".into(),
        payload: format!("{{\"connection\":{connection}}}"),
        dedupe_key: Some(format!("sync:{connection}")),
        run_at,
        max_attempts: 3,
    }
}

fn ledger(dir: &tempfile::TempDir) -> Ledger {
    Ledger::open(&dir.path().join("ledger.sqlite3")).unwrap()
}

#[test]
fn a_dedupe_key_queues_once_while_pending_and_again_once_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(&dir);
    let (first, new) = l.enqueue_job(&sync_job(3, at(0)), at(0)).unwrap();
    assert!(new);
    assert_eq!(
        l.enqueue_job(&sync_job(3, at(5)), at(1)).unwrap(),
        (first, false)
    );
    let other = l.enqueue_job(&sync_job(4, at(0)), at(1)).unwrap();
    assert!(other.1 && other.0 != first);
    let claimed = l.claim_job("worker-a", at(2), at(60)).unwrap().unwrap();
    assert_eq!(
        (claimed.id, claimed.attempt, claimed.reclaimed),
        (first, 1, false)
    );
    // Running is still pending: no second one.
    assert_eq!(
        l.enqueue_job(&sync_job(3, at(3)), at(3)).unwrap(),
        (first, false)
    );
    l.complete_job(first, "worker-a", at(4)).unwrap();
    let (again, new) = l.enqueue_job(&sync_job(3, at(5)), at(5)).unwrap();
    assert!(new && again != first);
    let counts = l.job_counts().unwrap();
    assert_eq!(
        counts,
        vec![
            ("queued".into(), 2),
            ("running".into(), 0),
            ("done".into(), 1),
            ("dead".into(), 0)
        ]
    );
}

#[test]
fn a_job_waits_for_its_time_and_an_expired_lease_lets_another_worker_take_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(&dir);
    let (id, _) = l.enqueue_job(&sync_job(1, at(100)), at(0)).unwrap();
    assert_eq!(
        l.claim_job("a", at(99), at(129)).unwrap(),
        None,
        "not due yet"
    );
    let a = l.claim_job("a", at(100), at(130)).unwrap().unwrap();
    assert_eq!(a.id, id);
    assert_eq!(
        l.claim_job("b", at(110), at(140)).unwrap(),
        None,
        "held by a"
    );
    // a heartbeats, then dies: its lease runs out and b takes the job over.
    l.heartbeat_job(id, "a", at(120), at(150)).unwrap();
    assert_eq!(l.claim_job("b", at(149), at(179)).unwrap(), None);
    let b = l.claim_job("b", at(151), at(181)).unwrap().unwrap();
    assert_eq!((b.id, b.attempt, b.reclaimed), (id, 2, true));
    // a's late answer is refused: the job is b's now.
    match l.complete_job(id, "a", at(152)) {
        Err(LedgerError::JobNotHeld { holder, .. }) => assert_eq!(holder.as_deref(), Some("b")),
        other => panic!("{other:?}"),
    }
    l.complete_job(id, "b", at(153)).unwrap();
    assert_eq!(l.jobs(10).unwrap()[0].status, "done");
}

#[test]
fn failures_queue_the_job_again_until_its_attempts_run_out_then_it_is_dead_until_retried() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(&dir);
    let (id, _) = l.enqueue_job(&sync_job(7, at(0)), at(0)).unwrap();
    for attempt in 1..=2 {
        let t = at(attempt * 100);
        let job = l
            .claim_job("w", t, at(attempt * 100 + 30))
            .unwrap()
            .unwrap();
        assert_eq!(job.attempt as i64, attempt);
        let retry_at = at(attempt * 100 + 50);
        assert_eq!(
            l.fail_job(id, "w", "Whop answered 503", t, Some(retry_at))
                .unwrap(),
            AfterFailure::Retry(retry_at)
        );
        assert_eq!(
            l.claim_job("w", at(attempt * 100 + 49), at(999)).unwrap(),
            None,
            "backing off"
        );
    }
    l.claim_job("w", at(300), at(330)).unwrap().unwrap();
    assert_eq!(
        l.fail_job(id, "w", "Whop answered 503", at(300), Some(at(350)))
            .unwrap(),
        AfterFailure::Dead
    );
    assert_eq!(
        l.claim_job("w", at(10_000), at(10_030)).unwrap(),
        None,
        "dead jobs are not claimed"
    );
    let dead = &l.jobs(10).unwrap()[0];
    assert_eq!(
        (
            dead.status.as_str(),
            dead.attempts,
            dead.last_error.as_deref()
        ),
        ("dead", 3, Some("Whop answered 503"))
    );
    // Its key is free: a new sync of connection 7 may be queued; retrying the dead one is then refused.
    let (fresh, _) = l.enqueue_job(&sync_job(7, at(400)), at(400)).unwrap();
    assert!(
        matches!(l.retry_job(id, at(401)), Err(LedgerError::JobPending { other, .. }) if other == fresh)
    );
    l.claim_job("w", at(402), at(432)).unwrap().unwrap();
    l.complete_job(fresh, "w", at(403)).unwrap();
    let retried = l.retry_job(id, at(404)).unwrap();
    assert_eq!((retried.status.as_str(), retried.attempts), ("queued", 0));
    assert!(matches!(
        l.retry_job(id, at(405)),
        Err(LedgerError::JobNotDead { .. })
    ));
}

#[test]
fn two_workers_on_one_file_run_every_job_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut l = Ledger::open(&path).unwrap();
    let n = 300;
    let mut ids = BTreeSet::new();
    for i in 0..n {
        let job = NewJob {
            kind: "sync".into(),
            payload: "{}".into(),
            dedupe_key: Some(format!("k{i}")),
            run_at: at(0),
            max_attempts: 1,
        };
        ids.insert(l.enqueue_job(&job, at(0)).unwrap().0);
    }
    drop(l);
    let start = Arc::new(Barrier::new(2));
    let workers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|name| {
            let path = path.clone();
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let mut l = Ledger::open(&path).unwrap();
                start.wait();
                let mut ran = Vec::new();
                while let Some(job) = l.claim_job(name, at(1), at(3600)).unwrap() {
                    l.complete_job(job.id, name, at(2)).unwrap();
                    ran.push(job.id);
                }
                ran
            })
        })
        .collect();
    let ran: Vec<Vec<i64>> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let all: Vec<i64> = ran.iter().flatten().copied().collect();
    let once: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), once.len(), "a job ran twice");
    assert_eq!(once, ids, "a job was lost");
    assert!(
        ran.iter().all(|r| !r.is_empty()),
        "both workers took jobs: {:?}",
        ran.iter().map(Vec::len).collect::<Vec<_>>()
    );
}

#[test]
fn a_failure_no_retry_can_mend_is_dead_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(&dir);
    let (id, _) = l.enqueue_job(&sync_job(2, at(0)), at(0)).unwrap();
    l.claim_job("w", at(1), at(60)).unwrap().unwrap();
    assert_eq!(
        l.fail_job(id, "w", "Gumroad refused the token", at(2), None)
            .unwrap(),
        AfterFailure::Dead
    );
    assert_eq!(l.jobs(1).unwrap()[0].attempts, 1);
}

#[test]
fn a_stopped_job_goes_back_uncounted_and_a_gone_workers_jobs_are_claimed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(&dir);
    let (id, _) = l.enqueue_job(&sync_job(5, at(0)), at(0)).unwrap();
    l.claim_job("a", at(1), at(600)).unwrap().unwrap();
    assert!(
        l.release_job(id, "b", at(2)).is_err(),
        "only its holder puts it back"
    );
    l.release_job(id, "a", at(2)).unwrap();
    let job = l.claim_job("a", at(3), at(600)).unwrap().unwrap();
    assert_eq!((job.id, job.attempt, job.reclaimed), (id, 1, false));

    // "a" dies holding it until 600: not claimable until its leases are ended.
    assert_eq!(l.claim_job("b", at(10), at(600)).unwrap(), None);
    assert_eq!(l.expire_job_leases_of("a", at(10)).unwrap(), 1);
    let taken = l.claim_job("b", at(10), at(600)).unwrap().unwrap();
    assert_eq!((taken.id, taken.attempt, taken.reclaimed), (id, 2, true));
    assert!(
        l.complete_job(id, "a", at(11)).is_err(),
        "the dead worker's late answer is refused"
    );
    l.complete_job(id, "b", at(11)).unwrap();
    assert_eq!(l.next_job_at().unwrap(), None);
    l.enqueue_job(&sync_job(6, at(90)), at(12)).unwrap();
    assert_eq!(l.next_job_at().unwrap(), Some(at(90)));
    assert!(l.run_queued_now("sync:6", at(13)).unwrap());
    assert_eq!(l.next_job_at().unwrap(), Some(at(13)));
    assert!(
        !l.run_queued_now("sync:5", at(13)).unwrap(),
        "done, not queued"
    );
    assert_eq!(
        l.sweep_done_jobs(at(11)).unwrap(),
        0,
        "done at 11: not before 11"
    );
    assert_eq!(l.sweep_done_jobs(at(12)).unwrap(), 1);
    assert_eq!(l.jobs(10).unwrap().len(), 1, "the queued one stays");
}
