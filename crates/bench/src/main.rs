//! `tributary-bench`: imports a generated ledger CSV (1,000,000 rows by default, about 1% repeated)
//! with `tributary import` and, as the peer, with the `sqlite3` shell doing the same job (`.import` into
//! a staging table, then one `INSERT OR IGNORE … SELECT` converting amounts to minor units and times to
//! epoch milliseconds into a table with the same unique key). Prints wall times, peak memory, the
//! re-import and `report --by month` figures, with ratios and the targets from docs/benchmarks.md.

use anyhow::{bail, ensure, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tributary_bench::{measure, ms, tributary_beside_bench, Fixture, Run, Shape};
use tributary_engine::{GroupBy, ReportQuery, Workspace};

struct Options {
    rows: u64,
    tributary: PathBuf,
    sqlite3: PathBuf,
    report_runs: usize,
    /// Rounds of (peer, first import, second import), each from scratch: the ratios are reported as the
    /// median round, since on a shared VM one round's ratio moves by ±0.05.
    rounds: usize,
    /// Where the files go; a temporary folder (removed afterwards) unless given.
    work_dir: Option<PathBuf>,
    /// The shapes of data to run, in order.
    shapes: Vec<Shape>,
}

fn parse_args() -> Result<Options> {
    let mut options = Options {
        rows: 1_000_000,
        tributary: tributary_beside_bench()?,
        sqlite3: PathBuf::from("sqlite3"),
        report_runs: 50,
        rounds: 3,
        work_dir: None,
        shapes: vec![Shape::Shop, Shape::Catalogue],
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => options.rows = value()?.parse().context("--rows")?,
            "--tributary" => options.tributary = PathBuf::from(value()?),
            "--sqlite3" => options.sqlite3 = PathBuf::from(value()?),
            "--report-runs" => options.report_runs = value()?.parse().context("--report-runs")?,
            "--rounds" => options.rounds = value()?.parse().context("--rounds")?,
            "--work-dir" => options.work_dir = Some(PathBuf::from(value()?)),
            "--shape" => {
                options.shapes = match value()?.as_str() {
                    "shop" => vec![Shape::Shop],
                    "catalogue" => vec![Shape::Catalogue],
                    "both" => vec![Shape::Shop, Shape::Catalogue],
                    other => bail!("--shape {other}: use shop, catalogue or both"),
                }
            }
            other => bail!("unknown argument {other} (use --rows N, --rounds N, --shape shop|catalogue|both, --tributary PATH, --sqlite3 PATH, --report-runs N, --work-dir DIR)"),
        }
    }
    Ok(options)
}

fn peer_script(csv: &Path) -> String {
    format!(
        "PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE events (
  platform TEXT NOT NULL, account TEXT NOT NULL, external_id TEXT NOT NULL, kind TEXT NOT NULL,
  occurred_at INTEGER NOT NULL, product_id TEXT, product_name TEXT, quantity INTEGER NOT NULL,
  currency TEXT NOT NULL, gross_minor INTEGER NOT NULL, fees_minor INTEGER NOT NULL,
  net_minor INTEGER NOT NULL, buyer_email TEXT, country TEXT,
  UNIQUE (platform, account, external_id));
.mode csv
.import '{}' staging
INSERT OR IGNORE INTO events
SELECT platform, account, external_id, kind, unixepoch(occurred_at) * 1000, NULLIF(product_id, ''),
       NULLIF(product_name, ''), CAST(quantity AS INTEGER), upper(currency),
       CAST(round(CAST(gross AS REAL) * scale) AS INTEGER), CAST(round(CAST(fees AS REAL) * scale) AS INTEGER),
       CAST(round(CAST(net AS REAL) * scale) AS INTEGER), NULLIF(buyer_email, ''), NULLIF(country, '')
FROM (SELECT *, CASE upper(currency) WHEN 'JPY' THEN 1 WHEN 'KWD' THEN 1000 ELSE 100 END AS scale FROM staging);
DROP TABLE staging;
.mode list
SELECT COUNT(*) FROM events;
",
        csv.display()
    )
}

fn import_json(run: &Run) -> Result<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&run.stdout).context("tributary import --json")?;
    Ok(v["files"][0].clone())
}

/// One round: the peer, then Tributary's first and second import, each into an empty store.
struct Round {
    peer: Run,
    first: Run,
    second: Run,
    second_json: serde_json::Value,
}

impl Round {
    fn ratio(&self) -> f64 {
        self.first.wall.as_secs_f64() / self.peer.wall.as_secs_f64()
    }
}

fn round(options: &Options, work: &Path, csv: &Path, data: &Path, unique: u64) -> Result<Round> {
    let peer_db = work.join("peer.sqlite3");
    for stale in ["peer.sqlite3", "peer.sqlite3-wal", "peer.sqlite3-shm"] {
        let path = work.join(stale);
        if path.exists() {
            std::fs::remove_file(&path)?;
        }
    }
    if data.exists() {
        std::fs::remove_dir_all(data)?;
    }
    let mut peer_cmd = Command::new(&options.sqlite3);
    peer_cmd.arg(&peer_db);
    let peer = measure(peer_cmd, Some(&peer_script(csv)))?;
    let peer_rows: u64 = peer
        .stdout
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .parse()
        .context("sqlite3 row count")?;
    let import = |label: &str| -> Result<(Run, serde_json::Value)> {
        let mut cmd = Command::new(&options.tributary);
        cmd.arg("--data-dir")
            .arg(data)
            .arg("import")
            .arg(csv)
            .arg("--json");
        let run = measure(cmd, None).with_context(|| label.to_string())?;
        let v = import_json(&run)?;
        Ok((run, v))
    };
    let (first, first_json) = import("first import")?;
    let (second, second_json) = import("second import")?;
    ensure!(
        first_json["inserted"].as_u64() == Some(unique) && peer_rows == unique,
        "row counts disagree: tributary {}, sqlite3 {peer_rows}, expected {unique}",
        first_json["inserted"],
    );
    Ok(Round {
        peer,
        first,
        second,
        second_json,
    })
}

fn main() -> Result<()> {
    let options = parse_args()?;
    ensure!(
        options.tributary.exists(),
        "{} does not exist: build it first (cargo build --release -p tributary-cli)",
        options.tributary.display()
    );
    let tmp = tempfile::tempdir()?;
    let work = match &options.work_dir {
        Some(dir) => {
            // Kept for profiling runs by hand; earlier results there would skew this one.
            for stale in [
                "peer.sqlite3",
                "peer.sqlite3-wal",
                "peer.sqlite3-shm",
                "data",
            ] {
                let path = dir.join(stale);
                if path.is_dir() {
                    std::fs::remove_dir_all(&path)?;
                } else if path.exists() {
                    std::fs::remove_file(&path)?;
                }
            }
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => tmp.path().to_path_buf(),
    };
    for &shape in &options.shapes {
        bench_shape(&options, &work, shape)?;
    }
    Ok(())
}

/// The rounds, the report timings and the table for one shape of data.
fn bench_shape(options: &Options, work: &Path, shape: Shape) -> Result<()> {
    let csv = work.join("ledger.csv");
    let generated = Instant::now();
    let expected = Fixture {
        shape,
        rows: options.rows,
        seed: 2026,
        repeat_every: 100,
        first_id: 0,
    }
    .write(std::io::BufWriter::new(std::fs::File::create(&csv)?))?;
    let bytes = std::fs::metadata(&csv)?.len();
    println!(
        "generated {} rows ({} repeated, {:.1} MB) in {:.1} s",
        expected.rows_written,
        expected.repeated_rows,
        bytes as f64 / 1e6,
        generated.elapsed().as_secs_f64()
    );

    let data = work.join("data");
    let mut rounds = Vec::with_capacity(options.rounds.max(1));
    for _ in 0..options.rounds.max(1) {
        rounds.push(round(options, work, &csv, &data, expected.unique_events)?);
    }
    // The round with the median import ratio gives the table's absolute figures.
    rounds.sort_by(|a, b| a.ratio().total_cmp(&b.ratio()));
    let ratios: Vec<String> = rounds
        .iter()
        .map(|r| format!("{:.2}×", r.ratio()))
        .collect();
    let Round {
        peer,
        first,
        second,
        second_json,
    } = rounds.swap_remove(rounds.len() / 2);

    // The whole CLI process first: opening the ledger here upgrades it to this build's schema, which the
    // binary measured (another build, with --tributary) may not know.
    let mut cli_cmd = Command::new(&options.tributary);
    cli_cmd
        .arg("--data-dir")
        .arg(&data)
        .args(["report", "--by", "month", "--json"]);
    let cli_report = measure(cli_cmd, None)?;
    let workspace = Workspace::open(&data)?;
    let query = ReportQuery {
        by: Some(GroupBy::Month),
        ..ReportQuery::default()
    };
    let mut times: Vec<Duration> = (0..options.report_runs.max(1))
        .map(|_| {
            let t = Instant::now();
            let report = workspace.report(&query);
            (t.elapsed(), report.is_ok())
        })
        .map(|(t, ok)| {
            if ok {
                Ok(t)
            } else {
                Err(anyhow::anyhow!("report failed"))
            }
        })
        .collect::<Result<_>>()?;
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    let report_groups = workspace.report(&query)?.groups.len();
    drop(workspace);
    // Counting the days again in another zone: every rollup rebuilt from the events. A build from
    // before zones refuses --tz; it is then not measured.
    let mut recount = Command::new(&options.tributary);
    recount
        .arg("--data-dir")
        .arg(&data)
        .args(["--tz", "Pacific/Auckland", "status", "--json"]);
    let recounted = measure(recount, None).ok();

    let ratio = first.wall.as_secs_f64() / peer.wall.as_secs_f64();
    let again = second.wall.as_secs_f64() / first.wall.as_secs_f64();
    let rss_mb = first.max_rss_kib as f64 / 1024.0;
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!();
    println!("{shape:?} shape:");
    println!("| measure | value | target | |");
    println!("|---|---|---|---|");
    println!(
        "| sqlite3 shell import (peer) | {:.0} ms, {:.1} MB peak RSS | | |",
        ms(peer.wall),
        peer.max_rss_kib as f64 / 1024.0
    );
    println!(
        "| tributary import | {:.0} ms, {:.1} MB peak RSS ({:.0} rows/s) | | |",
        ms(first.wall),
        rss_mb,
        expected.rows_written as f64 / first.wall.as_secs_f64()
    );
    println!(
        "| import time vs sqlite3 shell | median {ratio:.2}× of {} rounds ({}) | ≤ 0.60× | {} |",
        ratios.len(),
        ratios.join(", "),
        verdict(ratio <= 0.6)
    );
    println!(
        "| import peak RSS | {rss_mb:.1} MB | < 64 MB | {} |",
        verdict(rss_mb < 64.0)
    );
    println!(
        "| second import of the same file | {:.0} ms = {again:.2}× the first, {} inserted, {} duplicates | ≤ 0.30×, 0 inserted | {} |",
        ms(second.wall),
        second_json["inserted"],
        second_json["duplicates"],
        verdict(again <= 0.3 && second_json["inserted"].as_u64() == Some(0))
    );
    println!(
        "| report --by month, in process ({report_groups} groups) | median {:.2} ms, worst {:.2} ms of {} | < 20 ms | {} |",
        ms(median),
        ms(worst),
        times.len(),
        verdict(ms(median) < 20.0)
    );
    println!(
        "| report --by month, whole CLI process | {:.1} ms | | |",
        ms(cli_report.wall)
    );
    match recounted {
        Some(run) => println!(
            "| days counted again in another zone (`--tz`: every rollup rebuilt from {} events) | {:.0} ms = {:.2}× the first import, {:.1} MB peak RSS | | |",
            expected.unique_events,
            ms(run.wall),
            run.wall.as_secs_f64() / first.wall.as_secs_f64(),
            run.max_rss_kib as f64 / 1024.0
        ),
        None => println!("| days counted again in another zone | not measured: this build has no --tz | | |"),
    }
    Ok(())
}
