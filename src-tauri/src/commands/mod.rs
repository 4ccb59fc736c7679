//! The commands the window invokes (docs/ipc.md). Each is a thin wrapper: it opens the active workspace,
//! calls `tributary-engine` off the UI thread, and turns engine errors into `CommandError`.

pub mod connections;
pub mod demo;
pub mod email;
pub mod export;
pub mod health;
pub mod imports;
pub mod ledger;
pub mod mappings;
pub mod settings;

use tauri::ipc::Invoke;
use tauri::Runtime;

/// Every command the window may call. One list, for the app and for the tests that call the commands
/// through IPC (ipc_check.rs).
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        ledger::app_info,
        connections::connectable_platforms,
        connections::list_connections,
        connections::connect_with_key,
        connections::sign_in_with_browser,
        connections::cancel_sign_in,
        connections::platform_accounts,
        connections::sync_connection,
        connections::rename_connection,
        connections::disconnect,
        health::health,
        health::check_connection,
        health::set_connection_paused,
        health::set_syncing_paused,
        health::set_sync_every,
        ledger::ledger_status,
        ledger::dashboard,
        ledger::take_opened_files,
        ledger::window_shown,
        ledger::platforms_held,
        export::export_ledger,
        export::export_table,
        imports::preview_import,
        imports::commit_import,
        imports::list_batches,
        imports::undo_preview,
        imports::undo_batch,
        imports::list_formats,
        mappings::csv_sample,
        mappings::preview_mapping,
        mappings::save_mapping,
        mappings::list_mappings,
        mappings::retitle_mapping,
        mappings::remove_mapping,
        email::email_alerts,
        email::set_email_alerts,
        email::send_test_email,
        email::remove_email_alerts,
        settings::get_settings,
        settings::set_settings,
        settings::open_data_folder,
        settings::time_zone,
        settings::set_time_zone,
        demo::load_demo,
        demo::leave_demo,
    ]
}
