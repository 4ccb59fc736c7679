//! The desktop panel's side of the StatusNotifierItem protocol: `org.kde.StatusNotifierWatcher` at
//! `/StatusNotifierWatcher`, which tray icons (libayatana-appindicator, under both of Tributary's
//! trays) register with, and a registered host, without which they fall back to an XEmbed icon no one
//! can see under Xvfb. Items are dropped when their owner leaves the bus.

use std::cell::RefCell;
use std::rc::Rc;

use dbus::arg::{RefArg, Variant};
use dbus::blocking::LocalConnection;
use dbus::channel::{MatchingReceiver, Sender};
use dbus::message::MatchRule;
use dbus::Message;

pub const WATCHER_NAME: &str = "org.kde.StatusNotifierWatcher";
const WATCHER_PATH: &str = "/StatusNotifierWatcher";
const WATCHER_INTERFACE: &str = "org.kde.StatusNotifierWatcher";
const PROPERTIES: &str = "org.freedesktop.DBus.Properties";
const INTROSPECTABLE: &str = "org.freedesktop.DBus.Introspectable";
/// An item that registers with only a bus name lives here.
const DEFAULT_ITEM_PATH: &str = "/StatusNotifierItem";

/// A registered tray icon: the bus name that owns it and its object path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    pub service: String,
    pub path: String,
}

impl Registered {
    /// What the protocol's `RegisteredStatusNotifierItems` lists: `service` + `path`.
    fn listed(&self) -> String {
        format!("{}{}", self.service, self.path)
    }
}

pub type Items = Rc<RefCell<Vec<Registered>>>;

/// Takes the watcher's name on `conn` and answers its calls; the returned list follows registrations
/// and departures while `conn` is processed.
pub fn serve(conn: &LocalConnection) -> Result<Items, dbus::Error> {
    let items: Items = Rc::default();
    let answering = items.clone();
    conn.start_receive(
        MatchRule::new_method_call(),
        Box::new(move |call, conn| {
            let reply = answer(&call, &answering, conn);
            let _ = conn.send(reply);
            true
        }),
    );
    let leaving = items.clone();
    conn.add_match(
        MatchRule::new_signal("org.freedesktop.DBus", "NameOwnerChanged"),
        move |(name, _old, new): (String, String, String), _: &LocalConnection, _: &Message| {
            if new.is_empty() {
                leaving.borrow_mut().retain(|item| item.service != name);
            }
            true
        },
    )?;
    // Taken after the handlers exist: an icon may register the moment the name appears.
    conn.request_name(WATCHER_NAME, false, true, true)?;
    conn.request_name(
        format!("org.kde.StatusNotifierHost-{}", std::process::id()),
        false,
        true,
        true,
    )?;
    Ok(items)
}

fn answer(call: &Message, items: &Items, conn: &LocalConnection) -> Message {
    let path = call.path().map(|p| p.to_string()).unwrap_or_default();
    let interface = call.interface().map(|i| i.to_string()).unwrap_or_default();
    let member = call.member().map(|m| m.to_string()).unwrap_or_default();
    if path != WATCHER_PATH {
        return unknown(call, &format!("no object at {path}"));
    }
    match (interface.as_str(), member.as_str()) {
        (WATCHER_INTERFACE, "RegisterStatusNotifierItem") => {
            let Ok(named) = call.read1::<String>() else {
                return invalid(call, "RegisterStatusNotifierItem takes a string");
            };
            let sender = call.sender().map(|s| s.to_string()).unwrap_or_default();
            // libappindicator sends its object path; others their bus name.
            let item = match named.starts_with('/') {
                true => Registered {
                    service: sender,
                    path: named,
                },
                false => Registered {
                    service: named,
                    path: DEFAULT_ITEM_PATH.to_string(),
                },
            };
            let listed = item.listed();
            {
                let mut items = items.borrow_mut();
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            if let Ok(signal) = Message::new_signal(
                WATCHER_PATH,
                WATCHER_INTERFACE,
                "StatusNotifierItemRegistered",
            ) {
                let _ = conn.send(signal.append1(listed));
            }
            call.method_return()
        }
        (WATCHER_INTERFACE, "RegisterStatusNotifierHost") => call.method_return(),
        (PROPERTIES, "Get") => match call.read2::<String, String>() {
            Ok((_, name)) => match property(&name, items) {
                Some(value) => call.method_return().append1(Variant(value)),
                None => invalid(call, &format!("no property {name}")),
            },
            Err(_) => invalid(call, "Get takes an interface and a property name"),
        },
        (PROPERTIES, "GetAll") => {
            let all: std::collections::HashMap<String, Variant<Box<dyn RefArg>>> = [
                "RegisteredStatusNotifierItems",
                "IsStatusNotifierHostRegistered",
                "ProtocolVersion",
            ]
            .into_iter()
            .filter_map(|name| Some((name.to_string(), Variant(property(name, items)?))))
            .collect();
            call.method_return().append1(all)
        }
        (INTROSPECTABLE, "Introspect") => call.method_return().append1(INTROSPECTION),
        _ => unknown(call, &format!("no method {interface}.{member}")),
    }
}

fn property(name: &str, items: &Items) -> Option<Box<dyn RefArg>> {
    match name {
        "RegisteredStatusNotifierItems" => Some(Box::new(
            items
                .borrow()
                .iter()
                .map(Registered::listed)
                .collect::<Vec<_>>(),
        )),
        "IsStatusNotifierHostRegistered" => Some(Box::new(true)),
        "ProtocolVersion" => Some(Box::new(0i32)),
        _ => None,
    }
}

fn unknown(call: &Message, why: &str) -> Message {
    error(call, "org.freedesktop.DBus.Error.UnknownMethod", why)
}

fn invalid(call: &Message, why: &str) -> Message {
    error(call, "org.freedesktop.DBus.Error.InvalidArgs", why)
}

fn error(call: &Message, name: &str, why: &str) -> Message {
    let why = std::ffi::CString::new(why.replace('\0', " ")).unwrap_or_default();
    call.error(&name.into(), &why)
}

const INTROSPECTION: &str = r#"<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
  </interface>
</node>"#;
