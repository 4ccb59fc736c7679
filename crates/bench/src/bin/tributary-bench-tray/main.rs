//! `tributary-bench-tray`: the tray process running the syncs (issue 13; docs/benchmarks.md). Ten Lemon
//! Squeezy connections in one data folder (one in-process stand-in; each connection's key is another
//! user's there, so each `tributary connect` makes a connection of its own, booked under an account of
//! its own), then `tributary-tray` on that folder, whose scheduler syncs every connection never synced
//! as soon as it starts:
//!
//! 1. **Start to synced**: from the tray's spawn to its first request at the stand-in, and to the last
//!    of the ten runs finished (from the ledger's `sync_runs`, polled every 200 ms), with the requests
//!    the stand-in counted.
//! 2. **Idle**: 20 s later, the tray's PSS (its process tree, `/proc/PID/smaps_rollup`) and CPU over 60 s,
//!    against the peer: a second `tributary-tray` started at the same moment on an empty data folder,
//!    measured over the same window — what the ten connections and their syncs cost on top. The two
//!    share their binary's and GTK's pages, which PSS splits between them: RSS is given too, and the
//!    tray's PSS again once the peer has exited.
//! 3. **Due to first request**, `--rounds` times (3): with the tray stopped (SIGTERM), a connection's
//!    runs (and last success) are moved back in the ledger so that it falls due `--lead` (30 s) after
//!    the tray starts again; the time from that due instant (the schedule's `next_at`, read back from
//!    the ledger) to the stand-in's first request, to the tray's "syncing NAME" line (its tick woke and
//!    claimed the job) and to the run's start in the ledger. Each round takes the next connection, its
//!    due instant a further 200/rounds ms on (the scheduler's sleep step, sampled at as many phases as
//!    there are rounds).
//!
//! `tray.rs` starts the processes, `readings.rs` reads the ledger and `/proc`.
//!
//! The CLI and the tray run as a person runs them, on a file secret store in a temporary configuration
//! folder, each tray with a HOME and XDG_RUNTIME_DIR of its own. Needs a display and a session bus:
//! run it inside `xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- …`, and the `sqlite3`
//! shell (it moves the runs back). `tributary` and `tributary-tray` are taken from beside this binary
//! (`--tributary PATH`, `--tray PATH` to override).

mod readings;
mod tray;

use anyhow::{bail, ensure, Context, Result};
use chrono::{Duration as ChronoDuration, Utc};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tributary_bench::{pss_kib, tree, tributary_beside_bench};
use tributary_ledger::ChangeProbe;
use tributary_standins::{LemonSqueezyConfig, LemonSqueezyStandIn};

use readings::{idle_both, last_run, mb, median, millis, next_at, percent};
use tray::{logged_at, run, Folders, Tray};

/// How often the ledger (and the stand-in's log) is looked at while waiting.
const POLL: Duration = Duration::from_millis(200);
/// How long the ten first syncs may take before the benchmark gives up.
const SYNC_DEADLINE: Duration = Duration::from_secs(180);
/// A sleeping scheduler looks at the clock every 200 ms (`Scheduler::run`), so when a due instant falls
/// within that step decides how late the tick wakes. Restarted exactly `lead` before it, the tray would
/// meet it at the same phase each round: the rounds' due instants are spread over the step instead.
const SLEEP_STEP_MS: i64 = 200;

struct Options {
    connections: usize,
    orders: usize,
    rounds: usize,
    /// How long after the tray's restart the moved connection falls due.
    lead: Duration,
    settle: Duration,
    idle: Duration,
    tray: PathBuf,
    tributary: PathBuf,
}

const USAGE: &str =
    "tributary-bench-tray [--connections N (10)] [--orders N (250)] [--rounds N (3)] \
[--lead-secs S (30)] [--settle-secs S (20)] [--idle-secs S (60)] [--tray PATH] [--tributary PATH]";

fn parse_args() -> Result<Options> {
    let tributary = tributary_beside_bench()?;
    let mut options = Options {
        connections: 10,
        orders: 250,
        rounds: 3,
        lead: Duration::from_secs(30),
        settle: Duration::from_secs(20),
        idle: Duration::from_secs(60),
        tray: tributary.with_file_name("tributary-tray"),
        tributary,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        let mut secs = |name: &str| -> Result<Duration> {
            Ok(Duration::from_secs(
                value()?.parse().context(name.to_string())?,
            ))
        };
        match arg.as_str() {
            "--connections" => options.connections = value()?.parse().context("--connections")?,
            "--orders" => options.orders = value()?.parse().context("--orders")?,
            "--rounds" => options.rounds = value()?.parse().context("--rounds")?,
            "--lead-secs" => options.lead = secs("--lead-secs")?,
            "--settle-secs" => options.settle = secs("--settle-secs")?,
            "--idle-secs" => options.idle = secs("--idle-secs")?,
            "--tray" => options.tray = PathBuf::from(value()?),
            "--tributary" => options.tributary = PathBuf::from(value()?),
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other} (usage: {USAGE})"),
        }
    }
    ensure!(options.connections > 0, "--connections must be at least 1");
    ensure!(options.rounds > 0, "--rounds must be at least 1");
    ensure!(
        options.lead >= Duration::from_secs(5),
        "--lead-secs must be at least 5 (the tray needs the time to start)"
    );
    ensure!(!options.idle.is_zero(), "--idle-secs must be at least 1");
    for (binary, flag) in [
        (&options.tray, "--tray"),
        (&options.tributary, "--tributary"),
    ] {
        ensure!(
            binary.is_file(),
            "{} not found (build it, or name it with {flag} PATH)",
            binary.display()
        );
    }
    Ok(options)
}

/// One due-to-request round's figures, in ms after the due instant.
struct Round {
    connection: String,
    /// When the stand-in saw the first request.
    request_ms: i64,
    /// When the run's row says it started (the tick that found it due).
    run_started_ms: i64,
    /// When the tray logged "syncing NAME": the tick had woken, queued and claimed the job.
    claimed_ms: Option<i64>,
    /// How long before the due instant the tray was spawned.
    spawned_before_ms: i64,
}

fn main() -> Result<()> {
    let options = parse_args()?;
    ensure!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run inside xvfb-run -a -s \"-screen 0 1440x900x24\" dbus-run-session -- …"
    );
    let sqlite_found = Command::new("sqlite3")
        .arg("--version")
        .stdout(Stdio::null())
        .status();
    ensure!(
        sqlite_found.is_ok_and(|s| s.success()),
        "the sqlite3 shell is needed (apt-get install sqlite3): it moves the runs back in time"
    );
    let work = tempfile::tempdir()?;

    // A year of orders ending now; every connection reads all of them, booked under its own account.
    let now = Utc::now();
    let standin = LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        orders: tributary_standins::lemonsqueezy::generate_orders(
            options.orders,
            7,
            now - ChronoDuration::days(365),
            now,
        ),
        ..LemonSqueezyConfig::default()
    })
    .context("starting the Lemon Squeezy stand-in")?;
    let full = Folders::make(&work.path().join("full"), &standin.base_url())?;
    let empty = Folders::make(&work.path().join("empty"), &standin.base_url())?;

    let names: Vec<String> = (0..options.connections)
        .map(|i| format!("shop-{i}"))
        .collect();
    for (i, name) in names.iter().enumerate() {
        let key = format!("ls_bench_key_{i}");
        standin.add_key_of_user(&key, 2 + i as u64);
        let mut connect = full.command(&options.tributary);
        connect.args([
            "connect",
            "lemonsqueezy",
            "--token-stdin",
            "--name",
            name,
            "--account",
            name,
        ]);
        run(connect, &format!("{key}\n"))
            .with_context(|| format!("connecting {name} to the stand-in"))?;
    }
    let listed: serde_json::Value = serde_json::from_str(&run(
        {
            let mut c = full.command(&options.tributary);
            c.args(["connections", "--json"]);
            c
        },
        "",
    )?)
    .context("tributary connections --json")?;
    let listed = listed["connections"].as_array().map_or(0, Vec::len);
    ensure!(
        listed == options.connections,
        "tributary connections lists {listed} connections, {} were made",
        options.connections
    );
    eprintln!(
        "connected: {} Lemon Squeezy connections, {} orders each at the stand-in",
        options.connections, options.orders
    );

    // 1. The tray's start: every connection never synced is due at once.
    let probe = ChangeProbe::open(&full.ledger()).context("opening the ledger to watch it")?;
    let connections = probe.connections()?;
    ensure!(
        connections.iter().all(|c| c.last_success_at.is_none()),
        "a connection was synced before the tray started"
    );
    standin.clear_requests();
    let mut tray = Tray::start(&options.tray, &full, &work.path().join("tray.log"))?;
    let mut peer = Tray::start(&options.tray, &empty, &work.path().join("peer.log"))?;
    let started = Instant::now();
    let last_runs = loop {
        tray.ensure_running()?;
        peer.ensure_running()?;
        let runs = connections
            .iter()
            .map(|c| last_run(&probe, c))
            .collect::<Result<Vec<_>>>()?;
        if runs
            .iter()
            .all(|r| r.as_ref().is_some_and(|r| r.status == "succeeded"))
        {
            break runs.into_iter().flatten().collect::<Vec<_>>();
        }
        // A failure would be retried after a backoff, which is not what this measures.
        for (connection, run) in connections.iter().zip(&runs) {
            if run.as_ref().is_some_and(|r| r.status == "failed") {
                bail!(
                    "{}'s first sync failed: {}",
                    connection.name,
                    tray.log_tail()
                );
            }
        }
        ensure!(
            started.elapsed() < SYNC_DEADLINE,
            "not every connection synced within {} s: {}",
            SYNC_DEADLINE.as_secs(),
            tray.log_tail()
        );
        std::thread::sleep(POLL);
    };
    let polled = started.elapsed();
    let spawned_ms = tray.spawned_at.timestamp_millis();
    let requests = standin.requests();
    let first_request_ms = requests
        .first()
        .context("the stand-in saw no request")?
        .at
        .timestamp_millis()
        - spawned_ms;
    let first_run_ms = last_runs
        .iter()
        .map(|r| r.started_ms)
        .min()
        .context("no runs")?
        - spawned_ms;
    let all_synced_ms = last_runs
        .iter()
        .filter_map(|r| r.finished_ms)
        .max()
        .context("no finished runs")?
        - spawned_ms;
    let mut durations: Vec<i64> = last_runs
        .iter()
        .filter_map(|r| Some(r.finished_ms? - r.started_ms))
        .collect();
    durations.sort_unstable();
    let run_requests: i64 = last_runs.iter().map(|r| r.requests).sum();
    let inserted: i64 = last_runs.iter().map(|r| r.inserted).sum();
    let stats = standin.stats();
    eprintln!(
        "synced: all {} in {:.1} s after spawn (seen at {:.1} s), first request at {:.0} ms, {} requests ({} by the runs' count), {} events inserted, {} rate-limit violations",
        options.connections,
        all_synced_ms as f64 / 1000.0,
        polled.as_secs_f64(),
        first_request_ms,
        stats.requests,
        run_requests,
        inserted,
        stats.rate_limit_violations
    );
    drop(probe);

    // 2. Idle, beside the peer started at the same moment on an empty folder.
    std::thread::sleep(options.settle);
    tray.ensure_running()?;
    peer.ensure_running()?;
    let [busy, quiet] = idle_both([tray.pid()?, peer.pid()?], options.idle)?;
    let idle_requests = standin.stats().requests - stats.requests;
    eprintln!(
        "idle: tray {:.1} MB ({:.1} MB at the window's start), {} ticks in {} s; peer {:.1} MB ({:.1} MB), {} ticks; {} requests meanwhile",
        mb(busy.pss_kib),
        mb(busy.pss_before_kib),
        busy.cpu_ticks,
        options.idle.as_secs(),
        mb(quiet.pss_kib),
        mb(quiet.pss_before_kib),
        quiet.cpu_ticks,
        idle_requests
    );
    let peer_exit = peer.stop()?;
    ensure!(
        peer_exit.success(),
        "the peer tray exited {peer_exit} on SIGTERM"
    );
    // The pages the two shared are now the tray's alone.
    std::thread::sleep(Duration::from_secs(2));
    let alone_kib = pss_kib(&tree(tray.pid()?))?;
    eprintln!("alone: tray {:.1} MB once the peer exited", mb(alone_kib));

    // 3. A due tick: the tray stopped, a connection moved to fall due `lead` after its restart.
    let mut rounds = Vec::new();
    for round in 0..options.rounds {
        let exit = tray.stop()?;
        ensure!(exit.success(), "the tray exited {exit} on SIGTERM");
        let connection = &connections[round % connections.len()];
        let probe = ChangeProbe::open(&full.ledger())?;
        let was = next_at(&probe, connection.id)?;
        let spread = SLEEP_STEP_MS * i64::try_from(round)? / i64::try_from(options.rounds)?;
        let due = Utc::now().timestamp_millis() + i64::try_from(options.lead.as_millis())? + spread;
        let shift = was - due;
        ensure!(
            shift > 0,
            "{} is due too soon already ({} ms from now)",
            connection.name,
            was - Utc::now().timestamp_millis()
        );
        let sql = format!(
            "UPDATE sync_runs SET started_at = started_at - {shift}, \
               finished_at = finished_at - {shift} WHERE connection_id = {id}; \
             UPDATE connections SET last_success_at = last_success_at - {shift} WHERE id = {id};",
            id = connection.id
        );
        let moved = Command::new("sqlite3")
            .args(["-bail", "-cmd", ".timeout 10000"])
            .arg(full.ledger())
            .arg(format!("BEGIN IMMEDIATE; {sql} COMMIT;"))
            .output()
            .context("running sqlite3")?;
        ensure!(
            moved.status.success(),
            "sqlite3 could not move {}'s runs: {}",
            connection.name,
            String::from_utf8_lossy(&moved.stderr).trim()
        );
        // Read back as the scheduler reads it (its stretch of the interval included).
        let wanted = due;
        let due = next_at(&probe, connection.id)?;
        ensure!(
            (due - wanted).abs() < 1000,
            "{} falls due at {due} ms after the move, not {wanted}",
            connection.name
        );
        let others_due = probe
            .schedules()?
            .into_iter()
            .filter(|s| s.connection_id != connection.id)
            .filter_map(|s| Some((s.name, millis(s.next_at.as_deref()?).ok()?)))
            .filter(|(_, at)| *at < due + 120_000)
            .map(|(name, _)| name)
            .collect::<Vec<_>>();
        ensure!(
            others_due.is_empty(),
            "other connections fall due in the window: {others_due:?}"
        );
        drop(probe);

        standin.clear_requests();
        tray = Tray::start(&options.tray, &full, &work.path().join("tray.log"))?;
        let spawned_before_ms = due - tray.spawned_at.timestamp_millis();
        let deadline = Instant::now() + options.lead + Duration::from_secs(60);
        let first = loop {
            tray.ensure_running()?;
            if let Some(first) = standin.requests().into_iter().next() {
                break first;
            }
            ensure!(
                Instant::now() < deadline,
                "no request within {} s of {} falling due: {}",
                60,
                connection.name,
                tray.log_tail()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // The run's own row: when the tick started it, and that it succeeded (before the next stop).
        let probe = ChangeProbe::open(&full.ledger())?;
        let run = loop {
            tray.ensure_running()?;
            match last_run(&probe, connection)? {
                Some(run) if run.started_ms >= due && run.status == "succeeded" => break run,
                Some(run) if run.started_ms >= due && run.status == "failed" => {
                    bail!("{}'s due sync failed: {}", connection.name, tray.log_tail())
                }
                _ => {}
            }
            ensure!(
                Instant::now() < deadline,
                "{}'s due sync did not finish: {}",
                connection.name,
                tray.log_tail()
            );
            std::thread::sleep(POLL);
        };
        let figures = Round {
            connection: connection.name.clone(),
            request_ms: first.at.timestamp_millis() - due,
            run_started_ms: run.started_ms - due,
            claimed_ms: logged_at(&tray.log, &format!("syncing {}", connection.name))
                .map(|at| at - due),
            spawned_before_ms,
        };
        eprintln!(
            "round {}: {} due {:.1} s after the tray's spawn; job claimed {} ms, run started {} ms, first request ({}) {} ms after due",
            round + 1,
            figures.connection,
            figures.spawned_before_ms as f64 / 1000.0,
            figures.claimed_ms.map_or("?".into(), |ms| ms.to_string()),
            figures.run_started_ms,
            first.path,
            figures.request_ms
        );
        rounds.push(figures);
    }
    let exit = tray.stop()?;
    ensure!(exit.success(), "the tray exited {exit} on SIGTERM");

    let n = options.connections;
    let window = options.idle;
    println!();
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| tray start → first request (spawn, GTK, scheduler's first tick) | {first_request_ms} ms (run started at {first_run_ms} ms) | |"
    );
    println!(
        "| tray start → all {n} connections synced ({} orders each, last run finished) | {:.1} s | |",
        options.orders,
        all_synced_ms as f64 / 1000.0
    );
    println!(
        "| one connection's first sync, p50 / max of {n} | {} / {} ms | |",
        durations[durations.len() / 2],
        durations[durations.len() - 1]
    );
    println!(
        "| requests at the stand-in (the runs' own count) | {} ({run_requests}), {} rate-limit violations | |",
        stats.requests, stats.rate_limit_violations
    );
    println!(
        "| idle {} s later, {n} connections: PSS (RSS), CPU over {} s | {:.1} MB ({:.1} MB), {:.2}% ({} ticks) | < 40 MB, ~0% |",
        options.settle.as_secs(),
        window.as_secs(),
        mb(busy.pss_kib),
        mb(busy.rss_kib),
        percent(busy.cpu_ticks, window),
        busy.cpu_ticks
    );
    println!(
        "| peer: a tray on an empty data folder, same window | {:.1} MB ({:.1} MB), {:.2}% ({} ticks) | |",
        mb(quiet.pss_kib),
        mb(quiet.rss_kib),
        percent(quiet.cpu_ticks, window),
        quiet.cpu_ticks
    );
    println!(
        "| {n} connections vs none (PSS) | +{:.1} MB ({:.2}×) | |",
        mb(busy.pss_kib.saturating_sub(quiet.pss_kib)),
        busy.pss_kib as f64 / quiet.pss_kib.max(1) as f64
    );
    println!(
        "| the tray's PSS once the peer exited (the pages they shared are its alone) | {:.1} MB | < 40 MB |",
        mb(alone_kib)
    );
    let each = |f: fn(&Round) -> i64| {
        rounds
            .iter()
            .map(|r| f(r).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "| due → first request (median of {}; {} ms) | {} ms | |",
        rounds.len(),
        each(|r| r.request_ms),
        median(rounds.iter().map(|r| r.request_ms).collect())
    );
    let claimed: Option<Vec<i64>> = rounds.iter().map(|r| r.claimed_ms).collect();
    if let Some(claimed) = claimed {
        println!(
            "| of which due → job claimed (the tick woke, queued and claimed it: \"syncing …\" logged; {} ms) | {} ms | |",
            claimed.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
            median(claimed.clone())
        );
    }
    println!(
        "| of which due → run started (its row in sync_runs; {} ms) | {} ms | |",
        each(|r| r.run_started_ms),
        median(rounds.iter().map(|r| r.run_started_ms).collect())
    );
    Ok(())
}
