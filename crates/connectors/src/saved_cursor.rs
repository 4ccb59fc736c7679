//! Where a sync stands, for every platform, as the text saved in `connections.sync_cursor` with each
//! page: the newest sale a finished run saw (`synced_through`) and the run in progress (`R`, the
//! platform's own: a page key, a page number…), so a sync that dies resumes at the page after the last
//! one written. JSON, so a person can read it (`tributary connections --json`); a text that cannot be
//! read says how to start again.

use crate::SyncOptions;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tributary_model::UtcInstant;

#[derive(Debug, Serialize, Deserialize)]
pub struct SavedCursor<R> {
    #[serde(
        default,
        with = "crate::instant_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub synced_through: Option<UtcInstant>,
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub run: Option<R>,
}

impl<R> Default for SavedCursor<R> {
    fn default() -> Self {
        SavedCursor {
            synced_through: None,
            run: None,
        }
    }
}

impl<R: Serialize + DeserializeOwned> SavedCursor<R> {
    /// The cursor in `text`, or the cursor of no sync yet when there is none.
    pub fn parse(text: Option<&str>) -> Result<Self, String> {
        match text {
            None => Ok(Self::default()),
            Some(t) => serde_json::from_str(t).map_err(|e| {
                format!("the connection's saved position cannot be read ({e}); sync with --full to start again")
            }),
        }
    }

    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// The run in progress (this run's next page goes on, whatever `--full` says), or a new one made
    /// by `start` from where the last finished run got to — from nothing for `--full` — and the
    /// connection's look-back.
    pub fn take_run(
        &mut self,
        options: &SyncOptions,
        start: impl FnOnce(Option<UtcInstant>, u32) -> R,
    ) -> R {
        match self.run.take() {
            Some(run) => run,
            None => start(
                if options.full {
                    None
                } else {
                    self.synced_through
                },
                options.lookback_days,
            ),
        }
    }

    /// The run is over: the newest sale it saw moves `synced_through` forward (never back: a look-back
    /// run may see nothing newer).
    pub fn finish(&mut self, newest: Option<UtcInstant>) {
        self.synced_through = match (self.synced_through, newest) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The later of the newest instant so far and `at`.
pub fn newest(so_far: Option<UtcInstant>, at: UtcInstant) -> Option<UtcInstant> {
    Some(so_far.map_or(at, |n| n.max(at)))
}
