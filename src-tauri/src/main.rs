//! Tributary's desktop shell: the window, the tray, single-instance hand-over, notifications and the
//! change watch around `tributary-engine`, which does all the work. See docs/architecture.md.

// No console window alongside the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod closing;
mod commands;
mod error;
mod launch;
mod notify;
mod rendering;
mod scheduler;
mod state;
mod tray;
mod tray_process;
mod watch;
mod window;

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod config_check;
#[cfg(test)]
mod ipc_check;

use state::AppState;
use tauri::{Emitter, Manager, RunEvent};

fn main() {
    rendering::choose();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let data_dir = match tributary_engine::data_dir_from_env() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("Tributary cannot start: {e}");
            std::process::exit(2);
        }
    };
    let launch =
        launch::Launch::from_args(std::env::args_os().skip(1), std::env::current_dir().ok());
    // Started hidden (at login): only the tray is wanted, and the tray process is the light way to it.
    if launch.hidden && tray::available() {
        if let Some(tray) = tray_process::binary() {
            match tray_process::hand_over(&tray) {
                Ok(()) => return,
                Err(e) => tracing::warn!("could not start {}: {e}", tray.display()),
            }
        }
    }
    let tray_lock = tray_process::take_back(&data_dir);
    let app = tauri::Builder::default()
        // First, so that a second launch hands over before it builds anything.
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            let again = launch::Launch::from_args(
                argv.into_iter().skip(1).map(Into::into),
                Some(cwd.into()),
            );
            app.state::<AppState>().push_opened_files(again.files);
            if let Err(e) = window::show(app) {
                tracing::warn!("could not show the window for a second launch: {e}");
            }
            let _ = app.emit("open-file", ());
        }))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![launch::HIDDEN_FLAG]),
        ))
        .manage(AppState::new(data_dir))
        .setup(move |app| {
            let handle = app.handle();
            let state = handle.state::<AppState>();
            state.push_opened_files(launch.files);
            #[cfg(unix)]
            state.hold_tray_lock(tray_lock);
            #[cfg(not(unix))]
            let _ = tray_lock;
            if tray::available() {
                match tray::build(handle) {
                    Ok(tray) => {
                        app.manage(tray);
                        state.set_tray(true);
                    }
                    Err(e) => tracing::warn!("no tray icon ({e}); closing the window will quit"),
                }
            } else {
                tracing::warn!(
                    "this system has no tray (libayatana-appindicator3 is not installed); \
                     closing the window will quit"
                );
            }
            // Started hidden at login: stay in the tray, unless there is none to stay in.
            if !launch.hidden || !state.has_tray() {
                window::show(handle)?;
            }
            watch::spawn(handle.clone())?;
            scheduler::spawn(handle)?;
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Tributary could not start its window: {e}");
            std::process::exit(1);
        });
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            scheduler::stop(app, std::time::Duration::from_secs(3));
            return;
        }
        // The last window closed (not "Quit"): see closing.rs.
        if let RunEvent::ExitRequested {
            api, code: None, ..
        } = event
        {
            if closing::last_window_closed(app) {
                api.prevent_exit();
            }
        }
    });
}
