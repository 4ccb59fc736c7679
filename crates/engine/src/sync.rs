//! Syncing one connection: the one place where the ledger, a connector and the secret store meet. The
//! connector hands pages of events and a cursor; each page goes through the write loop every import
//! uses and commits in its own transaction with the cursor, so a sync that stops (a fault, a crash, a
//! Ctrl-C) keeps every whole page and resumes after the last. Every run is recorded with its requests
//! and, when it fails, its failure's class — what the schedules and the health view build on.

use crate::connections::runtime;
use crate::error::EngineError;
use crate::workspace::Workspace;
use crate::write_loop::{write_rows, Page, Row, Stopped};
use std::time::Duration;
use tributary_connectors::oauth::CancellationToken;
use tributary_connectors::{connector_for, ConnectorError, SyncOptions};
use tributary_http::RequestRecord;
use tributary_ledger::{Figures, RequestRow, RowError, RunFailure, SyncRunRecord};
use tributary_model::{FailureClass, UtcInstant};

/// How long a run holds its connection's lease past its last page: another process may take over a
/// run whose process has been silent this long.
const LEASE: Duration = Duration::from_secs(10 * 60);

#[derive(Clone, Debug, Default)]
pub struct SyncRequest {
    /// Read everything the platform has, not only what changed since the last run.
    pub full: bool,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
    /// Days a later sync re-reads; `None`: the connection's own.
    pub lookback_days: Option<u32>,
    /// Cancelled when the process is stopping (SIGTERM, Ctrl-C, Quit): the page being read is given
    /// up, the whole pages before it are kept, and the run ends interrupted — not failed.
    pub stop: CancellationToken,
}

/// How far a sync has come: after each page.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncProgress {
    pub connection: String,
    pub pages: u64,
    /// Events the pages held so far (new, changed or already there).
    pub events: u64,
    /// The last page's label ("orders page 3").
    pub page: String,
}

/// Why a sync stopped short, as the run records it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncFailure {
    pub class: FailureClass,
    /// The engine's error code for it (`platform_refused_credential`…), for the window's words.
    pub code: crate::ErrorCode,
    pub request: Option<String>,
    pub message: String,
    pub retry_after_ms: Option<u64>,
}

/// What syncing one connection did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    pub connection: String,
    pub platform: String,
    /// The run that holds the rows; none for a dry run.
    pub run_id: Option<i64>,
    pub dry_run: bool,
    pub pages: u64,
    pub inserted: u64,
    pub updated: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub requests: u64,
    pub retries: u64,
    /// What the sync added (or, for a dry run, would add) to the figures, per currency.
    pub added: Vec<Figures>,
    pub errors: Vec<RowError>,
    /// Set when the sync stopped before the end; what came before it is kept.
    pub failure: Option<SyncFailure>,
    /// The process was stopping: the sync gave up between pages (not a failure; the next goes on).
    pub stopped: bool,
}

fn request_rows(records: Vec<RequestRecord>) -> Vec<RequestRow> {
    records
        .into_iter()
        .map(|r| RequestRow {
            method: r.method,
            target: r.target,
            status: r.status,
            duration_ms: u64::try_from(r.duration.as_millis()).unwrap_or(u64::MAX),
            retries: r.retries,
        })
        .collect()
}

pub(crate) fn failure_of(e: &ConnectorError) -> SyncFailure {
    SyncFailure {
        class: e.class,
        code: EngineError::Connector(e.clone()).error_code(),
        request: e.request.clone(),
        message: e.to_string(),
        retry_after_ms: e
            .retry_after
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
    }
}

pub(crate) fn lease_until() -> UtcInstant {
    UtcInstant::from_millis(UtcInstant::now().millis() + LEASE.as_millis() as i64)
}

/// Who holds a lease, in the words another process shows ("tributary process 4242").
pub(crate) fn owner() -> String {
    format!("tributary process {}", std::process::id())
}

/// Whether the process a lease names ("tributary process 4242") is gone from this machine. A process
/// that exists, or that this one may not signal, is taken to be alive: the safe side is to wait.
pub(crate) fn holder_is_gone(holder: &str) -> bool {
    let Some(pid) = holder
        .strip_prefix("tributary process ")
        .and_then(|p| p.parse::<i32>().ok())
        .filter(|p| *p > 0)
    else {
        return false;
    };
    // SAFETY: kill(2) with signal 0 sends nothing; it only says whether the process exists.
    let answer = unsafe { libc::kill(pid, 0) };
    answer != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

impl Workspace {
    /// Syncs the connection called `name`. A platform's failure is not an `Err`: the report carries
    /// it (and the run records it) with what came before it kept. `Err` is for what stops a sync from
    /// starting or writing: no such connection, no credential, the ledger.
    pub fn sync(&mut self, name: &str, request: &SyncRequest) -> Result<SyncReport, EngineError> {
        self.sync_with_progress(name, request, &mut |_| {})
    }

    /// `sync`, telling `progress` after every page (written, or read in a dry run): a terminal's
    /// progress line, the window's live count.
    pub fn sync_with_progress(
        &mut self,
        name: &str,
        request: &SyncRequest,
        progress: &mut dyn FnMut(&SyncProgress),
    ) -> Result<SyncReport, EngineError> {
        let record = self.ledger.find_connection(name)?;
        let saved = self.credential_of(&record)?;
        let mut credential = saved.bearer();
        let connector = connector_for(&record.platform)?;
        let rt = runtime()?;
        let options = SyncOptions {
            account: record.account.clone(),
            full: request.full,
            lookback_days: request.lookback_days.unwrap_or(record.lookback_days),
        };
        let mut report = SyncReport {
            connection: record.name.clone(),
            platform: record.platform.clone(),
            run_id: None,
            dry_run: request.dry_run,
            pages: 0,
            inserted: 0,
            updated: 0,
            duplicates: 0,
            rejected: 0,
            requests: 0,
            retries: 0,
            added: Vec::new(),
            errors: Vec::new(),
            failure: None,
            stopped: false,
        };
        let what = format!("syncing {}", record.name);
        let mut so_far = SyncProgress {
            connection: record.name.clone(),
            pages: 0,
            events: 0,
            page: String::new(),
        };
        let mut tell = |page: &tributary_connectors::Page| {
            so_far.pages += 1;
            so_far.events += page.events.len() as u64;
            so_far.page.clone_from(&page.label);
            progress(&so_far);
        };

        if request.dry_run {
            // A dry run writes nothing, but an expiring sign-in is renewed all the same, under the
            // connection's lease for that moment: a later sync would renew it anyway.
            if let Some(tokens) = saved.needs_refresh() {
                let owner = owner();
                self.ledger
                    .take_connection_lease(record.id, &owner, lease_until())?;
                let renewed = self.refresh_oauth(&record, tokens);
                self.ledger.release_connection_lease(record.id, &owner)?;
                credential = renewed?.bearer();
            }
            let mut cursor = match request.full {
                true => None,
                false => self.ledger.connection_cursor(record.id)?,
            };
            let mut writer = self.ledger.begin_sync_preview(record.id, &what)?;
            loop {
                let fetched = rt.block_on(unless_stopped(
                    &request.stop,
                    connector.fetch(&credential, cursor.as_deref(), &options),
                ));
                let page = match fetched {
                    Some(Ok(page)) => page,
                    Some(Err(e)) => {
                        report.failure = Some(failure_of(&e));
                        break;
                    }
                    None => {
                        report.stopped = true;
                        break;
                    }
                };
                report.pages += 1;
                let mut sink = Page {
                    writer: &mut writer,
                    label: &page.label,
                };
                let rows = page.events.iter().map(Row::Event);
                if let Err(e) = write_rows(&mut sink, rows, false, &mut report.errors) {
                    return Err(e.into_engine());
                }
                tell(&page);
                cursor = Some(page.cursor);
                if page.done {
                    break;
                }
            }
            report.rejected = report.errors.len() as u64;
            let (counts, added) = writer.preview()?;
            (report.inserted, report.updated, report.duplicates) =
                (counts.inserted, counts.updated, counts.duplicates);
            report.added = added;
            count_requests(&mut report, &request_rows(connector.take_records()));
            return Ok(report);
        }

        let owner = owner();
        let start = match self
            .ledger
            .start_sync_run(record.id, request.full, &owner, lease_until())
        {
            // A sync killed on this machine leaves its lease; its process being gone, take over.
            Err(tributary_ledger::LedgerError::ConnectionBusy { holder, .. })
                if holder_is_gone(&holder) =>
            {
                self.ledger.release_connection_lease(record.id, &holder)?;
                self.ledger
                    .start_sync_run(record.id, request.full, &owner, lease_until())?
            }
            other => other?,
        };
        report.run_id = Some(start.run_id);
        let mut cursor = start.cursor;
        // An OAuth sign-in is renewed by the run holding the lease: ahead of its expiry, and once
        // when the platform refuses its access token anyway.
        let mut oauth = saved.oauth().cloned();
        let mut renewed = false;
        let mut early_failure = None;
        if let Some(tokens) = saved.needs_refresh() {
            renewed = true;
            match self.refresh_oauth(&record, tokens) {
                Ok(fresh) => {
                    credential = fresh.bearer();
                    oauth = fresh.oauth().cloned();
                }
                Err(e) => early_failure = Some(e),
            }
        }
        let failure = loop {
            if let Some(e) = early_failure.take() {
                break Some(e);
            }
            let fetched = rt.block_on(unless_stopped(
                &request.stop,
                connector.fetch(&credential, cursor.as_deref(), &options),
            ));
            let Some(fetched) = fetched else {
                report.stopped = true;
                break None;
            };
            let page = match fetched {
                Ok(page) => page,
                Err(e) if e.class == FailureClass::Authentication && !renewed => {
                    let Some(tokens) = oauth.as_ref() else {
                        break Some(e);
                    };
                    renewed = true;
                    match self.refresh_oauth(&record, tokens) {
                        Ok(fresh) => {
                            credential = fresh.bearer();
                            oauth = fresh.oauth().cloned();
                            continue;
                        }
                        Err(refused) => break Some(refused),
                    }
                }
                Err(e) => break Some(e),
            };
            let requests = request_rows(connector.take_records());
            let written = write_page(
                &mut self.ledger,
                start.run_id,
                &what,
                &page,
                &requests,
                &mut report.errors,
            );
            if let Err(e) = written {
                return Err(self.abandon(start.run_id, &owner, e));
            }
            tell(&page);
            cursor = Some(page.cursor);
            if page.done {
                break None;
            }
        };
        let failed_requests = request_rows(connector.take_records());
        if report.stopped {
            let run = self
                .ledger
                .interrupt_sync_run(start.run_id, &owner, &failed_requests)?;
            fill_from_run(&mut report, &run);
            return Ok(report);
        }
        report.failure = failure.as_ref().map(failure_of);
        let run_failure = report.failure.as_ref().map(|f| RunFailure {
            class: f.class,
            request: f.request.clone(),
            message: f.message.clone(),
            retry_after_ms: f.retry_after_ms,
        });
        let run = self.ledger.finish_sync_run(
            start.run_id,
            &owner,
            &failed_requests,
            run_failure.as_ref(),
        )?;
        // The run keeps the whole sentence (request and page); the connection's state says only why,
        // which is what the window shows beside "Reconnect".
        if let Some(e) = failure
            .as_ref()
            .filter(|e| e.class == FailureClass::Authentication)
        {
            self.ledger
                .set_connection_state(record.id, "needs_reconnect", Some(&e.reason))?;
        }
        fill_from_run(&mut report, &run);
        Ok(report)
    }

    /// Ends a run the ledger stopped (a full disk), keeping its whole pages, and names the ledger.
    fn abandon(&mut self, run: i64, owner: &str, error: EngineError) -> EngineError {
        let error = error.naming_storage(&self.ledger_path(), None);
        let failure = RunFailure {
            class: FailureClass::Transient,
            request: None,
            message: error.to_string(),
            retry_after_ms: None,
        };
        // The ledger may refuse this too (the disk is still full); the first error is the one to say.
        let _ = self.ledger.finish_sync_run(run, owner, &[], Some(&failure));
        error
    }

    /// A connection's runs, newest first.
    pub fn sync_runs(&self, name: &str, limit: u32) -> Result<Vec<SyncRunRecord>, EngineError> {
        let record = self.ledger.find_connection(name)?;
        Ok(self.ledger.sync_runs(record.id, limit)?)
    }

    /// Takes exactly run `id`'s rows out of the ledger, keeping what a file or another run also has.
    pub fn undo_sync_run(
        &mut self,
        id: i64,
    ) -> Result<tributary_ledger::SyncUndoReport, EngineError> {
        Ok(self.ledger.undo_sync_run(id)?)
    }
}

/// One page in its own transaction: its events through the write loop, then the cursor and the
/// requests it took, all committed together.
fn write_page(
    ledger: &mut tributary_ledger::Ledger,
    run: i64,
    what: &str,
    page: &tributary_connectors::Page,
    requests: &[RequestRow],
    errors: &mut Vec<RowError>,
) -> Result<(), EngineError> {
    let mut writer = ledger.begin_sync_page(run, what)?;
    let mut sink = Page {
        writer: &mut writer,
        label: &page.label,
    };
    write_rows(&mut sink, page.events.iter().map(Row::Event), false, errors)
        .map_err(Stopped::into_engine)?;
    writer.commit(&page.cursor, requests, lease_until())?;
    Ok(())
}

impl Stopped {
    /// A sync writes without `strict`, so only the ledger stops its loop; a strict stop is said as
    /// the refused row.
    fn into_engine(self) -> EngineError {
        match self {
            Stopped::Ledger(e) => e.into(),
            Stopped::Strict(row) => EngineError::Query {
                reason: row.message,
            },
        }
    }
}

/// `work`'s answer, or `None` once `stop` is cancelled (checked first: a stop between pages reads
/// nothing more).
async fn unless_stopped<T>(
    stop: &CancellationToken,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    tokio::select! {
        biased;
        () = stop.cancelled() => None,
        answer = work => Some(answer),
    }
}

fn count_requests(report: &mut SyncReport, rows: &[RequestRow]) {
    report.requests += rows.len() as u64;
    report.retries += rows.iter().map(|r| u64::from(r.retries)).sum::<u64>();
}

fn fill_from_run(report: &mut SyncReport, run: &SyncRunRecord) {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    report.pages = count(run.pages);
    report.inserted = count(run.inserted);
    report.updated = count(run.updated);
    report.duplicates = count(run.duplicates);
    report.rejected = count(run.rejected);
    report.requests = count(run.requests);
    report.retries = count(run.retries);
    report.added = run.added.clone();
}

#[cfg(test)]
mod lease_tests {
    use super::holder_is_gone;

    #[test]
    fn a_lease_of_a_process_that_is_gone_can_be_taken_over() {
        assert!(!holder_is_gone(&super::owner()), "this process is alive");
        // A child that has exited and been reaped: its pid names no process.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(holder_is_gone(&format!("tributary process {pid}")));
        assert!(!holder_is_gone("someone else"));
        assert!(!holder_is_gone("tributary process 0"));
    }
}
