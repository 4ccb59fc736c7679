//! Tests of the app's configuration: the identifier the CLI shares, a CSP without remote or inline
//! sources, the front end the build embeds, and capabilities limited to what the UI calls.

use std::path::Path;
use tributary_engine::APP_IDENTIFIER;

fn read_json(relative: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn config_identifier_is_the_engines() {
    let config = read_json("tauri.conf.json");
    assert_eq!(config["identifier"].as_str(), Some(APP_IDENTIFIER));
}

#[test]
fn config_is_locked_down() {
    let config = read_json("tauri.conf.json");
    let csp = config["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-"), "{csp}");
    assert!(
        !csp.contains("script-src"),
        "scripts only from the app: {csp}"
    );
    // Tauri's own IPC protocol is the one other source (http://ipc.localhost is how WebKitGTK names it).
    let remote = csp.replace("http://ipc.localhost", "");
    assert!(!remote.contains("http"), "no remote sources: {csp}");
    assert!(
        csp.contains("connect-src 'self' ipc: http://ipc.localhost"),
        "{csp}"
    );
    assert_eq!(config["build"]["frontendDist"].as_str(), Some("./ui/dist"));
    for icon in config["bundle"]["icon"]
        .as_array()
        .expect("icons are listed")
    {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(icon.as_str().unwrap());
        assert!(path.is_file(), "{} is missing", path.display());
    }
    let capability = read_json("capabilities/default.json");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert_eq!(
        capability["permissions"],
        serde_json::json!([
            "core:default",
            "core:window:allow-close",
            "dialog:allow-open",
            "dialog:allow-save"
        ]),
        "the UI calls the core API, closes its window, opens the file dialog and the save dialog, nothing else"
    );
}

#[test]
fn the_tray_process_ships_beside_the_app() {
    // closing.rs hands the tray to the binary beside the app's; a package without it would keep the
    // whole app resident in the tray.
    let config = read_json("tauri.conf.json");
    let files = &config["bundle"]["linux"]["deb"]["files"];
    assert_eq!(
        files["/usr/bin/tributary-tray"].as_str(),
        Some("target/release/tributary-tray")
    );
}

#[test]
fn demo_files_ship_with_the_app() {
    let config = read_json("tauri.conf.json");
    let resources = config["bundle"]["resources"].to_string();
    assert!(resources.contains("assets/demo"), "{resources}");
}
