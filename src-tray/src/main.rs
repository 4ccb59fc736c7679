//! `tributary-tray`: what stays of Tributary after its window is closed to the tray, or when it starts
//! at login. A GTK main loop with the tray icon and its menu, a status line and icon refreshed when the
//! ledger changes (and each minute), the connections' alerts as desktop notifications, and the scheduler (`engine/src/scheduler.rs`) on a thread of its own, so that connections
//! keep syncing on their schedules after the window closes. No WebKit, no GL, so that it sits in the
//! tray in a few megabytes. "Open Tributary" starts the app (which takes the icon and the syncs over)
//! and ends this process; so do Quit and SIGTERM, each stopping a sync between pages first.

mod alerts;
mod icon;
mod menu;

use std::time::{Duration, Instant};
use tray_icon::{TrayIcon, TrayIconBuilder};
use tributary_engine::{
    acquire_tray_lock_within, data_dir_from_env, tray_status_of, ChangeProbe, HealthLevel,
    SchedulerHost, SchedulerThread, UtcInstant, LEDGER_FILE_NAME,
};

/// How often the ledger's change probe is read (one pragma): idle cost is nil.
const POLL: Duration = Duration::from_secs(2);
/// The status is read again this often with no change: "stale" and "rate-limited until" change
/// with the clock.
const STATUS_EVERY: Duration = Duration::from_secs(60);

/// What the last refresh saw: the ledger's version, when, and the icon's level.
struct Seen {
    probe: ChangeProbe,
    version: i64,
    at: Instant,
    level: HealthLevel,
}

fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    if let Err(e) = run() {
        eprintln!("tributary-tray: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let data_dir = data_dir_from_env().map_err(|e| e.to_string())?;
    // The app lets go of the icon just before it starts this process; give it a moment.
    let locked = acquire_tray_lock_within(&data_dir, Duration::from_secs(2));
    let Some(_lock) = locked.map_err(|e| format!("{}: {e}", data_dir.display()))? else {
        tracing::info!(
            "the icon for {} is shown by another process; leaving it",
            data_dir.display()
        );
        return Ok(());
    };
    // A tray menu needs no OpenGL; without this GTK loads the GL driver (and LLVM, with Mesa's software
    // renderer) at start only to pick visuals: tens of megabytes for nothing. Set before GTK starts and
    // before any other thread exists.
    std::env::set_var("GDK_GL", "disable");
    gtk::init().map_err(|e| format!("no display for the tray: {e}"))?;

    // The tick is set from the ledger on the first refresh below.
    let tray_menu = menu::build(false).map_err(|e| e.to_string())?;
    let tray = TrayIconBuilder::new()
        .with_menu(Box::new(tray_menu.menu.clone()))
        .with_tooltip("Tributary")
        .with_icon(icon::icon_for(HealthLevel::Normal)?)
        .build()
        .map_err(|e| format!("no tray icon: {e}"))?;
    // The syncs on a thread of their own: the menu stays responsive while one runs.
    let mut scheduler = SchedulerThread::spawn(&data_dir, SchedulerHost::Tray)
        .map_err(|e| format!("could not start the scheduler: {e}"))?;
    let acting = menu::Acting {
        data_dir: data_dir.clone(),
        scheduler: scheduler.waker(),
    };
    menu::listen(tray_menu, acting);

    let mut seen: Option<Seen> = None;
    let mut alerts = alerts::Alerts::default();
    refresh(&data_dir, &mut seen, &tray, &mut alerts);
    glib::timeout_add_local(POLL, move || {
        refresh(&data_dir, &mut seen, &tray, &mut alerts);
        glib::ControlFlow::Continue
    });
    glib::unix_signal_add_local(libc::SIGTERM, || {
        gtk::main_quit();
        glib::ControlFlow::Break
    });
    gtk::main();
    // Between pages, or giving up the page being read: a few seconds at most.
    scheduler.stop(Duration::from_secs(3));
    Ok(())
}

/// Updates the status line, "Sync now" and the icon, and tells the alerts owed, when the ledger
/// changed since the last look, a minute has passed, or the first time.
fn refresh(
    data_dir: &std::path::Path,
    seen: &mut Option<Seen>,
    tray: &TrayIcon,
    alerts: &mut alerts::Alerts,
) {
    if seen.is_none() {
        let probe = ChangeProbe::open(&data_dir.join(LEDGER_FILE_NAME)).ok();
        *seen = probe.map(|probe| Seen {
            probe,
            version: i64::MIN,
            at: Instant::now(),
            level: HealthLevel::Normal,
        });
    }
    let Some(last) = seen else {
        return;
    };
    let Ok(version) = last.probe.version() else {
        *seen = None;
        return;
    };
    if version == last.version && last.at.elapsed() < STATUS_EVERY {
        return;
    }
    (last.version, last.at) = (version, Instant::now());
    let status = tray_status_of(&last.probe, UtcInstant::now());
    let paused = last.probe.syncing_paused().unwrap_or(false);
    menu::with_menu(|menu| {
        menu.status.set_text(&status.line);
        menu.sync_now.set_enabled(status.can_sync);
        if menu.pause.is_checked() != paused {
            menu.pause.set_checked(paused);
        }
    });
    if status.level != last.level {
        match icon::icon_for(status.level) {
            Ok(icon) => {
                if let Err(e) = tray.set_icon(Some(icon)) {
                    tracing::warn!("could not change the tray icon: {e}");
                }
            }
            Err(e) => tracing::warn!("no tray icon: {e}"),
        }
        last.level = status.level;
    }
    alerts.tell(data_dir);
}
