//! Running an input through every way Tributary reads a file (detection, then every format, and the
//! workbook reader) and checking, item by item, what must hold whatever the input: no panic, every
//! rejected row names its line, and a reader moves on rather than handing out items for ever.

use std::sync::OnceLock;
use tributary_imports::formats::{self, Format};
use tributary_imports::mapping::Mapping;
use tributary_imports::source::{self, EventSource};
use tributary_imports::{kdp, Item};

/// A user's mapping (the fixture `umsaetze-mapping.toml`), so that fuzzing reaches the mapping rules
/// that no preset uses: a fixed currency column, day-first dates, decimal commas, fees as a list.
const USER_MAPPING: &str = r#"
name = "umsaetze"
title = "Umsätze (Shop-Export, Tabellenkalkulation)"
platform = "webshop"
account = "main"
detect = [["Datum"], ["Buchungstext"], ["Betrag"], ["Gebühr"], ["Währung"], ["Belegnummer"]]
gross = "Betrag"
fees = ["Gebühr"]
product_name = "Buchungstext"
decimal_mark = "comma"
[date]
column = "Datum"
order = "day_month_year"
[id]
column = "Belegnummer"
[currency]
column = "Währung"
[kind]
default = "sale"
"#;

/// Every format Tributary reads (`formats::list()`), and a user mapping.
fn every_format() -> &'static [Format] {
    static ALL: OnceLock<Vec<Format>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Format> = formats::list()
            .iter()
            .map(|f| formats::by_name(&f.name).unwrap())
            .collect();
        let user = Mapping::from_toml(USER_MAPPING).unwrap();
        all.push(Format::Mapped(Box::new(user)));
        all
    })
}

/// Reads every item `source` gives (as the engine does, sometimes over the previous item), checks that
/// each rejected row names its line, and asks the source everything the preview and batch record ask.
pub(crate) fn drain(mut source: Box<dyn EventSource + '_>, limit: usize, what: &str) {
    let mut count = 0usize;
    let mut spare: Option<Item> = None;
    loop {
        let old = if count % 2 == 1 { spare.take() } else { None };
        match source.next_item_reusing(old) {
            Ok(Some(item)) => {
                count += 1;
                if let Item::Rejected(e) = &item {
                    assert!(
                        e.line.is_some_and(|l| l > 0),
                        "{what}: a rejected row without its line: {e:?}"
                    );
                    let _ = e.to_string();
                }
                // A reader that does not move on would hand out items for ever.
                assert!(
                    count <= limit,
                    "{what}: more than {limit} items from this input"
                );
                spare = Some(item);
            }
            Ok(None) => break,
            Err(e) => {
                let _ = e.to_string();
                break;
            }
        }
    }
    let _ = (source.rows_read(), source.skipped(), source.warnings());
    let _ = (source.format(), source.reading());
}

/// What the engine does with a file: detects its format, then reads it as that and, as a user forcing
/// `--format` might, as every other format. Panics (through the assertions of `drain`) on what must not be.
pub(crate) fn read_every_way(bytes: &[u8]) {
    match formats::detect(bytes) {
        Ok(format) => {
            let what = format!("detected {}", format.name());
            if let Ok(source) = source::open(bytes, format) {
                drain(source, item_limit(bytes), &what);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    for format in every_format() {
        let what = format!("as {}", format.name());
        match source::open(bytes, format.clone()) {
            Ok(source) => {
                drain(source, item_limit(bytes), &what);
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// The most items a file of this size could give. A text row takes at least a line ending and gives at
/// most a couple of events (a sale and its refund); a workbook row takes at least a few compressed bytes.
fn item_limit(bytes: &[u8]) -> usize {
    if kdp::is_workbook(bytes) {
        1_000_000 + bytes.len() * 1000
    } else {
        4 * (bytes.len() + 1)
    }
}

/// Reads `bytes` as a workbook and drains it: what the byte-level and zip-level damage tests check.
pub(crate) fn read_workbook(bytes: &[u8]) {
    match kdp::read_workbook(bytes) {
        Ok(reader) => {
            drain(Box::new(reader), item_limit(bytes), "workbook");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

pub(crate) fn events_of_workbook(bytes: &[u8]) -> usize {
    let mut reader = kdp::read_workbook(bytes).unwrap();
    let mut events = 0;
    while let Some(item) = reader.next_item().unwrap() {
        assert!(matches!(item, Item::Event(_)), "{item:?}");
        events += 1;
    }
    events
}
