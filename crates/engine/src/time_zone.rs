//! The time zone a workspace counts its days in, as the window shows and changes it.

use crate::error::EngineError;
use crate::workspace::Workspace;
use tributary_model::Zone;

/// What the window's time zone setting shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimeZoneInfo {
    /// The zone days are counted in now (an IANA name).
    pub counted_in: String,
    /// True when the creator chose it; false when it is the system's.
    pub chosen: bool,
    /// The system's zone, for the "follow the system" choice.
    pub system: String,
    /// Every zone that can be chosen, sorted.
    pub available: Vec<String>,
}

impl Workspace {
    pub fn time_zone_info(&self) -> Result<TimeZoneInfo, EngineError> {
        Ok(TimeZoneInfo {
            counted_in: self.zone()?.to_string(),
            chosen: self.chosen_zone()?.is_some(),
            system: Zone::system().to_string(),
            available: Zone::available(),
        })
    }

    /// Chooses the zone named `name` (None: the system's) and counts the days in it.
    pub fn choose_time_zone(&mut self, name: Option<&str>) -> Result<TimeZoneInfo, EngineError> {
        let zone = name
            .map(|n| {
                Zone::named(n).map_err(|e| EngineError::Query {
                    reason: e.to_string(),
                })
            })
            .transpose()?;
        self.choose_zone(zone.as_ref())?;
        self.time_zone_info()
    }
}
