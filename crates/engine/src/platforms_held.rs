//! What Tributary holds from each platform, for the Integrations page's cards: how many events, the
//! days they cover, the files it can read from the platform, and when one of them was last imported.
//! Said for every platform the ledger has, so no card claims more than there is.

use crate::error::EngineError;
use crate::workspace::Workspace;
use tributary_ledger::{GroupBy, ReportQuery};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlatformHeld {
    pub platform: String,
    /// Events counted in the figures (estimates replaced by finals not among them).
    pub events: i64,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    /// When the last import still in the ledger of a file in one of the platform's formats finished
    /// (RFC 3339); none when only ledger CSV or nothing brought its events.
    pub last_import: Option<String>,
}

impl Workspace {
    /// Every platform the ledger holds events of, and every one a format reads files of.
    pub fn platforms_held(&self) -> Result<Vec<PlatformHeld>, EngineError> {
        let report = self.report(&ReportQuery {
            by: Some(GroupBy::Platform),
            ..ReportQuery::default()
        })?;
        let coverage = self.ledger().coverage()?;
        let mut formats = crate::formats();
        formats.extend(self.saved_formats()?);
        let batches = self.batches()?;
        let mut platforms: Vec<String> = report.groups.iter().map(|g| g.key.clone()).collect();
        platforms.extend(formats.iter().filter_map(|f| f.platform.clone()));
        platforms.sort();
        platforms.dedup();
        Ok(platforms
            .into_iter()
            .map(|platform| {
                let events = report
                    .groups
                    .iter()
                    .filter(|g| g.key == platform)
                    .map(|g| g.figures.events)
                    .sum();
                let covered = coverage.iter().find(|c| c.platform == platform);
                let last_import = batches
                    .iter()
                    .filter(|b| b.status == "imported")
                    .filter(|b| {
                        formats
                            .iter()
                            .any(|f| f.name == b.format && f.platform.as_deref() == Some(&platform))
                    })
                    .filter_map(|b| b.finished_at.clone())
                    .max();
                PlatformHeld {
                    events,
                    first_day: covered.map(|c| c.first_day.clone()),
                    last_day: covered.map(|c| c.last_day.clone()),
                    last_import,
                    platform,
                }
            })
            .collect())
    }
}
