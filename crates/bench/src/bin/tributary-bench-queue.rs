//! `tributary-bench-queue [--jobs N]`: the ledger's job queue against a Redis server doing the same
//! work on this machine (issue 13). Tributary: enqueue N jobs (each its own transaction, with a dedupe
//! key), then claim and complete them all with one worker and with two (threads, each with its own
//! connection to the file: what two processes do). Redis (`redis-server` from Debian, started here on
//! a free loopback port, appendonly with fsync every second: durable to about the same second as the
//! ledger's WAL): LPUSH N, then BRPOP them all with one and two clients. Jobs per second, and the
//! ratio Redis ÷ Tributary. Redis's loop has no leases, attempts or dedupe: it is the floor a hosted
//! service's queue starts from. Figures go to docs/benchmarks.md.

use anyhow::{bail, Context, Result};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tributary_ledger::{Ledger, NewJob};
use tributary_model::UtcInstant;

fn main() -> Result<()> {
    let mut jobs = 20_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => jobs = args.next().context("--jobs N")?.parse()?,
            other => bail!("unknown argument {other}; usage: tributary-bench-queue [--jobs N]"),
        }
    }
    let redis = RedisServer::start()?;
    println!("jobs: {jobs}");
    println!("| | Tributary (ledger) | Redis | Redis ÷ Tributary |");
    println!("|---|---|---|---|");
    let t_enqueue = ledger_enqueue(jobs)?;
    let r_enqueue = redis_push(&redis, jobs)?;
    row("enqueue", jobs, t_enqueue.1, r_enqueue);
    let t1 = ledger_drain(&t_enqueue.0, jobs, 1)?;
    redis_push(&redis, jobs)?;
    let r1 = redis_drain(&redis, jobs, 1)?;
    row("claim + complete, 1 worker", jobs, t1, r1);
    let again = ledger_enqueue(jobs)?;
    let t2 = ledger_drain(&again.0, jobs, 2)?;
    redis_push(&redis, jobs)?;
    let r2 = redis_drain(&redis, jobs, 2)?;
    row("claim + complete, 2 workers", jobs, t2, r2);
    Ok(())
}

fn row(what: &str, jobs: usize, tributary: Duration, redis: Duration) {
    let rate = |d: Duration| jobs as f64 / d.as_secs_f64();
    println!(
        "| {what} | {:.0} jobs/s | {:.0} jobs/s | {:.1}× |",
        rate(tributary),
        rate(redis),
        rate(redis) / rate(tributary)
    );
}

/// A fresh ledger with `jobs` queued; the folder and the time taken.
fn ledger_enqueue(jobs: usize) -> Result<(tempfile::TempDir, Duration)> {
    let dir = tempfile::tempdir()?;
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite3"))?;
    let now = UtcInstant::now();
    let start = Instant::now();
    for i in 0..jobs {
        let job = NewJob {
            kind: "sync".into(),
            payload: format!("{{\"connection\":{i}}}"),
            dedupe_key: Some(format!("sync:{i}")),
            run_at: now,
            max_attempts: 4,
        };
        ledger.enqueue_job(&job, now)?;
    }
    Ok((dir, start.elapsed()))
}

fn ledger_drain(dir: &tempfile::TempDir, jobs: usize, workers: usize) -> Result<Duration> {
    let path = dir.path().join("ledger.sqlite3");
    let start = Instant::now();
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || -> Result<usize> {
                let mut ledger = Ledger::open(&path)?;
                let owner = format!("worker {w}");
                let mut done = 0;
                loop {
                    let now = UtcInstant::now();
                    let until = UtcInstant::from_millis(now.millis() + 600_000);
                    let Some(job) = ledger.claim_job(&owner, now, until)? else {
                        return Ok(done);
                    };
                    ledger.complete_job(job.id, &owner, UtcInstant::now())?;
                    done += 1;
                }
            })
        })
        .collect();
    let mut done = 0;
    for h in handles {
        done += h
            .join()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
    }
    anyhow::ensure!(done == jobs, "{done} of {jobs} jobs ran");
    Ok(start.elapsed())
}

struct RedisServer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    fn start() -> Result<RedisServer> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let dir = tempfile::tempdir()?;
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
            ])
            .args(["--appendonly", "yes", "--appendfsync", "everysec"])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .spawn()
            .context("redis-server (apt-get install redis-server)")?;
        let server = RedisServer {
            child,
            port,
            _dir: dir,
        };
        let start = Instant::now();
        while server.client().is_err() {
            anyhow::ensure!(
                start.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    fn client(&self) -> Result<redis::Connection> {
        let client = redis::Client::open(format!("redis://127.0.0.1:{}/", self.port))?;
        Ok(client.get_connection()?)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn redis_push(redis: &RedisServer, jobs: usize) -> Result<Duration> {
    let mut conn = redis.client()?;
    redis::cmd("DEL").arg("jobs").exec(&mut conn)?;
    let start = Instant::now();
    for i in 0..jobs {
        redis::cmd("LPUSH")
            .arg("jobs")
            .arg(format!("{{\"connection\":{i}}}"))
            .exec(&mut conn)?;
    }
    Ok(start.elapsed())
}

fn redis_drain(redis: &RedisServer, jobs: usize, workers: usize) -> Result<Duration> {
    let conns: Vec<redis::Connection> = (0..workers)
        .map(|_| redis.client())
        .collect::<Result<_>>()?;
    let start = Instant::now();
    let handles: Vec<_> = conns
        .into_iter()
        .map(|mut conn| {
            std::thread::spawn(move || -> Result<usize> {
                let mut done = 0;
                loop {
                    // A short timeout: the list is empty once the others took the rest.
                    let got: Option<(String, String)> =
                        redis::cmd("BRPOP").arg("jobs").arg(0.05).query(&mut conn)?;
                    match got {
                        Some(_) => done += 1,
                        None => return Ok(done),
                    }
                }
            })
        })
        .collect();
    let mut done = 0;
    for h in handles {
        done += h
            .join()
            .map_err(|_| anyhow::anyhow!("a client panicked"))??;
    }
    anyhow::ensure!(done == jobs, "{done} of {jobs} jobs popped");
    // The last BRPOP's timeout is waiting, not work.
    Ok(start.elapsed().saturating_sub(Duration::from_millis(50)))
}
