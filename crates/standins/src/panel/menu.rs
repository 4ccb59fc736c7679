//! What a panel shows of a registered tray icon, read as a panel reads it: the item's properties
//! (`org.kde.StatusNotifierItem`), the process that owns it, and its menu through DBusMenu
//! (`com.canonical.dbusmenu`: `GetLayout` for the items, `Event "clicked"` to click one).

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dbus::arg::{PropMap, RefArg, Variant};
use dbus::blocking::LocalConnection;
use serde::Serialize;

use super::watcher::Registered;

const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
const MENU_INTERFACE: &str = "com.canonical.dbusmenu";
const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// A tray icon as the panel shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub service: String,
    pub path: String,
    /// The process that owns the icon (the bus says which).
    pub pid: Option<u32>,
    pub id: String,
    pub title: String,
    pub status: String,
    /// `IconName`: a theme name or, from libappindicator, the file it wrote the icon to.
    pub icon_name: String,
    pub icon_theme_path: String,
    pub tooltip: String,
    /// The object path of its DBusMenu (`Menu`), if it has one.
    pub menu_path: Option<String>,
    pub menu: Vec<Entry>,
}

/// One line of a tray menu. Separators have no label; a check item has `checked`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: i32,
    pub label: String,
    pub separator: bool,
    pub enabled: bool,
    pub visible: bool,
    pub checked: Option<bool>,
    pub children: Vec<Entry>,
}

/// Reads one registered icon and its menu; one that cannot be read says why in the error.
pub fn read(conn: &LocalConnection, registered: &Registered) -> Result<Item, String> {
    let item = conn.with_proxy(
        registered.service.as_str(),
        registered.path.as_str(),
        CALL_TIMEOUT,
    );
    let (props,): (PropMap,) = item
        .method_call(
            "org.freedesktop.DBus.Properties",
            "GetAll",
            (ITEM_INTERFACE,),
        )
        .map_err(|e| format!("{}{}: GetAll: {e}", registered.service, registered.path))?;
    let text = |name: &str| {
        props
            .get(name)
            .and_then(|v| v.0.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let bus = conn.with_proxy(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        CALL_TIMEOUT,
    );
    let pid = bus
        .method_call::<(u32,), _, _, _>(
            "org.freedesktop.DBus",
            "GetConnectionUnixProcessID",
            (registered.service.as_str(),),
        )
        .ok()
        .map(|(pid,)| pid);
    let menu_path = props
        .get("Menu")
        .and_then(|v| v.0.as_str())
        .map(str::to_string);
    let menu_path = menu_path.filter(|path| path != "/");
    let menu = match &menu_path {
        Some(path) => layout(conn, &registered.service, path)?,
        None => Vec::new(),
    };
    Ok(Item {
        service: registered.service.clone(),
        path: registered.path.clone(),
        pid,
        id: text("Id"),
        title: text("Title"),
        status: text("Status"),
        icon_name: text("IconName"),
        icon_theme_path: text("IconThemePath"),
        tooltip: props.get("ToolTip").map(tooltip_title).unwrap_or_default(),
        menu_path,
        menu,
    })
}

/// `ToolTip` is `(icon name, icon pixmaps, title, description)`; the title is what shows.
fn tooltip_title(value: &Variant<Box<dyn RefArg>>) -> String {
    value
        .0
        .as_iter()
        .and_then(|mut fields| fields.nth(2))
        .and_then(|title| title.as_str())
        .unwrap_or_default()
        .to_string()
}

fn menu_proxy<'a>(
    conn: &'a LocalConnection,
    service: &'a str,
    path: &'a str,
) -> dbus::blocking::Proxy<'a, &'a LocalConnection> {
    conn.with_proxy(service, path, CALL_TIMEOUT)
}

/// The whole menu under the root, in order.
fn layout(conn: &LocalConnection, service: &str, path: &str) -> Result<Vec<Entry>, String> {
    let menu = menu_proxy(conn, service, path);
    // A menu is built when it is about to show; a panel asks first.
    let _: Result<(bool,), _> = menu.method_call(MENU_INTERFACE, "AboutToShow", (0i32,));
    type Layout = (i32, PropMap, Vec<Variant<Box<dyn RefArg>>>);
    let (_revision, (_root, _props, children)): (u32, Layout) = menu
        .method_call(
            MENU_INTERFACE,
            "GetLayout",
            (0i32, -1i32, Vec::<String>::new()),
        )
        .map_err(|e| format!("{service}{path}: GetLayout: {e}"))?;
    Ok(children.iter().filter_map(|c| entry(&*c.0)).collect())
}

/// One `(ia{sv}av)` of the layout, and what is under it.
fn entry(node: &dyn RefArg) -> Option<Entry> {
    // A child arrives as a variant around the struct.
    let node = match node.signature().to_string().as_str() {
        "v" => node.as_iter()?.next()?,
        _ => node,
    };
    let mut fields = node.as_iter()?;
    let id = fields.next()?.as_i64()? as i32;
    let props = properties(fields.next()?);
    let children = fields
        .next()
        .and_then(|c| c.as_iter())
        .map(|c| c.filter_map(entry).collect())
        .unwrap_or_default();
    let text = |name: &str| props.get(name).and_then(|v| v.as_str().map(str::to_string));
    let flag = |name: &str| props.get(name).and_then(|v| v.as_i64()).map(|v| v != 0);
    let checked = match text("toggle-type").as_deref() {
        Some("checkmark") | Some("radio") => {
            Some(props.get("toggle-state").and_then(|v| v.as_i64()) == Some(1))
        }
        _ => None,
    };
    Some(Entry {
        id,
        // Mnemonics are marked with `_` (and a literal one doubled).
        label: text("label")
            .unwrap_or_default()
            .replace("__", "\u{0}")
            .replace('_', "")
            .replace('\u{0}', "_"),
        separator: text("type").as_deref() == Some("separator"),
        enabled: flag("enabled").unwrap_or(true),
        visible: flag("visible").unwrap_or(true),
        checked,
        children,
    })
}

/// An `a{sv}` as name → value; the values stay variants (their `as_str`/`as_i64` see through).
fn properties(dict: &dyn RefArg) -> HashMap<String, &dyn RefArg> {
    let mut out = HashMap::new();
    let Some(mut items) = dict.as_iter() else {
        return out;
    };
    while let (Some(key), Some(value)) = (items.next(), items.next()) {
        if let Some(key) = key.as_str() {
            out.insert(key.to_string(), value);
        }
    }
    out
}

/// Clicks the enabled, visible entry labelled `label` in `item`'s menu, as a panel does.
pub fn click(conn: &LocalConnection, item: &Item, label: &str) -> Result<i32, String> {
    let found = find(&item.menu, label)
        .ok_or_else(|| format!("no \"{label}\" in the menu of {}", item.service))?;
    if !found.enabled || !found.visible {
        return Err(format!(
            "\"{label}\" is disabled in the menu of {}",
            item.service
        ));
    }
    let path = item
        .menu_path
        .as_deref()
        .ok_or_else(|| format!("{} has no menu", item.service))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as u32)
        .unwrap_or(0);
    let data: Variant<Box<dyn RefArg>> = Variant(Box::new(0i32));
    menu_proxy(conn, &item.service, path)
        .method_call::<(), _, _, _>(MENU_INTERFACE, "Event", (found.id, "clicked", data, now))
        .map_err(|e| format!("{}: Event clicked on \"{label}\": {e}", item.service))?;
    Ok(found.id)
}

fn find<'a>(entries: &'a [Entry], label: &str) -> Option<&'a Entry> {
    entries.iter().find_map(|e| {
        (e.label == label && !e.separator)
            .then_some(e)
            .or_else(|| find(&e.children, label))
    })
}
