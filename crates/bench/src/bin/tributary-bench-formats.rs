//! `tributary-bench-formats`: how fast the platform formats import, each against the ledger CSV measured
//! in the same run (the peer): a Stripe payments export and a KDP Dashboard workbook of the same number
//! of rows as a ledger CSV, and how much memory a 1 GB Stripe export takes to import (streaming: it must
//! stay flat, whatever the file's size). Figures go to docs/benchmarks.md.

use anyhow::{bail, ensure, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use tributary_bench::{
    measure, ms, tributary_beside_bench, write_kdp_dashboard, write_stripe_csv, Fixture, Run, Shape,
};

struct Options {
    rows: u64,
    kdp_rows: u64,
    big_mb: u64,
    tributary: PathBuf,
    work_dir: Option<PathBuf>,
}

fn parse_args() -> Result<Options> {
    let mut options = Options {
        rows: 1_000_000,
        kdp_rows: 100_000,
        big_mb: 1_000,
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
            "--tributary" => options.tributary = PathBuf::from(value()?),
            "--work-dir" => options.work_dir = Some(PathBuf::from(value()?)),
            other => bail!(
                "unknown argument {other} (use --rows N, --kdp-rows N, --big-mb N, --tributary PATH, --work-dir DIR)"
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
    Ok(())
}
