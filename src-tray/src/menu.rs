//! The tray's menu, the same as the app's tray: the status line, "Sync now" (disabled until connections
//! exist), "Pause syncing", "Open Tributary" and "Quit". Menu events arrive on the tray library's
//! thread and are handed to the GTK main loop, which owns the menu items.

use std::cell::RefCell;
use std::path::PathBuf;
use tray_icon::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tributary_engine::Settings;

pub struct TrayMenu {
    pub menu: Menu,
    pub status: MenuItem,
    pause: CheckMenuItem,
}

thread_local! {
    /// The menu and the data folder, on the GTK thread: menu events are handled there.
    static CURRENT: RefCell<Option<(TrayMenu, PathBuf)>> = const { RefCell::new(None) };
}

pub fn build(settings: &Settings) -> Result<TrayMenu, tray_icon::menu::Error> {
    let status = MenuItem::with_id("status", "No imports yet", false, None);
    let sync_now = MenuItem::with_id("sync-now", "Sync now", false, None);
    let pause = CheckMenuItem::with_id("pause", "Pause syncing", true, settings.sync_paused, None);
    let open = MenuItem::with_id("open", "Open Tributary", true, None);
    let quit = MenuItem::with_id("quit", "Quit", true, None);
    let menu = Menu::new();
    menu.append_items(&[
        &status,
        &PredefinedMenuItem::separator(),
        &sync_now,
        &pause,
        &PredefinedMenuItem::separator(),
        &open,
        &quit,
    ])?;
    Ok(TrayMenu {
        menu,
        status,
        pause,
    })
}

/// Keeps the menu for the event handler and starts handling its events.
pub fn listen(menu: TrayMenu, data_dir: PathBuf) {
    CURRENT.with(|current| *current.borrow_mut() = Some((menu, data_dir)));
    MenuEvent::set_event_handler(Some(|event: MenuEvent| {
        let id = event.id().0.clone();
        glib::MainContext::default().invoke(move || {
            CURRENT.with(|current| {
                if let Some((menu, data_dir)) = &*current.borrow() {
                    handle(&id, menu, data_dir);
                }
            })
        });
    }));
}

/// Runs `each` with the menu, on the GTK thread.
pub fn with_menu(each: impl FnOnce(&TrayMenu, &PathBuf)) {
    CURRENT.with(|current| {
        if let Some((menu, data_dir)) = &*current.borrow() {
            each(menu, data_dir);
        }
    });
}

fn handle(id: &str, menu: &TrayMenu, data_dir: &std::path::Path) {
    match id {
        "open" => match open_app() {
            // The app shows its own tray icon while it runs.
            Ok(()) => gtk::main_quit(),
            Err(e) => tracing::warn!("could not open Tributary: {e}"),
        },
        "quit" => gtk::main_quit(),
        "pause" => {
            let mut settings = Settings::load(data_dir).unwrap_or_default();
            settings.sync_paused = menu.pause.is_checked();
            if let Err(e) = settings.save(data_dir) {
                tracing::warn!("could not save the pause: {e}");
            }
        }
        _ => {}
    }
}

/// Starts the app (the binary beside this one), which opens its window.
fn open_app() -> std::io::Result<()> {
    let app = std::env::current_exe()?.with_file_name("tributary-app");
    // The GL switch-off is this process's own: the window needs GL.
    std::process::Command::new(app)
        .env_remove("GDK_GL")
        .spawn()
        .map(|_| ())
}
