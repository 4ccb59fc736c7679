//! The connections' alerts as desktop notifications from the tray process: what `engine/src/alerts.rs`
//! says is owed (a connection started failing, needs reconnecting, paused itself, syncs again; the
//! new sales scheduled syncs brought in while the window was closed), sent with `notify-rust`, which,
//! unlike the app's plugin, reports a desktop that did not take the notification.

use std::path::Path;
use tributary_engine::{Settings, UtcInstant, Workspace, DESKTOP_ALERTS};

/// The workspace the alerts are read on, opened at the first look.
#[derive(Default)]
pub struct Alerts {
    workspace: Option<Workspace>,
}

impl Alerts {
    /// Notifies what is owed now. The marks move even with notifications off, so that turning them
    /// on later does not replay old news.
    pub fn tell(&mut self, data_dir: &Path) {
        if self.workspace.is_none() {
            match Workspace::open(data_dir) {
                Ok(w) => self.workspace = Some(w),
                Err(e) => {
                    tracing::warn!("could not open the ledger for alerts: {e}");
                    return;
                }
            }
        }
        let Some(workspace) = &mut self.workspace else {
            return;
        };
        let owed = match workspace.take_alerts(DESKTOP_ALERTS, UtcInstant::now(), true) {
            Ok(owed) => owed,
            Err(e) => {
                tracing::warn!("could not read the alerts: {e}");
                self.workspace = None;
                return;
            }
        };
        if owed.is_empty() || !Settings::load(data_dir).is_ok_and(|s| s.notifications) {
            return;
        }
        for alert in owed {
            let shown = notify_rust::Notification::new()
                .appname("Tributary")
                .summary(&alert.title)
                .body(&alert.body)
                .show();
            if let Err(e) = shown {
                tracing::warn!(
                    "the desktop did not take the notification “{}”: {e}",
                    alert.title
                );
            }
        }
    }
}
