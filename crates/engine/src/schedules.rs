//! When connections sync on their own, as the shells set it: a connection's interval, its pause and
//! the global pause ("Pause syncing"), all kept in the ledger so the app, the tray process and the
//! daemon see one truth (`ledger/src/schedules.rs`).

use crate::error::EngineError;
use crate::workspace::Workspace;
use tributary_ledger::Schedule;

impl Workspace {
    pub fn schedules(&self) -> Result<Vec<Schedule>, EngineError> {
        Ok(self.ledger.schedules()?)
    }

    /// How often `name` syncs on its own, in seconds (15 minutes to a day).
    pub fn set_sync_every(&mut self, name: &str, every_secs: u32) -> Result<Schedule, EngineError> {
        self.ledger.set_sync_every(name, every_secs)?;
        self.schedule_of(name)
    }

    /// Pauses (`true`) or resumes `name`'s syncing, as the person asked.
    pub fn set_connection_paused(
        &mut self,
        name: &str,
        paused: bool,
    ) -> Result<Schedule, EngineError> {
        self.ledger
            .set_connection_paused(name, paused.then_some("person"))?;
        let schedule = self.schedule_of(name)?;
        if !paused {
            // A retry waiting out its backoff goes at once: the person resumed it to have it sync.
            let key = crate::sync_soon::sync_key(schedule.connection_id);
            self.ledger
                .run_queued_now(&key, tributary_model::UtcInstant::now())?;
        }
        Ok(schedule)
    }

    pub fn syncing_paused(&self) -> Result<bool, EngineError> {
        Ok(self.ledger.syncing_paused()?)
    }

    /// Pauses or resumes every connection's syncing at once.
    pub fn set_syncing_paused(&mut self, paused: bool) -> Result<(), EngineError> {
        Ok(self.ledger.set_syncing_paused(paused)?)
    }

    /// Who runs the scheduled syncs now, if anyone.
    pub fn runner(
        &self,
        now: tributary_model::UtcInstant,
    ) -> Result<Option<tributary_ledger::Runner>, EngineError> {
        Ok(self.ledger.runner(now)?)
    }

    fn schedule_of(&self, name: &str) -> Result<Schedule, EngineError> {
        let id = self.ledger.find_connection(name)?.id;
        self.ledger
            .schedules()?
            .into_iter()
            .find(|s| s.connection_id == id)
            .ok_or_else(|| {
                tributary_ledger::LedgerError::ConnectionNotFound(name.to_string()).into()
            })
    }
}

/// `15m`, `90m`, `1h`, `6h`, `1d` as seconds; what a person types after `--every`.
pub fn parse_interval(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let n: u32 = number
        .parse()
        .map_err(|_| format!("\"{text}\" is not an interval: write it like 15m, 1h or 1d"))?;
    let per = match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "\"{text}\" is not an interval: write it like 15m, 1h or 1d"
            ))
        }
    };
    n.checked_mul(per)
        .ok_or_else(|| format!("\"{text}\" is too long an interval"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_people_write_them() {
        assert_eq!(parse_interval("15m"), Ok(900));
        assert_eq!(parse_interval(" 1h"), Ok(3600));
        assert_eq!(parse_interval("1d"), Ok(86_400));
        for bad in ["", "h", "1.5h", "10s", "one hour", "-1h"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
    }
}
