//! Writes that the disk refuses say which file could not be written and leave nothing behind. The disk
//! is "full" through a file size limit (RLIMIT_FSIZE) on the process: its writes past the limit fail as
//! a full disk's do, without needing root to mount a small disk.

mod common;

use common::{fixture, ok, s, tributary};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;
use tributary_bench::{Fixture, Shape};

/// Runs `tributary ARGS` unable to make any file larger than `bytes`.
fn with_file_size_limit(data: &Path, bytes: u64, args: &[&str]) -> Output {
    let mut cmd = tributary(data);
    cmd.args(args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // Ignored, a write past the limit fails with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}

fn small_ledger(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("data");
    let (file, _) = fixture(
        dir,
        "sales.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 5_000,
            seed: 1,
            repeat_every: 0,
            first_id: 0,
        },
    );
    ok(&data, &["import", s(&file)]);
    data
}

#[test]
fn an_export_that_cannot_be_written_names_the_file_and_leaves_no_partial_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_ledger(tmp.path());
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("ledger.csv");
    std::fs::write(&target, "an earlier export\n").unwrap();
    for _ in 0..3 {
        let out = with_file_size_limit(
            &data,
            64 << 10,
            &["export", "--format", "csv", "--out", s(&target)],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("could not write {}: ", target.display())),
            "{stderr}"
        );
        assert!(!stderr.contains(".partial"), "{stderr}");
    }
    let left: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["ledger.csv"]);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "an earlier export\n"
    );
}

#[test]
fn an_import_the_disk_cannot_take_names_the_ledger_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_ledger(tmp.path());
    let before = ok(&data, &["report", "--by", "day", "--json"]);
    let (big, _) = fixture(
        tmp.path(),
        "big.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 50_000,
            seed: 2,
            repeat_every: 0,
            first_id: 1_000_000,
        },
    );
    let ledger_size = std::fs::metadata(data.join("ledger.sqlite3"))
        .unwrap()
        .len();
    let out = with_file_size_limit(&data, ledger_size + (1 << 20), &["import", s(&big)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: could not write the ledger at {}: ",
            big.display(),
            data.join("ledger.sqlite3").display()
        )),
        "{stderr}"
    );
    assert_eq!(ok(&data, &["report", "--by", "day", "--json"]), before);
}
