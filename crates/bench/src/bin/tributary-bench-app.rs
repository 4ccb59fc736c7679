//! `tributary-bench-app`: the desktop app's figures (docs/benchmarks.md). Cold start to the dashboard
//! showing data with a 1,000,000-event ledger, against the same start with an empty ledger (the peer:
//! what the window costs with no data); idle memory (PSS of the app and its WebKit processes) and CPU
//! with the window open and in the tray after the window was closed (the tray process, src-tray/, which
//! the app hands the icon to); and the binaries' sizes. `--cold-cache` drops the kernel's page cache
//! before every start (root only), as after a reboot: the ledger and the libraries come from the disk.
//!
//! Needs a display and a session bus: run it inside
//! `xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- …`, with `xdotool` installed (it closes
//! the window with Ctrl+W, as a person would).

use anyhow::{bail, ensure, Context, Result};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tributary_bench::{
    cpu_ticks, measure, ms, pss_kib, ticks_per_second, tree, tributary_beside_bench, Fixture,
    Shape, SPAN_SECONDS,
};

/// What the shell logs when the window first shows a screen (see `window_shown` in src-tauri).
const SHOWN: &str = "window shown:";
const DROP_CACHES: &str = "/proc/sys/vm/drop_caches";
const IDLE_WINDOW: Duration = Duration::from_secs(10);
/// Time for the start's burst of work to end before idling is measured: the web process renders and
/// compiles for several seconds after the first screen (longer under Xvfb's software GL).
const SETTLE: Duration = Duration::from_secs(20);

struct Options {
    rows: u64,
    rounds: usize,
    app: PathBuf,
    tributary: PathBuf,
    /// Build the big ledger here and keep it (to look at the app on it afterwards).
    keep: Option<PathBuf>,
    /// Drop the page cache before every start.
    cold_cache: bool,
}

fn parse_args() -> Result<Options> {
    let tributary = tributary_beside_bench()?;
    let mut options = Options {
        rows: 1_000_000,
        rounds: 5,
        app: tributary.with_file_name("tributary-app"),
        tributary,
        keep: None,
        cold_cache: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => options.rows = value()?.parse().context("--rows")?,
            "--rounds" => options.rounds = value()?.parse().context("--rounds")?,
            "--app" => options.app = PathBuf::from(value()?),
            "--tributary" => options.tributary = PathBuf::from(value()?),
            "--keep" => options.keep = Some(PathBuf::from(value()?)),
            "--cold-cache" => {
                // Before minutes of setup, not after: dropping the cache needs root.
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(DROP_CACHES)
                    .with_context(|| format!("--cold-cache writes {DROP_CACHES}, which needs root"))?;
                options.cold_cache = true;
            }
            other => bail!(
                "unknown argument {other} (use --rows N, --rounds N, --app PATH, --tributary PATH, --keep DIR, --cold-cache)"
            ),
        }
    }
    Ok(options)
}

/// A running app whose stderr lines arrive on a channel.
struct App {
    child: Child,
    lines: Receiver<String>,
    started: Instant,
}

impl App {
    fn start(app: &Path, data: &Path, home: &Path) -> Result<App> {
        let started = Instant::now();
        let mut child = Command::new(app)
            .env("TRIBUTARY_DATA_DIR", data)
            .env("HOME", home)
            .env("NO_AT_BRIDGE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {}", app.display()))?;
        let stderr = child.stderr.take().context("the app's stderr")?;
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(App {
            child,
            lines,
            started,
        })
    }

    /// Waits for the window's first screen; returns the time since the process was spawned and the
    /// screen's name.
    fn first_screen(&self) -> Result<(Duration, String)> {
        let deadline = Duration::from_secs(60);
        loop {
            let left = deadline
                .checked_sub(self.started.elapsed())
                .unwrap_or_default();
            let line = self
                .lines
                .recv_timeout(left)
                .context("the app showed no screen within a minute")?;
            if let Some(at) = line.find(SHOWN) {
                let screen = line[at + SHOWN.len()..].trim().to_string();
                return Ok((self.started.elapsed(), screen));
            }
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Memory and CPU of the app's process tree over an idle stretch.
struct Idle {
    processes: String,
    pss_kib: u64,
    cpu_percent: f64,
}

fn idle(pid: u32) -> Result<Idle> {
    let pids = tree(pid);
    let before = cpu_ticks(&pids);
    std::thread::sleep(IDLE_WINDOW);
    let pids = tree(pid);
    let spent = cpu_ticks(&pids).saturating_sub(before);
    Ok(Idle {
        processes: names(&pids),
        pss_kib: pss_kib(&pids)?,
        cpu_percent: spent as f64 / ticks_per_second() as f64 / IDLE_WINDOW.as_secs_f64() * 100.0,
    })
}

/// The command names of a process tree, for the table.
fn names(pids: &[u32]) -> String {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).ok())
        .map(|name| name.trim().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Closes the window as a person would, with Ctrl+W. The app hands the tray to the tray process and
/// exits; returns the tray process's id once the app and its WebKit processes are gone.
fn close_window(app: &mut App, data: &Path) -> Result<u32> {
    let found = Command::new("xdotool")
        .args(["search", "--sync", "--name", "^Tributary$"])
        .output()
        .context("xdotool (apt-get install xdotool)")?;
    let window = String::from_utf8_lossy(&found.stdout)
        .lines()
        .next()
        .context("no Tributary window found")?
        .to_string();
    let keyed = Command::new("xdotool")
        .args(["windowfocus", "--sync", &window, "key", "ctrl+w"])
        .status()?;
    ensure!(keyed.success(), "xdotool could not press Ctrl+W");
    let since = Instant::now();
    let in_time = || since.elapsed() < Duration::from_secs(20);
    while app.child.try_wait()?.is_none() {
        ensure!(in_time(), "the app did not hand over to the tray process");
        std::thread::sleep(Duration::from_millis(100));
    }
    loop {
        let pid = std::fs::read_to_string(data.join("tray.pid"))
            .ok()
            .and_then(|text| text.trim().parse::<u32>().ok());
        if let Some(pid) = pid.filter(|pid| names(&[*pid]) == "tributary-tray") {
            return Ok(pid);
        }
        ensure!(in_time(), "no tray process took over");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Writes the dirty pages out and empties the page cache, as after a reboot.
fn drop_page_cache() -> Result<()> {
    // SAFETY: sync(2) has no preconditions.
    unsafe { libc::sync() };
    std::fs::write("/proc/sys/vm/drop_caches", "3").context(
        "--cold-cache empties the page cache through /proc/sys/vm/drop_caches, which needs root",
    )
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() -> Result<()> {
    let options = parse_args()?;
    ensure!(options.rounds > 0, "--rounds must be at least 1");
    ensure!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run inside xvfb-run -a dbus-run-session -- …"
    );
    let work = tempfile::tempdir()?;
    let (empty, full, home) = (
        work.path().join("empty"),
        options
            .keep
            .clone()
            .unwrap_or_else(|| work.path().join("full")),
        work.path().join("home"),
    );
    for dir in [&empty, &home] {
        std::fs::create_dir_all(dir)?;
    }

    // Four years of events ending today, so that "This month" (the window's first view) has data.
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let csv = work.path().join("ledger.csv");
    let fixture = Fixture {
        shape: Shape::Shop,
        rows: options.rows,
        seed: 7,
        repeat_every: 0,
        first_id: 1,
    };
    let expected = fixture.write_from(
        std::io::BufWriter::new(std::fs::File::create(&csv)?),
        now - SPAN_SECONDS,
    )?;
    let mut import = Command::new(&options.tributary);
    import.arg("--data-dir").arg(&full).arg("import").arg(&csv);
    let imported = measure(import, None)?;
    println!(
        "ledger: {} events imported in {:.1} s",
        expected.unique_events,
        imported.wall.as_secs_f64()
    );

    let (mut empty_starts, mut full_starts) = (Vec::new(), Vec::new());
    for round in 1..=options.rounds {
        for (data, starts, want) in [
            (&empty, &mut empty_starts, "empty"),
            (&full, &mut full_starts, "dashboard"),
        ] {
            if options.cold_cache {
                drop_page_cache()?;
            }
            let app = App::start(&options.app, data, &home)?;
            let (elapsed, screen) = app.first_screen()?;
            ensure!(
                screen.starts_with(want),
                "expected the {want} screen, the window showed '{screen}'"
            );
            println!("round {round}: {screen:<28} {:>7.0} ms", ms(elapsed));
            starts.push(elapsed);
        }
    }

    let mut app = App::start(&options.app, &full, &home)?;
    app.first_screen()?;
    std::thread::sleep(SETTLE);
    let open = idle(app.pid())?;
    let tray_pid = close_window(&mut app, &full)?;
    std::thread::sleep(SETTLE);
    let tray = idle(tray_pid)?;
    drop(app);
    // SAFETY: kill(2) of the tray process this benchmark caused to start.
    unsafe {
        libc::kill(tray_pid as i32, libc::SIGTERM);
    }
    let tray_size = std::fs::metadata(options.app.with_file_name("tributary-tray"))?.len();

    let (empty_start, full_start) = (median(empty_starts), median(full_starts));
    let size = std::fs::metadata(&options.app)?.len();
    println!();
    println!("| measure | value | target |");
    println!("|---|---|---|");
    let cache = match options.cold_cache {
        true => ", page cache dropped",
        false => "",
    };
    println!(
        "| cold start to the dashboard showing data, {} events (median of {}{cache}) | {:.0} ms | < 1,000 ms |",
        expected.unique_events,
        options.rounds,
        ms(full_start)
    );
    println!(
        "| cold start to the first-run screen, empty ledger (peer, median{cache}) | {:.0} ms | |",
        ms(empty_start)
    );
    println!(
        "| start with 1M events vs empty | {:.2}× | |",
        full_start.as_secs_f64() / empty_start.as_secs_f64()
    );
    println!(
        "| idle, window open: PSS of {} | {:.1} MB, CPU {:.2}% | |",
        open.processes,
        mb(open.pss_kib),
        open.cpu_percent
    );
    println!(
        "| idle in the tray after closing the window: PSS of {} | {:.1} MB, CPU {:.2}% | < 60 MB, ~0% |",
        tray.processes,
        mb(tray.pss_kib),
        tray.cpu_percent
    );
    println!(
        "| tray vs window open (PSS) | {:.2}× | |",
        tray.pss_kib as f64 / open.pss_kib as f64
    );
    println!(
        "| app binary ({}) | {:.1} MB | |",
        options.app.display(),
        size as f64 / 1e6
    );
    println!("| tray binary | {:.1} MB | |", tray_size as f64 / 1e6);
    Ok(())
}
