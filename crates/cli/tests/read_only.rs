//! A data folder that cannot be written can still be read: `status`, `report`, `batches` and `export`
//! work, and a write says the folder is read-only, naming it. As root (CI), the commands run as `nobody`,
//! for whom the permission bits hold.

mod common;

use common::{ok, s};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;

/// The uid the commands run as: `nobody` when the test runs as root, which permissions do not stop.
fn reader_uid() -> Option<u32> {
    // SAFETY: geteuid has no preconditions.
    (unsafe { libc::geteuid() } == 0).then_some(65_534)
}

/// Runs a copy of the binary beside the data folder (`nobody` may not reach the build's folder).
fn run_as_reader(data: &Path, args: &[&str]) -> Output {
    let binary = data.with_file_name("tributary");
    if !binary.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_tributary"), &binary).unwrap();
        chmod(&binary, 0o755);
    }
    let mut cmd = std::process::Command::new(&binary);
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("TRIBUTARY_DATA_DIR")
        .args(args)
        .current_dir("/");
    if let Some(uid) = reader_uid() {
        cmd.uid(uid).gid(uid);
    }
    cmd.output().unwrap()
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_data_folder_is_read_and_writes_say_why_they_cannot() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("sales.csv");
    std::fs::write(
        &file,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n\
         gumroad,main,g1,sale,2026-03-01T10:00:00Z,1,USD,5.00\n\
         gumroad,main,g2,sale,2026-03-02T10:00:00Z,2,USD,7.50\n",
    )
    .unwrap();
    ok(&data, &["import", s(&file)]);
    let report = ok(&data, &["report", "--by", "day", "--json"]);
    let export = ok(&data, &["export", "--format", "csv"]);
    let ledger = data.join("ledger.sqlite3");
    let bytes = std::fs::read(&ledger).unwrap();

    chmod(tmp.path(), 0o755);
    chmod(&file, 0o644);
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        chmod(&path, if path.is_dir() { 0o555 } else { 0o444 });
    }
    chmod(&data, 0o555);

    let read = |args: &[&str]| {
        let out = run_as_reader(&data, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(read(&["status"]).contains("events          2"));
    assert_eq!(read(&["report", "--by", "day", "--json"]), report);
    assert!(read(&["batches"]).contains("sales.csv"));
    assert_eq!(read(&["export", "--format", "csv"]), export);

    let refused = |args: &[&str], says: &str| {
        let out = run_as_reader(&data, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    };
    let read_only = format!("the data folder {} is read-only", data.display());
    refused(&["import", s(&file)], &read_only);
    refused(&["batches", "undo", "1"], &read_only);
    let target = data.join("out.csv");
    refused(
        &["export", "--format", "csv", "--out", s(&target)],
        &format!("could not write {}: permission denied", target.display()),
    );
    assert_eq!(std::fs::read(&ledger).unwrap(), bytes);
    let names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");

    chmod(&data, 0o755);
}
