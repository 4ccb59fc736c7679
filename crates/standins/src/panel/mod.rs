//! A stand-in for the desktop's panel (the part of GNOME's, KDE's or XFCE's bar that shows tray icons),
//! so that an end-to-end test can read Tributary's tray menus and click them as a person would: it
//! takes `org.kde.StatusNotifierWatcher` on the session bus, which tray icons register with, and reads
//! each icon and its menu over DBusMenu.
//!
//! It answers one JSON line on stdout per command line on stdin, and ends at the end of stdin:
//! - `items` → `{"items": [{service, path, pid, id, title, status, icon_name, icon_theme_path, tooltip,
//!   menu_path, menu: [{id, label, separator, enabled, visible, checked, children}]}], "errors": [...]}`
//! - `click PID LABEL` → `{"clicked": LABEL, "id": N}` after clicking the entry labelled LABEL in the
//!   menu of the icon owned by process PID, or `{"error": "…"}` (no such icon or entry, or it is
//!   disabled).
//!
//! The first line, once the watcher's name is taken, is `{"ready": true, "watcher": …}`.

mod menu;
mod watcher;

use std::io::{BufRead, Write};
use std::sync::mpsc;
use std::time::Duration;

use dbus::blocking::LocalConnection;
use serde_json::{json, Value};

pub use menu::{Entry, Item};
pub use watcher::WATCHER_NAME;

/// Serves the watcher on the session bus and answers `commands` on `out` until they end.
pub fn run(commands: impl BufRead + Send + 'static, mut out: impl Write) -> Result<(), String> {
    let conn = LocalConnection::new_session().map_err(|e| format!("no session bus: {e}"))?;
    let registered = watcher::serve(&conn).map_err(|e| format!("cannot be the panel: {e}"))?;
    say(&mut out, &json!({ "ready": true, "watcher": WATCHER_NAME }))?;

    let (send, lines) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in commands.lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    loop {
        conn.process(Duration::from_millis(50))
            .map_err(|e| format!("the session bus: {e}"))?;
        match lines.try_recv() {
            Ok(line) => {
                let answer = command(&conn, &registered, line.trim());
                say(&mut out, &answer)?;
            }
            Err(mpsc::TryRecvError::Empty) => {}
            Err(mpsc::TryRecvError::Disconnected) => return Ok(()),
        }
    }
}

fn command(conn: &LocalConnection, registered: &watcher::Items, line: &str) -> Value {
    let mut words = line.splitn(3, ' ');
    match (words.next(), words.next(), words.next()) {
        (Some("items"), None, None) => {
            let (items, errors) = read_all(conn, registered);
            json!({ "items": items, "errors": errors })
        }
        (Some("click"), Some(pid), Some(label)) => {
            let Ok(pid) = pid.parse::<u32>() else {
                return json!({ "error": format!("click: {pid} is not a process id") });
            };
            let (items, errors) = read_all(conn, registered);
            let Some(item) = items.iter().find(|i| i.pid == Some(pid)) else {
                return json!({ "error": format!("no tray icon of process {pid} (errors: {errors:?})") });
            };
            match menu::click(conn, item, label) {
                Ok(id) => json!({ "clicked": label, "id": id }),
                Err(e) => json!({ "error": e }),
            }
        }
        _ => json!({ "error": format!("unknown command {line:?}: items, or click PID LABEL") }),
    }
}

/// Every registered icon as the panel reads it now, and why any could not be read.
fn read_all(conn: &LocalConnection, registered: &watcher::Items) -> (Vec<Item>, Vec<String>) {
    let snapshot = registered.borrow().clone();
    let (items, errors): (Vec<_>, Vec<_>) = snapshot
        .iter()
        .map(|r| menu::read(conn, r))
        .partition(Result::is_ok);
    (
        items.into_iter().filter_map(Result::ok).collect(),
        errors.into_iter().filter_map(Result::err).collect(),
    )
}

fn say(out: &mut impl Write, value: &Value) -> Result<(), String> {
    writeln!(out, "{value}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))
}
