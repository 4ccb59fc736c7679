//! Days are the creator's: counted in the system's time zone (`TZ`), or in `--tz`'s, and counted again
//! when the zone changes.

mod common;

use common::tributary;
use serde_json::Value;
use std::path::Path;

/// `tributary ARGS` with the system's zone `tz`; stdout and stderr.
fn in_zone(data: &Path, tz: &str, args: &[&str]) -> (String, String) {
    let out = tributary(data).env("TZ", tz).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "tributary {args:?}: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn months(data: &Path, tz: &str, extra: &[&str]) -> (Vec<(String, i64)>, String) {
    let mut args = extra.to_vec();
    args.extend(["report", "--by", "month", "--json"]);
    let (out, err) = in_zone(data, tz, &args);
    let v: Value = serde_json::from_str(&out).unwrap();
    let groups = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap().to_string(),
                g["net_minor"].as_i64().unwrap(),
            )
        })
        .collect();
    (groups, err)
}

#[test]
fn a_sale_at_half_past_eleven_on_the_last_evening_of_november_is_novembers() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("sales.csv");
    std::fs::write(
        &file,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross,net\n\
         stripe,main,ch_1,sale,2026-11-30T23:30:00-08:00,1,USD,50.00,48.25\n\
         stripe,main,ch_2,sale,2026-12-01T09:00:00-08:00,1,USD,20.00,19.12\n",
    )
    .unwrap();
    let la = "America/Los_Angeles";
    let (_, said) = in_zone(&data, la, &["import", file.to_str().unwrap()]);
    assert!(
        !said.contains("counting days"),
        "a new ledger says nothing: {said}"
    );
    let november = vec![("2026-11".to_string(), 4825), ("2026-12".to_string(), 1912)];
    assert_eq!(months(&data, la, &[]).0, november);
    let (status, _) = in_zone(&data, la, &["status", "--json"]);
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["time_zone"], la);

    // In UTC the evening sale is 07:30 on 1 December: counted again, and said.
    let (utc, said) = months(&data, la, &["--tz", "UTC"]);
    assert_eq!(utc, vec![("2026-12".to_string(), 4825 + 1912)]);
    assert!(
        said.contains(
            "counting days in UTC from now on (they were counted in America/Los_Angeles)"
        ),
        "{said}"
    );
    // Back in the system's zone without --tz.
    assert_eq!(months(&data, la, &[]).0, november);
}

#[test]
fn an_unknown_zone_is_refused_by_name_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = tributary(&data)
        .args(["--tz", "Mars/Olympus_Mons", "status"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'Mars/Olympus_Mons' is not a time zone Tributary knows"),
        "{stderr}"
    );
    assert!(!data.join("ledger.sqlite3").exists(), "nothing was opened");
}

#[test]
fn a_zone_chosen_for_the_ledger_outlasts_the_systems_until_it_is_given_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let la = "America/Los_Angeles";
    let zone = |args: &[&str]| -> Value {
        let mut all = vec!["zone"];
        all.extend(args);
        all.push("--json");
        serde_json::from_str(&in_zone(&data, la, &all).0).unwrap()
    };
    assert_eq!(
        zone(&[]),
        serde_json::json!({"time_zone": la, "chosen": false})
    );
    assert_eq!(
        zone(&["Asia/Tokyo"]),
        serde_json::json!({"time_zone": "Asia/Tokyo", "chosen": true})
    );
    // Other commands count in the chosen zone, not the system's.
    let (status, _) = in_zone(&data, la, &["status", "--json"]);
    assert_eq!(
        serde_json::from_str::<Value>(&status).unwrap()["time_zone"],
        "Asia/Tokyo"
    );
    assert_eq!(
        zone(&["--system"]),
        serde_json::json!({"time_zone": la, "chosen": false})
    );
}
