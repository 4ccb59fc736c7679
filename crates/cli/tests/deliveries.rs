//! A sale delivered by two files is one event, and it stays while either file's batch remains: undoing
//! the batch that first wrote it hands it to the other, and undo says how many rows stayed so.

mod common;

use common::{json, ok, s};

#[test]
fn undo_keeps_what_a_later_batch_still_delivers() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let a = tmp.path().join("A.csv");
    std::fs::write(
        &a,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n\
         gumroad,main,g1,sale,2026-03-01T10:00:00Z,1,USD,5.00\n\
         gumroad,main,g2,sale,2026-03-02T10:00:00Z,1,USD,7.00\n",
    )
    .unwrap();
    // B has g2 again, changed (a refund arrived), and a sale of its own.
    let b = tmp.path().join("B.csv");
    std::fs::write(
        &b,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n\
         gumroad,main,g2,sale,2026-03-02T10:00:00Z,1,USD,6.00\n\
         gumroad,main,g3,sale,2026-03-03T10:00:00Z,1,USD,1.00\n",
    )
    .unwrap();
    let net = |data: &std::path::Path| {
        json(data, &["report", "--json"])["totals"][0]["net_minor"].clone()
    };

    ok(&data, &["import", s(&a)]);
    let second = json(&data, &["import", s(&a), "--json"]);
    assert_eq!(second["files"][0]["duplicates"], 2);
    let undo = json(&data, &["batches", "undo", "1", "--json"]);
    assert_eq!(
        (
            undo["removed"].as_u64(),
            undo["restored"].as_u64(),
            undo["kept"].as_u64()
        ),
        (Some(0), Some(0), Some(2))
    );
    assert_eq!(json(&data, &["status", "--json"])["events"], 2);
    assert_eq!(net(&data), 1200);
    let text = ok(&data, &["import", s(&b)]);
    assert!(text.contains("1 new, 1 updated"), "{text}");
    assert_eq!(net(&data), 1200 - 700 + 600 + 100);

    // Batch 2 (A again) goes: g1 had no other source, g2's current version is B's.
    let undo = ok(&data, &["batches", "undo", "2"]);
    assert!(
        undo.contains("1 events removed, 0 restored to their earlier version, 0 kept"),
        "{undo}"
    );
    assert_eq!(net(&data), 700);
    // Batch 3 (B) goes: g2 had A's version before it, but A's batches are both undone.
    let undo = ok(&data, &["batches", "undo", "3"]);
    assert!(undo.contains("2 events removed"), "{undo}");
    assert_eq!(json(&data, &["status", "--json"])["events"], 0);
}

#[test]
fn a_replaced_version_another_batch_delivered_comes_back_when_its_replacement_goes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let header = "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n";
    let version = |name: &str, gross: &str| {
        let path = tmp.path().join(name);
        std::fs::write(
            &path,
            format!("{header}stripe,main,ch_1,sale,2026-03-01T10:00:00Z,1,EUR,{gross}\n"),
        )
        .unwrap();
        path
    };
    let v1 = version("v1.csv", "10.00");
    let v1_again = version("v1-again.csv", "10.00");
    let v2 = version("v2.csv", "8.00");
    ok(&data, &["import", s(&v1), s(&v1_again), s(&v2)]);
    let net = || json(&data, &["report", "--json"])["totals"][0]["net_minor"].clone();
    assert_eq!(net(), 800);
    // v1's own batch goes: its version stays, as the second file's, behind v2.
    ok(&data, &["batches", "undo", "1"]);
    assert_eq!(net(), 800);
    // v2 goes: the version both v1 files delivered is back.
    ok(&data, &["batches", "undo", "3"]);
    assert_eq!(net(), 1000);
    let export = ok(&data, &["export", "--format", "csv"]);
    assert!(export.contains("ch_1"), "{export}");
}
