//! The tray icon and its menu while the app runs: a status line (what the connections need, or the
//! last import), "Sync now" (disabled until a connection can sync), "Pause syncing", "Open Tributary"
//! and "Quit"; the icon carries a dot for the worst connection's level (attention, error). When the window closes to the
//! tray, the lighter tray process (src-tray/) takes over the icon and this process exits. Where the system
//! has no tray (the indicator library is missing) the app runs without one, and closing the window quits.

use crate::state::AppState;
use crate::window;
use std::sync::Mutex;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};
use tributary_engine::{draw_level_badge, HealthLevel, TrayItem, TrayStatus, Workspace};

/// The parts of the menu that change after it is built.
pub struct Tray {
    status: MenuItem<Wry>,
    sync_now: MenuItem<Wry>,
    pause: CheckMenuItem<Wry>,
    icon: TrayIcon<Wry>,
    /// The level the icon shows now.
    level: Mutex<HealthLevel>,
}

impl Tray {
    /// Shows `status`: the line, "Sync now" clickable or not, and the icon's dot when the level
    /// changed.
    pub fn show(&self, app: &AppHandle, status: &TrayStatus) {
        if let Err(e) = self.status.set_text(&status.line) {
            tracing::warn!("could not update the tray menu: {e}");
        }
        let _ = self.sync_now.set_enabled(status.can_sync);
        let Ok(mut level) = self.level.lock() else {
            return;
        };
        if *level != status.level {
            if let Some(icon) = badged_icon(app, status.level) {
                if let Err(e) = self.icon.set_icon(Some(icon)) {
                    tracing::warn!("could not change the tray icon: {e}");
                }
            }
            *level = status.level;
        }
    }
}

/// The app's icon with `level`'s dot.
fn badged_icon(app: &AppHandle, level: HealthLevel) -> Option<Image<'static>> {
    let icon = app.default_window_icon()?;
    let (width, height) = (icon.width(), icon.height());
    let mut rgba = icon.rgba().to_vec();
    draw_level_badge(&mut rgba, width, height, level);
    Some(Image::new_owned(rgba, width, height))
}

/// Whether a tray icon can be shown. On Linux the tray goes through libappindicator, which is loaded
/// at run time: building a tray without it panics, so look for the library first.
pub fn available() -> bool {
    #[cfg(target_os = "linux")]
    {
        ["libayatana-appindicator3.so.1", "libappindicator3.so.1"]
            .iter()
            .any(|name| library_loads(name))
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

#[cfg(target_os = "linux")]
fn library_loads(name: &str) -> bool {
    let Ok(name) = std::ffi::CString::new(name) else {
        return false;
    };
    // SAFETY: dlopen with a valid C string; the handle is closed at once and nothing from it is used.
    unsafe {
        let handle = libc::dlopen(name.as_ptr(), libc::RTLD_LAZY | libc::RTLD_LOCAL);
        if handle.is_null() {
            return false;
        }
        libc::dlclose(handle);
        true
    }
}

pub fn build(app: &AppHandle) -> tauri::Result<Tray> {
    let paused = syncing_paused(app);
    let (status, sync_now, pause) = (TrayItem::Status, TrayItem::SyncNow, TrayItem::Pause);
    let status = MenuItem::with_id(app, status.id(), status.label(), false, None::<&str>)?;
    let sync_now = MenuItem::with_id(app, sync_now.id(), sync_now.label(), false, None::<&str>)?;
    let pause = CheckMenuItem::with_id(app, pause.id(), pause.label(), true, paused, None::<&str>)?;
    let items = Menu::new(app)?;
    for item in TrayItem::MENU {
        match item {
            TrayItem::Status => items.append(&status)?,
            TrayItem::SyncNow => items.append(&sync_now)?,
            TrayItem::Pause => items.append(&pause)?,
            TrayItem::Separator => items.append(&PredefinedMenuItem::separator(app)?)?,
            _ => items.append(&MenuItem::with_id(
                app,
                item.id(),
                item.label(),
                item.enabled(),
                None::<&str>,
            )?)?,
        }
    }
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip("Tributary")
        .menu(&items)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match TrayItem::from_id(event.id().as_ref()) {
            Some(TrayItem::Open) => {
                if let Err(e) = window::show(app) {
                    tracing::warn!("could not open the window: {e}");
                }
            }
            Some(TrayItem::Quit) => app.exit(0),
            Some(TrayItem::Pause) => toggle_pause(app),
            Some(TrayItem::SyncNow) => crate::scheduler::sync_all_soon(app),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                if let Err(e) = window::show(tray.app_handle()) {
                    tracing::warn!("could not open the window: {e}");
                }
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    Ok(Tray {
        status,
        sync_now,
        pause,
        icon: builder.build(app)?,
        level: Mutex::new(HealthLevel::Normal),
    })
}

/// Whether "Pause syncing" is on in the creator's ledger (never the demo's: the demo does not sync).
fn syncing_paused(app: &AppHandle) -> bool {
    let state = app.state::<AppState>();
    match Workspace::open(state.data_dir()).and_then(|w| w.syncing_paused()) {
        Ok(paused) => paused,
        Err(e) => {
            tracing::warn!("could not read whether syncing is paused: {e}");
            false
        }
    }
}

/// Saves "Pause syncing" as the menu item now shows it, in the ledger the tray process and the daemon
/// read too.
fn toggle_pause(app: &AppHandle) {
    let (Some(tray), state) = (app.try_state::<Tray>(), app.state::<AppState>()) else {
        return;
    };
    let Ok(paused) = tray.pause.is_checked() else {
        return;
    };
    let saved = Workspace::open(state.data_dir()).and_then(|mut w| w.set_syncing_paused(paused));
    if let Err(e) = saved {
        tracing::warn!("could not save the pause: {e}");
    }
}

/// Shows the pause as the ledger has it (the CLI, the daemon or the window may have changed it).
pub fn show_pause(app: &AppHandle) {
    let paused = syncing_paused(app);
    if let Some(tray) = app.try_state::<Tray>() {
        if tray.pause.is_checked().ok() != Some(paused) {
            let _ = tray.pause.set_checked(paused);
        }
    }
}
