//! The house stays one-way (docs/architecture.md): connectors know no ledger, SQL, secrets store or
//! Tauri; the ledger knows no HTTP, secrets or connectors; the HTTP client knows no platform and no
//! SQL; the shells (app, CLI, tray) reach everything through the engine. Read from `cargo metadata`,
//! so a dependency added against the rules fails here, whichever Cargo.toml it went into.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Each package's normal (non-dev) dependencies, by name.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON");
    let mut map = BTreeMap::new();
    for package in meta["packages"].as_array().expect("packages") {
        let deps = package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .filter(|d| d["kind"].is_null())
            .filter_map(|d| d["name"].as_str().map(str::to_string))
            .collect();
        map.insert(package["name"].as_str().expect("name").to_string(), deps);
    }
    map
}

fn refuses(deps: &BTreeMap<String, BTreeSet<String>>, package: &str, forbidden: &[&str]) {
    let of = deps
        .get(package)
        .unwrap_or_else(|| panic!("{package} is in the workspace"));
    let broken: Vec<_> = forbidden.iter().filter(|f| of.contains(**f)).collect();
    assert!(broken.is_empty(), "{package} must not depend on {broken:?}");
}

#[test]
fn the_crates_keep_the_house_one_way() {
    let deps = dependencies();
    refuses(
        &deps,
        "tributary-connectors",
        &[
            "tributary-ledger",
            "tributary-engine",
            "tributary-secrets",
            "rusqlite",
            "tauri",
        ],
    );
    refuses(
        &deps,
        "tributary-ledger",
        &[
            "tributary-http",
            "tributary-secrets",
            "tributary-connectors",
            "reqwest",
            "tauri",
        ],
    );
    refuses(
        &deps,
        "tributary-http",
        &[
            "tributary-ledger",
            "tributary-engine",
            "tributary-connectors",
            "tributary-secrets",
            "rusqlite",
            "tauri",
        ],
    );
    refuses(
        &deps,
        "tributary-secrets",
        &["tributary-ledger", "tributary-engine", "rusqlite", "tauri"],
    );
    refuses(
        &deps,
        "tributary-standins",
        &[
            "tributary-ledger",
            "tributary-engine",
            "tributary-connectors",
            "tauri",
        ],
    );
    // Email delivery knows messages and transports, not what an alert is or where it is kept.
    refuses(
        &deps,
        "tributary-email",
        &[
            "tributary-ledger",
            "tributary-engine",
            "tributary-connectors",
            "tributary-secrets",
            "rusqlite",
            "tauri",
        ],
    );
    let below_the_engine = [
        "tributary-ledger",
        "tributary-imports",
        "tributary-http",
        "tributary-secrets",
        "tributary-connectors",
        "tributary-email",
    ];
    for shell in ["tributary-app", "tributary-cli", "tributary-tray"] {
        refuses(&deps, shell, &below_the_engine);
    }
}
