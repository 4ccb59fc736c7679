//! Tributary's desktop shell: one window onto the ledger. It resolves the data folder the way the CLI
//! does and hands everything else to `tributary-engine`; no business logic lives here.

// No console window alongside the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::ledger_summary])
        .run(tauri::generate_context!())
        .expect("Tributary could not start its window");
}
