//! The demo workspace: filled from a folder of report files beside (never inside) the real ledger, and
//! removed again without touching anything it did not create.

use std::path::{Path, PathBuf};
use tributary_engine::{demo_active, demo_dir, leave_demo, load_demo, ReportQuery, Workspace};

const HEADER: &str = "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n";

/// A folder of demo files under `root` holding one Gumroad sale (`a.csv`).
fn demo_files(root: &Path) -> PathBuf {
    let files = root.join("demo-files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        files.join("a.csv"),
        format!("{HEADER}gumroad,main,g1,sale,2026-01-02T00:00:00Z,1,USD,5.00\n"),
    )
    .unwrap();
    files
}

#[test]
fn loads_into_its_own_folder_and_leaves_without_a_trace() {
    let root = tempfile::tempdir().unwrap();
    let (data, files) = (root.path().join("data"), demo_files(root.path()));
    std::fs::write(
        files.join("b.csv"),
        format!("{HEADER}stripe,main,s1,sale,2026-01-03T00:00:00Z,1,EUR,7.00\n"),
    )
    .unwrap();
    std::fs::write(files.join("notes.txt"), "not a report").unwrap();
    let real = Workspace::open(&data).unwrap();

    let demo = load_demo(&data, &files).unwrap();
    assert!(demo_active(&data));
    assert_eq!(demo.dir(), demo_dir(&data));
    assert_eq!(
        demo.batches().unwrap().len(),
        2,
        "one batch per report file"
    );
    assert_eq!(
        demo.report(&ReportQuery::default()).unwrap().totals.len(),
        2
    );
    assert_eq!(
        real.status().unwrap().events,
        0,
        "the real ledger is untouched"
    );

    // Loading again starts afresh rather than adding the files twice.
    drop(demo);
    let again = load_demo(&data, &files).unwrap();
    assert_eq!(again.status().unwrap().events, 2);
    drop(again);

    leave_demo(&data).unwrap();
    assert!(!demo_active(&data));
    assert!(!demo_dir(&data).exists());
    assert!(data.join("ledger.sqlite3").is_file());
}

#[test]
fn a_folder_it_did_not_make_is_never_removed() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let foreign = demo_dir(&data);
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    leave_demo(&data).unwrap();
    assert!(foreign.join("keep.txt").is_file());
    assert!(!demo_active(&data));

    // Nor filled (then removed on leaving): loading the demo refuses the folder in the way.
    let files = demo_files(root.path());
    let Err(error) = load_demo(&data, &files) else {
        panic!("the demo was loaded into a folder Tributary did not make");
    };
    assert!(error.to_string().contains("did not make"), "{error}");
    leave_demo(&data).unwrap();
    assert!(foreign.join("keep.txt").is_file());
    assert!(!foreign.join("ledger.sqlite3").exists());
}

#[test]
fn a_bad_demo_file_leaves_no_half_demo() {
    let root = tempfile::tempdir().unwrap();
    let (data, files) = (root.path().join("data"), root.path().join("demo-files"));
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("a.csv"), "no,such,format\n1,2,3\n").unwrap();
    let Err(error) = load_demo(&data, &files) else {
        panic!("a file of no known format was imported");
    };
    assert!(error.to_string().contains("a.csv"), "{error}");
    assert!(!demo_dir(&data).exists());
    let empty = root.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let Err(error) = load_demo(&data, &empty) else {
        panic!("an empty demo was made");
    };
    assert!(error.to_string().contains("no demo files"), "{error}");
}

#[test]
fn a_mapping_saved_while_in_the_demo_is_the_creators_own() {
    let root = tempfile::tempdir().unwrap();
    let (data, files) = (root.path().join("data"), demo_files(root.path()));
    let demo = load_demo(&data, &files).unwrap().with_mappings_of(&data);
    let mapping = "name = \"bank\"\nplatform = \"bank\"\ngross = \"Amount\"\n[date]\ncolumn = \"Date\"\n[id]\ncolumn = \"Ref\"\n[currency]\nfixed = \"EUR\"\n";
    demo.save_mapping_text(mapping, Path::new("test")).unwrap();
    drop(demo);
    leave_demo(&data).unwrap();
    let own = Workspace::open(&data).unwrap();
    assert!(
        own.format_named("bank").is_ok(),
        "the mapping outlived the demo"
    );
}
