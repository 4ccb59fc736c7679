//! The commands called the way the window calls them: through Tauri's IPC on a mock runtime (no
//! webview), with the argument names and JSON that `ui/src/ipc.ts` sends, on a real data folder. What a
//! command answers must be what the engine says for the same files, and a failure must reach the
//! window as `{code, message, hint}` naming the place. The command list is the app's own
//! (`commands::handler`), so a command missing from it fails here too.

use crate::state::AppState;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;
use tributary_engine::{DashboardQuery, Day, ImportOptions, Workspace};

const TODAY: &str = "2026-11-25";

/// The app's commands and state around a data folder, and the window that calls them.
struct Window {
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    data: TempDir,
}

impl Window {
    fn open() -> Window {
        let data = TempDir::new().expect("a temporary data folder");
        let app = mock_builder()
            .plugin(tauri_plugin_notification::init())
            .plugin(tauri_plugin_autostart::init(
                tauri_plugin_autostart::MacosLauncher::LaunchAgent,
                None,
            ))
            .manage(AppState::new(data.path().to_path_buf()))
            .invoke_handler(crate::commands::handler())
            .build(mock_context(noop_assets()))
            .expect("the app builds on the mock runtime");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("a window on the mock runtime");
        let window = Window {
            _app: app,
            webview,
            data,
        };
        // No desktop notifications from tests: turned off the way the Settings page does it.
        let mut settings = window.call("get_settings", json!({})).expect("settings");
        settings["notifications"] = json!(false);
        let saved = window
            .call("set_settings", json!({ "settings": settings }))
            .expect("settings saved");
        assert_eq!(saved["notifications"], json!(false));
        window
    }

    /// Invokes `command` with `args` as the window would; the error is what the window's promise gets.
    fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The app's own origin (the window's pages are served from it), so the call counts as local.
            url: "tauri://localhost".parse().expect("a valid URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request).map(|body| {
            body.deserialize::<Value>()
                .expect("a command answers with JSON")
        })
    }

    /// The ledger's count of events, and whether `app_info` agrees that there are any.
    fn events(&self) -> i64 {
        let status = self
            .call("ledger_status", json!({}))
            .expect("ledger_status");
        let events = status["events"].as_i64().expect("a count of events");
        let info = self.call("app_info", json!({})).expect("app_info");
        assert_eq!(info["has_events"], json!(events > 0), "app_info: {info}");
        events
    }
}

fn demo_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo")
        .join(name)
}

fn path_arg(path: &Path) -> Value {
    json!(path.display().to_string())
}

#[test]
fn a_file_previewed_imported_and_undone_through_ipc_is_what_the_engine_says() {
    let window = Window::open();
    let stripe = demo_file("unified_payments.csv");
    let kdp = demo_file("KDP_Dashboard-2026-11-20.xlsx");

    let info = window.call("app_info", json!({})).expect("app_info");
    assert_eq!(info["has_events"], json!(false));
    assert_eq!(info["workspace"], json!("main"));
    assert_eq!(info["data_dir"], path_arg(window.data.path()));
    // ISO's digits, not Intl's: the window formats HUF with these.
    assert_eq!(info["currency_exponents"]["HUF"], json!(2));
    assert_eq!(info["currency_exponents"]["JPY"], json!(0));

    // The engine, given the same files in the same order in a ledger of its own, must answer the same.
    let mirror_dir = TempDir::new().expect("a temporary folder");
    let mut mirror = Workspace::open(mirror_dir.path()).expect("an empty workspace");
    let dry_run = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    for file in [&stripe, &kdp] {
        let preview = window
            .call(
                "preview_import",
                json!({ "path": path_arg(file), "format": null }),
            )
            .expect("a preview");
        let engine = mirror
            .import_file(file, &dry_run)
            .expect("the engine's dry run");
        assert_eq!(preview, serde_json::to_value(engine).expect("JSON"));
        assert!(preview["inserted"].as_u64().expect("a count") > 0);
    }
    assert_eq!(window.events(), 0, "a preview writes nothing");

    let mut inserted = 0;
    for file in [&stripe, &kdp] {
        // The window's Channel arrives as its id; the progress it carries is the engine's own (tested there).
        let import = window
            .call(
                "commit_import",
                json!({ "path": path_arg(file), "format": null, "onProgress": "__CHANNEL__:1" }),
            )
            .expect("an import");
        let engine = mirror
            .import_file(file, &ImportOptions::default())
            .expect("the engine imports the file");
        assert_eq!(import, serde_json::to_value(engine).expect("JSON"));
        inserted += import["inserted"].as_i64().expect("a count");
    }
    assert_eq!(window.events(), inserted);

    let query = json!({ "period": "all_time", "from": null, "to": null, "bucket": "month" });
    let dashboard = window
        .call("dashboard", json!({ "query": query, "today": TODAY }))
        .expect("the dashboard");
    let engine = Workspace::open(window.data.path())
        .expect("the app's workspace")
        .dashboard(
            &serde_json::from_value::<DashboardQuery>(query).expect("a query"),
            Day::parse(TODAY).expect("a day"),
        )
        .expect("the engine's dashboard");
    assert_eq!(dashboard, serde_json::to_value(engine).expect("JSON"));
    let currencies: Vec<&str> = dashboard["totals"]
        .as_array()
        .expect("totals")
        .iter()
        .filter_map(|t| t["currency"].as_str())
        .collect();
    assert!(
        currencies.len() > 1,
        "Stripe and KDP pay in more than one currency: {currencies:?}"
    );

    // Newest first, and otherwise the engine's records (the clock's readings aside).
    let batches = window.call("list_batches", json!({})).expect("batches");
    let engine_batches = mirror.batches().expect("the engine's batches");
    assert_eq!(
        untimed(batches.clone()),
        untimed(serde_json::to_value(engine_batches).expect("JSON"))
    );
    let ids: Vec<i64> = batches
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|b| b["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids[0] > ids[1], "newest first: {ids:?}");
    for id in ids {
        let undo = window
            .call("undo_batch", json!({ "id": id }))
            .expect("an undo");
        let engine = mirror.undo_batch(id).expect("the engine's undo");
        assert_eq!(
            untimed(undo),
            untimed(serde_json::to_value(engine).expect("JSON"))
        );
    }
    assert_eq!(window.events(), 0);
}

/// A batch record, a list of them or an undo report without the times they were made at.
fn untimed(mut value: Value) -> Value {
    match &mut value {
        Value::Array(items) => {
            for item in items.iter_mut() {
                *item = untimed(item.take());
            }
        }
        Value::Object(fields) => {
            for time in ["started_at", "finished_at", "undone_at"] {
                fields.remove(time);
            }
            if let Some(batch) = fields.get_mut("batch") {
                *batch = untimed(batch.take());
            }
        }
        _ => {}
    }
    value
}

/// The error the window's promise gets: a `CommandError`'s fields.
fn command_error(result: Result<Value, Value>) -> (String, String, Value) {
    let error = result.expect_err("the call fails");
    let field = |name: &str| error[name].as_str().unwrap_or_default().to_string();
    (field("code"), field("message"), error["hint"].clone())
}

#[test]
fn failures_reach_the_window_with_a_code_and_the_place() {
    let window = Window::open();

    let missing = window.data.path().join("no-such-report.csv");
    let (code, message, _) = command_error(window.call(
        "preview_import",
        json!({ "path": path_arg(&missing), "format": null }),
    ));
    assert_eq!(code, "file_unreadable");
    assert!(message.contains("no-such-report.csv"), "{message}");

    let unknown = window.data.path().join("bank-export.csv");
    std::fs::write(&unknown, "When,What,How much\n2026-11-02,Coffee,3.50\n").expect("a file");
    let (code, message, hint) = command_error(window.call(
        "preview_import",
        json!({ "path": path_arg(&unknown), "format": null }),
    ));
    // The window answers this code with the column-mapping editor: no command-line flag in its words,
    // and no Retry, since reading the file again the same way cannot help.
    assert_eq!(code, "unknown_format");
    assert!(message.contains("bank-export.csv"), "{message}");
    assert!(!message.contains("--map"), "{message}");
    assert!(hint.is_string(), "an unknown file says what to do: {hint}");
    let retry = window.call(
        "preview_import",
        json!({ "path": path_arg(&unknown), "format": null }),
    );
    assert_eq!(retry.expect_err("still unknown")["retry"], json!(false));

    let query = json!({ "period": "this_month", "from": null, "to": null, "bucket": "day" });
    let (code, message, _) = command_error(window.call(
        "dashboard",
        json!({ "query": query, "today": "25/11/2026" }),
    ));
    assert_eq!(code, "query_invalid");
    assert!(message.contains("25/11/2026"), "{message}");

    let (code, message, _) = command_error(window.call("undo_batch", json!({ "id": 42 })));
    assert!(
        !code.is_empty() && message.contains("42"),
        "{code}: {message}"
    );
    assert_eq!(window.events(), 0);
}

#[test]
fn a_mapping_made_in_the_window_imports_the_file_it_was_made_for() {
    let window = Window::open();
    let file = window.data.path().join("bank-export.csv");
    std::fs::write(
        &file,
        "When,What,How much,Cur\n2026-11-02,Workshop,120.00,EUR\n2026-11-03,Print,35.50,EUR\n",
    )
    .expect("a file");

    let sample = window
        .call("csv_sample", json!({ "path": path_arg(&file) }))
        .expect("a sample");
    assert_eq!(
        sample["headers"],
        json!(["When", "What", "How much", "Cur"])
    );

    let draft = json!({
        "name": "bank-sales", "title": null, "platform": "bank", "date_column": "When",
        "date_order": null, "gross": "How much", "net": null, "fees": [], "currency_column": "Cur",
        "currency_fixed": null, "id_column": null, "id_derive": ["When", "What"],
        "product_name": "What", "product_id": null, "quantity": null, "buyer_email": null,
        "country": null, "decimal_mark": null, "minor_units": false,
    });
    let preview = window
        .call(
            "preview_mapping",
            json!({ "path": path_arg(&file), "draft": draft }),
        )
        .expect("a preview through the draft");
    assert_eq!(preview["inserted"], json!(2));
    assert_eq!(window.events(), 0, "a preview writes nothing");

    let saved = window
        .call("save_mapping", json!({ "draft": draft }))
        .expect("the mapping is saved");
    let formats = window.call("list_formats", json!({})).expect("formats");
    assert!(
        formats
            .as_array()
            .expect("a list")
            .iter()
            .any(|f| f == &saved),
        "the saved mapping is among the formats: {saved}"
    );

    let import = window
        .call(
            "commit_import",
            json!({ "path": path_arg(&file), "format": "bank-sales", "onProgress": "__CHANNEL__:2" }),
        )
        .expect("the file imports through its mapping");
    assert_eq!(import["inserted"], json!(2));
    assert_eq!(window.events(), 2);
}

#[test]
fn a_time_zone_chosen_in_the_window_moves_an_evening_sale_into_its_own_month() {
    let window = Window::open();
    let file = window.data.path().join("evening.csv");
    std::fs::write(
        &file,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross,net\n\
         stripe,main,ch_1,sale,2026-11-30T23:30:00-08:00,1,USD,50.00,48.25\n",
    )
    .expect("the file is written");
    window
        .call(
            "commit_import",
            json!({ "path": path_arg(&file), "format": null, "onProgress": "__CHANNEL__:3" }),
        )
        .expect("an import");
    let months = |window: &Window| -> Vec<Value> {
        let query = json!({ "period": "all_time", "from": null, "to": null, "bucket": "month" });
        let dashboard = window
            .call("dashboard", json!({ "query": query }))
            .expect("the dashboard");
        dashboard["series"]
            .as_array()
            .expect("a series")
            .iter()
            .map(|p| p["bucket"].clone())
            .collect()
    };
    let la = window
        .call("set_time_zone", json!({ "zone": "America/Los_Angeles" }))
        .expect("a zone");
    assert_eq!(la["counted_in"], json!("America/Los_Angeles"));
    assert_eq!(la["chosen"], json!(true));
    assert!(la["available"]
        .as_array()
        .expect("zones")
        .contains(&json!("Asia/Tokyo")));
    assert_eq!(months(&window), [json!("2026-11-01")]);
    let utc = window
        .call("set_time_zone", json!({ "zone": "UTC" }))
        .expect("a zone");
    assert_eq!(utc["counted_in"], json!("UTC"));
    assert_eq!(months(&window), [json!("2026-12-01")]);
    // A name that is no zone is refused with the reason, and changes nothing.
    let (code, message, _) =
        command_error(window.call("set_time_zone", json!({ "zone": "Mars/Base" })));
    assert_eq!(code, "query_invalid");
    assert!(
        message.contains("'Mars/Base' is not a time zone"),
        "{message}"
    );
    assert_eq!(
        window.call("time_zone", json!({})).expect("the zone")["counted_in"],
        json!("UTC")
    );
}

#[test]
fn the_ledger_and_a_table_are_saved_where_the_save_dialog_said() {
    let window = Window::open();
    let file = demo_file("gumroad-sales.csv");
    window
        .call(
            "commit_import",
            json!({ "path": path_arg(&file), "format": null, "onProgress": "__CHANNEL__:7" }),
        )
        .expect("imported");
    let target = window.data.path().join("ledger-export.csv");
    let written = window
        .call("export_ledger", json!({ "path": path_arg(&target) }))
        .expect("exported");
    let engine = tributary_engine::Workspace::open(window.data.path()).expect("the workspace");
    let mut expected = Vec::new();
    let events = engine
        .export_csv(&mut expected, "memory")
        .expect("the engine's export");
    assert_eq!(written, json!(events));
    assert_eq!(std::fs::read(&target).expect("the file"), expected);

    let table = window.data.path().join("chart.csv");
    let rows = json!([["Month", "Currency", "Net"], ["2026-03", "USD", "12.50"]]);
    let saved = window
        .call(
            "export_table",
            json!({ "path": path_arg(&table), "rows": rows }),
        )
        .expect("saved");
    assert_eq!(saved, json!(1));
    assert_eq!(
        std::fs::read_to_string(&table).expect("the table"),
        "Month,Currency,Net\n2026-03,USD,12.50\n"
    );
    let (code, message, _) = command_error(window.call(
        "export_table",
        json!({ "path": path_arg(&window.data.path().join("missing/x.csv")), "rows": rows }),
    ));
    assert_eq!(code, "output");
    assert!(message.contains("does not exist"), "{message}");
}
