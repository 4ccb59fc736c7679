//! The main window's life: made from its entry in tauri.conf.json at start (unless started hidden, at
//! login) and when the tray asks for it, and destroyed, not hidden, when closed to the tray, so that
//! WebKit's processes and their memory go with it.

use tauri::{AppHandle, Manager, WebviewWindow, WebviewWindowBuilder};

pub const MAIN: &str = "main";

/// Shows the main window, making it first if it was destroyed.
pub fn show(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    crate::closing::cancel(app);
    if let Some(window) = app.get_webview_window(MAIN) {
        window.unminimize()?;
        window.show()?;
        window.set_focus()?;
        return Ok(window);
    }
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let window = WebviewWindowBuilder::from_config(app, &config)?.build()?;
    window.set_focus()?;
    Ok(window)
}
