//! Running the real `tributary` binary against throwaway data folders.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tributary_bench::{Expected, Fixture};

pub fn tributary(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tributary"));
    // Days in UTC whatever this machine's zone; the tests of zones set their own.
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("TRIBUTARY_DATA_DIR")
        .env("TZ", "UTC");
    cmd
}

pub fn run(data_dir: &Path, args: &[&str]) -> Output {
    tributary(data_dir)
        .args(args)
        .output()
        .expect("the tributary binary runs")
}

/// Runs a command that must succeed and returns its stdout.
pub fn ok(data_dir: &Path, args: &[&str]) -> String {
    let out = run(data_dir, args);
    assert!(
        out.status.success(),
        "tributary {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Runs `command` with `stdin` written to its standard input (closed at once when `None`), capturing
/// its output: a token on stdin, as `connect --token-stdin` reads it.
pub fn with_input(command: &mut Command, stdin: Option<&str>) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tributary binary runs");
    let mut input = child.stdin.take().expect("its stdin");
    if let Some(text) = stdin {
        input
            .write_all(text.as_bytes())
            .expect("its stdin takes the text");
    }
    drop(input);
    child.wait_with_output().expect("it finishes")
}

/// The JSON a run that must have succeeded printed.
pub fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

pub fn json(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(data_dir, args)).expect("--json prints JSON")
}

pub fn fixture(dir: &Path, name: &str, fixture: Fixture) -> (PathBuf, Expected) {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).unwrap();
    let expected = fixture.write(std::io::BufWriter::new(file)).unwrap();
    (path, expected)
}

pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Midnight UTC on that day: the stand-ins' generated data spans.
pub fn midnight(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .expect("a real day")
        .and_utc()
}

/// `tributary` pointed at a Lemon Squeezy stand-in: the data folder, the file secret store in a
/// configuration folder beside it, days in UTC.
pub fn tributary_on_lemonsqueezy(
    data: &Path,
    s: &tributary_standins::LemonSqueezyStandIn,
) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tributary"));
    command
        .env("TRIBUTARY_DATA_DIR", data)
        .env("TRIBUTARY_LEMONSQUEEZY_BASE_URL", s.base_url())
        .env("TRIBUTARY_SECRET_STORE", "file")
        .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
        .env("TZ", "UTC");
    command
}

/// A Lemon Squeezy stand-in with `orders` orders of 2025 (generated from `seed`), and a data folder
/// (inside the returned temporary folder) connected to it with the stand-in's key.
pub fn connected_lemonsqueezy(
    orders: usize,
    seed: u64,
) -> (
    tributary_standins::LemonSqueezyStandIn,
    tempfile::TempDir,
    PathBuf,
) {
    use tributary_standins::lemonsqueezy::{generate_orders, DEFAULT_KEY};
    let (from, to) = (midnight(2025, 1, 1), midnight(2025, 12, 31));
    let s =
        tributary_standins::LemonSqueezyStandIn::spawn(tributary_standins::LemonSqueezyConfig {
            orders: generate_orders(orders, seed, from, to),
            ..tributary_standins::LemonSqueezyConfig::default()
        })
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    json_of(&with_input(
        tributary_on_lemonsqueezy(&data, &s).args([
            "connect",
            "lemonsqueezy",
            "--token-stdin",
            "--json",
        ]),
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    (s, tmp, data)
}
