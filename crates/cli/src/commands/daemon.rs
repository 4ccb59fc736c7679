//! `tributary daemon [--once]`: runs the scheduled syncs of a data folder on a machine without a
//! desktop (or beside one: whichever of the app, the tray process and the daemons holds the lease
//! runs them, the others wait). One line per run on stdout; SIGTERM or Ctrl-C gives up the page being
//! read (the whole pages before it are kept), lets the leases go and exits 0.

use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;
use tributary_engine::{
    stop_on_termination, AfterFailure, FailureClass, Scheduler, SchedulerEvent, SchedulerHost,
    SyncReport, UtcInstant,
};

pub fn run(dir: &Path, once: bool) -> Result<ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let stop = stop_on_termination().context("could not listen for SIGTERM and Ctrl-C")?;
    println!(
        "tributary daemon: syncing {} on schedule (process {}); stop with Ctrl-C or SIGTERM",
        dir.display(),
        std::process::id()
    );
    let mut scheduler = Scheduler::new(dir, SchedulerHost::Daemon);
    let mut failed = false;
    let mut say = |event: &SchedulerEvent| {
        if let Some(line) = line(event) {
            println!("{} {line}", stamp(UtcInstant::now()));
        }
        failed |= match event {
            SchedulerEvent::Refused { .. } => true,
            SchedulerEvent::Synced { report, .. } => report.failure.is_some(),
            _ => false,
        };
    };
    if once {
        let ticked = scheduler.tick(&stop, &mut say);
        scheduler.release()?;
        ticked?;
    } else {
        scheduler.run(&stop, &mut say);
        println!("tributary daemon: stopped");
    }
    Ok(match once && failed {
        true => ExitCode::FAILURE,
        false => ExitCode::SUCCESS,
    })
}

/// `2026-12-05T00:41:07Z`: to the second.
fn stamp(at: UtcInstant) -> String {
    let text = at.to_rfc3339();
    format!("{}Z", text.get(..19).unwrap_or(&text))
}

fn line(event: &SchedulerEvent) -> Option<String> {
    Some(match event {
        SchedulerEvent::Running => "this process runs the syncs".to_string(),
        SchedulerEvent::Watching(runner) => format!(
            "the syncs are run by the tributary {} ({}); waiting to take over",
            runner.host, runner.owner
        ),
        SchedulerEvent::Started { .. } => return None,
        SchedulerEvent::Synced {
            report,
            duration,
            after,
        } => {
            let took = format!("{:.1} s", duration.as_secs_f64());
            match (&report.failure, report.stopped) {
                (_, true) => format!(
                    "{}: stopped after {} pages ({took}); the next sync goes on from there",
                    report.connection, report.pages
                ),
                (None, false) => format!("{}: {}; {took}", report.connection, counts(report)),
                (Some(f), false) => format!(
                    "{}: failed after {} pages ({took}): {} {}",
                    report.connection,
                    report.pages,
                    f.message,
                    next(*after, f.class, &report.platform)
                ),
            }
        }
        SchedulerEvent::PausedItself {
            connection,
            failures,
        } => format!(
            "{connection}: paused itself after {failures} failed syncs in a row; \
             see tributary health, then tributary connections resume {connection}"
        ),
        SchedulerEvent::Emailed {
            subject,
            error: None,
            ..
        } => format!("emailed \"{subject}\""),
        SchedulerEvent::Emailed {
            subject,
            error: Some(e),
            after,
        } => format!(
            "could not email \"{subject}\": {e} {}",
            match after {
                Some(AfterFailure::Retry(at)) => format!("(retrying at {})", stamp(*at)),
                _ => "(not retried: check tributary alerts, then tributary jobs retry ID)".into(),
            }
        ),
        SchedulerEvent::Refused {
            connection,
            message,
            after,
        } => format!(
            "{connection}: could not sync: {message} {}",
            next(Some(*after), FailureClass::Transient, "")
        ),
    })
}

fn counts(r: &SyncReport) -> String {
    format!(
        "{} pages, {} new, {} updated, {} already there, {} refused; {} requests, {} retries",
        r.pages, r.inserted, r.updated, r.duplicates, r.rejected, r.requests, r.retries
    )
}

/// What happens next, in words.
fn next(after: Option<AfterFailure>, class: FailureClass, platform: &str) -> String {
    match (after, class) {
        (_, FailureClass::Authentication) => format!(
            "(not retried: reconnect it with tributary connect {platform}; its history is kept)"
        ),
        (_, FailureClass::Configuration) => {
            "(not retried: check the key's permissions on the platform, then connect again)".into()
        }
        (Some(AfterFailure::Retry(at)), _) => format!("(retrying at {})", stamp(at)),
        (Some(AfterFailure::Dead) | None, _) => {
            "(gave up for now: it syncs again at its next interval; tributary jobs shows it)".into()
        }
    }
}
