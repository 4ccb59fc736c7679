//! `tributary-bench-formats`: how fast the platform formats import, each against the ledger CSV measured
//! in the same run (the peer): a Stripe payments export and a KDP Dashboard workbook of the same number
//! of rows as a ledger CSV, and how much memory a 1 GB Stripe export takes to import (streaming: it must
//! stay flat, whatever the file's size). Figures go to docs/benchmarks.md.

use anyhow::{bail, ensure, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use tributary_bench::{
    measure, measure_failure, ms, tributary_beside_bench, write_kdp_dashboard, write_rows_bomb,
    write_string_bomb, write_stripe_csv, Fixture, Run, Shape,
};

struct Options {
    rows: u64,
    kdp_rows: u64,
    big_mb: u64,
    /// The shared string of the string bomb, in MB (its file is about a thousandth of it).
    bomb_mb: u64,
    /// The identical rows of the rows bomb.
    bomb_rows: u64,
    tributary: PathBuf,
    work_dir: Option<PathBuf>,
}

fn parse_args() -> Result<Options> {
    let mut options = Options {
        rows: 1_000_000,
        kdp_rows: 100_000,
        big_mb: 1_000,
        bomb_mb: 480,
        bomb_rows: 10_260_000,
        tributary: tributary_beside_bench()?,
        work_dir: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => options.rows = value()?.parse().context("--rows")?,
            "--kdp-rows" => options.kdp_rows = value()?.parse().context("--kdp-rows")?,
            "--big-mb" => options.big_mb = value()?.parse().context("--big-mb")?,
            "--bomb-mb" => options.bomb_mb = value()?.parse().context("--bomb-mb")?,
            "--bomb-rows" => options.bomb_rows = value()?.parse().context("--bomb-rows")?,
            "--tributary" => options.tributary = PathBuf::from(value()?),
            "--work-dir" => options.work_dir = Some(PathBuf::from(value()?)),
            other => bail!(
                "unknown argument {other} (use --rows N, --kdp-rows N, --big-mb N, --bomb-mb N, --bomb-rows N, --tributary PATH, --work-dir DIR)"
            ),
        }
    }
    Ok(options)
}

/// Imports `file` into the empty data folder `data`, checking what it inserted.
fn import(options: &Options, data: &Path, file: &Path, inserted: u64) -> Result<Run> {
    if data.exists() {
        std::fs::remove_dir_all(data)?;
    }
    let mut cmd = Command::new(&options.tributary);
    cmd.arg("--data-dir")
        .arg(data)
        .arg("import")
        .arg(file)
        .arg("--json");
    let run = measure(cmd, None).with_context(|| format!("importing {}", file.display()))?;
    let v: serde_json::Value = serde_json::from_str(&run.stdout)?;
    let got = v["files"][0]["inserted"].as_u64();
    ensure!(
        got == Some(inserted),
        "{}: inserted {got:?}, expected {inserted}",
        file.display()
    );
    Ok(run)
}

/// Imports `file`, which must be refused as a zip bomb, and measures the refusal.
fn refusal(options: &Options, data: &Path, file: &Path) -> Result<Run> {
    let mut cmd = Command::new(&options.tributary);
    cmd.arg("--data-dir").arg(data).arg("import").arg(file);
    let run = measure_failure(cmd)?;
    ensure!(
        run.stderr.contains("zip bomb"),
        "{}: {}",
        file.display(),
        run.stderr
    );
    Ok(run)
}

fn rate(rows: u64, run: &Run) -> f64 {
    rows as f64 / run.wall.as_secs_f64()
}

fn main() -> Result<()> {
    let options = parse_args()?;
    ensure!(
        options.tributary.exists(),
        "{} does not exist: build it first (cargo build --release -p tributary-cli)",
        options.tributary.display()
    );
    let tmp = tempfile::tempdir()?;
    let work = options
        .work_dir
        .clone()
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&work)?;
    let data = work.join("data");
    let create = |name: &str| -> Result<std::io::BufWriter<std::fs::File>> {
        Ok(std::io::BufWriter::new(std::fs::File::create(
            work.join(name),
        )?))
    };

    let ledger = work.join("ledger.csv");
    let expected = Fixture {
        shape: Shape::Shop,
        rows: options.rows,
        seed: 7,
        repeat_every: 0,
        first_id: 0,
    }
    .write(create("ledger.csv")?)?;
    let peer = import(&options, &data, &ledger, expected.unique_events)?;

    let stripe = work.join("unified_payments.csv");
    let stripe_rows = write_stripe_csv(create("unified_payments.csv")?, options.rows, u64::MAX)?;
    // Every row is a sale; one in 20 also a refund; one in 50 failed and is skipped.
    let failed = (0..stripe_rows).filter(|n| n % 50 == 13).count() as u64;
    let refunds = (0..stripe_rows)
        .filter(|n| n % 20 == 7 && n % 50 != 13)
        .count() as u64;
    let stripe_run = import(&options, &data, &stripe, stripe_rows - failed + refunds)?;

    let kdp = work.join("KDP_Dashboard-bench.xlsx");
    write_kdp_dashboard(std::fs::File::create(&kdp)?, options.kdp_rows)?;
    let kdp_run = import(&options, &data, &kdp, options.kdp_rows)?;

    let big = work.join("big-payments.csv");
    let big_rows = write_stripe_csv(
        create("big-payments.csv")?,
        u64::MAX,
        options.big_mb * 1_000_000,
    )?;
    let big_bytes = std::fs::metadata(&big)?.len();
    let big_failed = big_rows / 50 + u64::from(big_rows % 50 > 13);
    let big_refunds = (0..big_rows)
        .filter(|n| n % 20 == 7 && n % 50 != 13)
        .count() as u64;
    let big_run = import(&options, &data, &big, big_rows - big_failed + big_refunds)?;

    let string_bomb = work.join("string-bomb.xlsx");
    write_string_bomb(std::fs::File::create(&string_bomb)?, options.bomb_mb)?;
    let string_refused = refusal(&options, &data, &string_bomb)?;
    let rows_bomb = work.join("rows-bomb.xlsx");
    write_rows_bomb(std::fs::File::create(&rows_bomb)?, options.bomb_rows)?;
    let rows_refused = refusal(&options, &data, &rows_bomb)?;
    // The peer: a real Dashboard workbook a hundredth the size of the benchmark's, imported.
    let small_kdp = work.join("KDP_Dashboard-small.xlsx");
    write_kdp_dashboard(std::fs::File::create(&small_kdp)?, 100)?;
    let small_run = import(&options, &data, &small_kdp, 100)?;

    println!("| measure | value | vs ledger CSV (same run) |");
    println!("|---|---|---|");
    println!(
        "| ledger CSV, {} rows (peer) | {:.0} ms, {:.0} rows/s, {:.1} MB peak RSS | 1.00× |",
        options.rows,
        ms(peer.wall),
        rate(options.rows, &peer),
        peer.max_rss_kib as f64 / 1024.0
    );
    println!(
        "| Stripe payments CSV, {stripe_rows} rows | {:.0} ms, {:.0} rows/s, {:.1} MB peak RSS | {:.2}× the time |",
        ms(stripe_run.wall),
        rate(stripe_rows, &stripe_run),
        stripe_run.max_rss_kib as f64 / 1024.0,
        stripe_run.wall.as_secs_f64() / peer.wall.as_secs_f64()
    );
    println!(
        "| KDP Dashboard xlsx, {} rows ({:.1} MB) | {:.0} ms, {:.0} rows/s, {:.1} MB peak RSS | {:.2}× the rows/s |",
        options.kdp_rows,
        std::fs::metadata(&kdp)?.len() as f64 / 1e6,
        ms(kdp_run.wall),
        rate(options.kdp_rows, &kdp_run),
        kdp_run.max_rss_kib as f64 / 1024.0,
        rate(options.kdp_rows, &kdp_run) / rate(options.rows, &peer)
    );
    println!(
        "| Stripe payments CSV, {:.2} GB, {big_rows} rows | {:.0} ms, {:.0} rows/s, **{:.1} MB peak RSS** | {:.2}× the rows/s |",
        big_bytes as f64 / 1e9,
        ms(big_run.wall),
        rate(big_rows, &big_run),
        big_run.max_rss_kib as f64 / 1024.0,
        rate(big_rows, &big_run) / rate(options.rows, &peer)
    );
    println!();
    println!("| workbook refused | file | time, peak RSS | vs importing a 100-row Dashboard ({:.0} ms, {:.1} MB) |", ms(small_run.wall), small_run.max_rss_kib as f64 / 1024.0);
    println!("|---|---|---|---|");
    for (what, file, run) in [
        (
            format!("one shared string of {} MB", options.bomb_mb),
            &string_bomb,
            &string_refused,
        ),
        (
            format!("{} identical rows", options.bomb_rows),
            &rows_bomb,
            &rows_refused,
        ),
    ] {
        println!(
            "| {what} | {:.2} MB | {:.1} ms, {:.1} MB | {:.2}× the time, {:.2}× the memory |",
            std::fs::metadata(file)?.len() as f64 / 1e6,
            ms(run.wall),
            run.max_rss_kib as f64 / 1024.0,
            run.wall.as_secs_f64() / small_run.wall.as_secs_f64(),
            run.max_rss_kib as f64 / small_run.max_rss_kib as f64
        );
    }
    Ok(())
}
