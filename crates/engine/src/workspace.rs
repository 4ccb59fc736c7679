//! The workspace: a data folder holding `ledger.sqlite3`. The app and the CLI default to the same folder
//! (the platform's data directory joined with the app identifier, which is where Tauri's app data
//! directory points too), so that both see the same ledger.

use crate::error::EngineError;
use std::path::{Path, PathBuf};
use tributary_ledger::Ledger;
use tributary_model::{Day, Zone};

/// Must equal `identifier` in tauri.conf.json (a test checks it).
pub const APP_IDENTIFIER: &str = "app.tributary.desktop";

pub const LEDGER_FILE_NAME: &str = "ledger.sqlite3";

/// `~/.local/share/app.tributary.desktop` on Linux, `~/Library/Application Support/…` on macOS,
/// `%APPDATA%\…` on Windows.
pub fn default_data_dir() -> Result<PathBuf, EngineError> {
    dirs::data_dir()
        .map(|d| d.join(APP_IDENTIFIER))
        .ok_or(EngineError::NoDefaultDataDir)
}

/// An open data folder and its ledger.
pub struct Workspace {
    dir: PathBuf,
    /// Where saved column mappings live: `mappings/` in the data folder, or another workspace's.
    pub(crate) mappings_dir: PathBuf,
    pub(crate) ledger: Ledger,
}

impl Workspace {
    /// Opens the data folder, creating it and the ledger if needed, and migrating an older ledger.
    pub fn open(dir: &Path) -> Result<Workspace, EngineError> {
        std::fs::create_dir_all(dir).map_err(|e| EngineError::DataDir {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let ledger = Ledger::open(&dir.join(LEDGER_FILE_NAME))?;
        Ok(Workspace {
            dir: dir.to_path_buf(),
            mappings_dir: dir.join(crate::mappings::MAPPINGS_DIR),
            ledger,
        })
    }

    /// Uses the saved mappings of the data folder `home` (the demo workspace keeps the creator's own,
    /// so that a mapping made while looking at the demo outlives it).
    pub fn with_mappings_of(mut self, home: &Path) -> Workspace {
        self.mappings_dir = home.join(crate::mappings::MAPPINGS_DIR);
        self
    }

    /// The time zone whose calendar days the ledger's reports, series and dashboard count in.
    pub fn zone(&self) -> Result<Zone, EngineError> {
        Ok(self.ledger.zone()?)
    }

    /// Counts the ledger's days in `zone` from now on (the system's, the creator's choice): when the
    /// rollups count in another zone, they are rebuilt from the events in this one (a few seconds for a
    /// million events; see docs/benchmarks.md). A ledger that cannot be written keeps its zone. True when
    /// the rollups were rebuilt.
    pub fn count_days_in(&mut self, zone: &Zone) -> Result<bool, EngineError> {
        if self.ledger.is_read_only() {
            return Ok(false);
        }
        Ok(self.ledger.set_zone(zone)?)
    }

    /// The zone to count days in: `explicit` (a `--tz`), else the creator's choice, else the system's.
    pub fn zone_to_count_in(&self, explicit: Option<&Zone>) -> Result<Zone, EngineError> {
        Ok(match explicit {
            Some(zone) => zone.clone(),
            None => self.ledger.chosen_zone()?.unwrap_or_else(Zone::system),
        })
    }

    /// The zone the creator chose for this ledger, if any (None: the system's).
    pub fn chosen_zone(&self) -> Result<Option<Zone>, EngineError> {
        Ok(self.ledger.chosen_zone()?)
    }

    /// Chooses the creator's zone (None: follow the system's) and counts the days in it. True when the
    /// rollups were recounted.
    pub fn choose_zone(&mut self, zone: Option<&Zone>) -> Result<bool, EngineError> {
        self.ledger.choose_zone(zone)?;
        self.count_days_in_its_zone()
    }

    /// Counts the days in the creator's chosen zone, else the system's (what the window and a command
    /// without `--tz` read in). True when the rollups were recounted.
    pub fn count_days_in_its_zone(&mut self) -> Result<bool, EngineError> {
        let zone = self.zone_to_count_in(None)?;
        self.count_days_in(&zone)
    }

    /// Whether the ledger could be opened for reading only (its file or folder cannot be written).
    pub fn is_read_only(&self) -> bool {
        self.ledger.is_read_only()
    }

    /// Today, in the ledger's zone.
    pub fn today(&self) -> Result<Day, EngineError> {
        Ok(self.zone()?.today())
    }

    /// Who hears when a write (an import, an undo) has to wait for another writer to finish.
    pub fn set_wait_hook(&mut self, on_wait: Option<tributary_ledger::WaitHook>) {
        self.ledger.set_wait_hook(on_wait);
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn ledger_path(&self) -> PathBuf {
        self.dir.join(LEDGER_FILE_NAME)
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn report(
        &self,
        query: &tributary_ledger::ReportQuery,
    ) -> Result<tributary_ledger::Report, EngineError> {
        Ok(self.ledger.report(query)?)
    }

    pub fn status(&self) -> Result<tributary_ledger::LedgerStatus, EngineError> {
        Ok(self.ledger.status()?)
    }

    pub fn has_events(&self) -> Result<bool, EngineError> {
        Ok(self.ledger.has_events()?)
    }

    pub fn schema_version(&self) -> Result<i64, EngineError> {
        Ok(self.ledger.schema_version()?)
    }

    pub fn batches(&self) -> Result<Vec<tributary_ledger::BatchRecord>, EngineError> {
        Ok(self.ledger.batches()?)
    }

    /// What undoing batch `id` would change in the figures, per currency (nothing is undone).
    pub fn undo_preview(&mut self, id: i64) -> Result<Vec<tributary_ledger::Figures>, EngineError> {
        self.ledger
            .undo_preview(id)
            .map_err(|e| EngineError::from(e).naming_storage(&self.ledger_path(), None))
    }

    pub fn undo_batch(&mut self, id: i64) -> Result<tributary_ledger::UndoReport, EngineError> {
        self.ledger
            .undo_batch(id)
            .map_err(|e| EngineError::from(e).naming_storage(&self.ledger_path(), None))
    }
}
