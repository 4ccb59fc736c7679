//! What bad input gets is one line that says each thing once: where, and what is wrong.

mod common;

use common::{json, run, s};

const HEADER: &str = "platform,account,external_id,kind,occurred_at,product_id,product_name,quantity,currency,gross,fees,net,buyer_email,country\n";

#[test]
fn a_file_that_is_not_a_ledger_is_said_once() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("ledger.sqlite3"), vec![b'x'; 8192]).unwrap();
    let out = run(&data, &["status"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "tributary: could not open the ledger at {}: the file is not a ledger (not a SQLite database)",
            data.join("ledger.sqlite3").display()
        )
    );
}

#[test]
fn an_unclosed_quote_is_told_where_it_opened_and_how_far_it_ran() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut text = HEADER.to_string();
    text.push_str("stripe,main,q1,sale,2026-03-01T10:00:00Z,p,P,1,USD,5.00,0,5.00,,US\n");
    text.push_str(
        "stripe,main,q2,sale,2026-03-01T10:00:00Z,p,\"Unclosed name,1,USD,5.00,0,5.00,,US\n",
    );
    for i in 3..=999 {
        text.push_str(&format!(
            "stripe,main,q{i},sale,2026-03-01T10:00:00Z,p,P,1,USD,5.00,0,5.00,,US\n"
        ));
    }
    let file = tmp.path().join("quote.csv");
    std::fs::write(&file, text).unwrap();
    let out = json(&data, &["import", s(&file), "--json"]);
    let f = &out["files"][0];
    assert_eq!(
        (f["inserted"].as_u64(), f["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(f["errors"][0]["line"], 3);
    assert_eq!(
        f["errors"][0]["message"],
        "the row has 7 fields but the header has 14: its field 7 opens a quote on line 3 that runs \
         to line 1000 — a closing quote is probably missing there"
    );
}

#[test]
fn a_ledger_csv_saved_as_utf16_with_its_bom_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let text = format!(
        "{HEADER}stripe,main,u1,sale,2026-03-01T10:00:00Z,p,Bücher,1,EUR,5.00,0,5.00,,DE\n"
    );
    for (name, bom, unit) in [
        (
            "le.csv",
            [0xFF, 0xFE],
            u16::to_le_bytes as fn(u16) -> [u8; 2],
        ),
        ("be.csv", [0xFE, 0xFF], u16::to_be_bytes),
    ] {
        let mut bytes = bom.to_vec();
        for u in text.encode_utf16() {
            bytes.extend(unit(u));
        }
        let file = tmp.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = json(&data, &["import", s(&file), "--dry-run", "--json"]);
        let f = &out["files"][0];
        assert_eq!(f["format"], "ledger-csv", "{name}");
        assert_eq!(f["rejected"], 0, "{name}: {f}");
        assert_eq!(f["inserted"], 1, "{name}");
        assert!(f["reading"]["encoding"]
            .as_str()
            .unwrap()
            .starts_with("UTF-16"));
    }
    let out = json(&data, &["import", s(&tmp.path().join("le.csv")), "--json"]);
    assert_eq!(out["files"][0]["inserted"], 1);
    let export = common::ok(&data, &["export", "--format", "csv"]);
    assert!(export.contains("Bücher"), "{export}");
}

#[test]
fn small_workbooks_that_would_cost_huge_memory_or_time_are_refused_from_their_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let strings = tmp.path().join("KDP_Dashboard-strings.xlsx");
    tributary_bench::write_string_bomb(std::fs::File::create(&strings).unwrap(), 16).unwrap();
    let rows = tmp.path().join("KDP_Dashboard-rows.xlsx");
    tributary_bench::write_rows_bomb(std::fs::File::create(&rows).unwrap(), 500_000).unwrap();
    for (file, part) in [
        (&strings, "xl/sharedStrings.xml"),
        (&rows, "xl/worksheets/sheet1.xml"),
    ] {
        let out = run(&data, &["import", s(file)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("its part {part} inflates")) && stderr.contains("zip bomb"),
            "{stderr}"
        );
    }
}
