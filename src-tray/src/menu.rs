//! The tray's menu, the same as the app's tray (`TrayItem::MENU`): the status line, "Sync now" (disabled
//! until a connection can sync), "Pause syncing", "Open Tributary" and "Quit". Menu events arrive on the tray library's
//! thread and are handed to the GTK main loop, which owns the menu items.

use std::cell::RefCell;
use std::path::PathBuf;
use tray_icon::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tributary_engine::{SchedulerWaker, TrayItem, UtcInstant, Workspace};

pub struct TrayMenu {
    pub menu: Menu,
    pub status: MenuItem,
    pub sync_now: MenuItem,
    pub pause: CheckMenuItem,
}

/// What the menu's clicks act on: the data folder, and the scheduler "Sync now" wakes.
pub struct Acting {
    pub data_dir: PathBuf,
    pub scheduler: SchedulerWaker,
}

thread_local! {
    /// The menu and what it acts on, on the GTK thread: menu events are handled there.
    static CURRENT: RefCell<Option<(TrayMenu, Acting)>> = const { RefCell::new(None) };
}

/// The menu, its "Pause syncing" ticked when `paused`.
pub fn build(paused: bool) -> Result<TrayMenu, tray_icon::menu::Error> {
    let (status, sync_now, pause) = (TrayItem::Status, TrayItem::SyncNow, TrayItem::Pause);
    let status = MenuItem::with_id(status.id(), status.label(), false, None);
    let sync_now = MenuItem::with_id(sync_now.id(), sync_now.label(), false, None);
    let pause = CheckMenuItem::with_id(pause.id(), pause.label(), true, paused, None);
    let menu = Menu::new();
    for item in TrayItem::MENU {
        match item {
            TrayItem::Status => menu.append(&status)?,
            TrayItem::SyncNow => menu.append(&sync_now)?,
            TrayItem::Pause => menu.append(&pause)?,
            TrayItem::Separator => menu.append(&PredefinedMenuItem::separator())?,
            _ => menu.append(&MenuItem::with_id(
                item.id(),
                item.label(),
                item.enabled(),
                None,
            ))?,
        }
    }
    Ok(TrayMenu {
        menu,
        status,
        sync_now,
        pause,
    })
}

/// Keeps the menu for the event handler and starts handling its events.
pub fn listen(menu: TrayMenu, acting: Acting) {
    CURRENT.with(|current| *current.borrow_mut() = Some((menu, acting)));
    MenuEvent::set_event_handler(Some(|event: MenuEvent| {
        let id = event.id().0.clone();
        glib::MainContext::default().invoke(move || {
            CURRENT.with(|current| {
                if let Some((menu, acting)) = &*current.borrow() {
                    handle(&id, menu, acting);
                }
            })
        });
    }));
}

/// Runs `each` with the menu, on the GTK thread.
pub fn with_menu(each: impl FnOnce(&TrayMenu)) {
    CURRENT.with(|current| {
        if let Some((menu, _)) = &*current.borrow() {
            each(menu);
        }
    });
}

fn handle(id: &str, menu: &TrayMenu, acting: &Acting) {
    let data_dir = acting.data_dir.as_path();
    match TrayItem::from_id(id) {
        Some(TrayItem::Open) => match open_app() {
            // The app shows its own tray icon while it runs.
            Ok(()) => gtk::main_quit(),
            Err(e) => tracing::warn!("could not open Tributary: {e}"),
        },
        Some(TrayItem::Quit) => gtk::main_quit(),
        Some(TrayItem::Pause) => {
            // In the ledger, where the app, the daemon and the CLI read and write it too.
            let paused = menu.pause.is_checked();
            let saved = Workspace::open(data_dir).and_then(|mut w| w.set_syncing_paused(paused));
            if let Err(e) = saved {
                tracing::warn!("could not save the pause: {e}");
            }
        }
        Some(TrayItem::SyncNow) => {
            let queued =
                Workspace::open(data_dir).and_then(|mut w| w.sync_all_soon(UtcInstant::now()));
            match queued {
                Ok(names) => tracing::info!("sync now: {} queued", names.join(", ")),
                Err(e) => tracing::warn!("could not queue the syncs: {e}"),
            }
            acting.scheduler.wake();
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

#[cfg(test)]
mod tests {
    use super::*;
    use tray_icon::menu::MenuItemKind;

    /// What a person sees: each line's text, whether it can be clicked, and the pause's tick.
    fn lines(menu: &TrayMenu) -> Vec<(String, bool, Option<bool>)> {
        menu.menu
            .items()
            .iter()
            .map(|item| match item {
                MenuItemKind::MenuItem(i) => (i.text(), i.is_enabled(), None),
                MenuItemKind::Check(i) => (i.text(), i.is_enabled(), Some(i.is_checked())),
                MenuItemKind::Predefined(_) => ("—".to_string(), false, None),
                other => (format!("{:?}", other.id()), false, None),
            })
            .collect()
    }

    #[test]
    fn the_menu_is_the_apps_with_the_saved_pause() {
        gtk::init().expect("GTK starts (run under a display: xvfb-run)");
        let menu = build(true).expect("the menu builds");
        let s = |text: &str| text.to_string();
        assert_eq!(
            lines(&menu),
            vec![
                (s("No imports yet"), false, None),
                (s("—"), false, None),
                (s("Sync now"), false, None),
                (s("Pause syncing"), true, Some(true)),
                (s("—"), false, None),
                (s("Open Tributary"), true, None),
                (s("Quit"), true, None),
            ]
        );
        let ids: Vec<Option<TrayItem>> = menu
            .menu
            .items()
            .iter()
            .filter(|item| !matches!(item, MenuItemKind::Predefined(_)))
            .map(|item| TrayItem::from_id(&item.id().0))
            .collect();
        assert!(ids.iter().all(Option::is_some), "every click names an item");

        let running = build(false).expect("the menu builds");
        assert!(!running.pause.is_checked());
    }
}
