//! `tributary zone [ZONE | --system] [--json]`: the time zone the ledger counts its days in, and the
//! creator's choice of it.

use anyhow::Result;
use serde::Serialize;
use std::process::ExitCode;
use tributary_engine::{Workspace, Zone};

#[derive(Serialize)]
struct Output {
    /// The zone days are counted in.
    time_zone: String,
    /// True when the creator chose it; false when it is the system's.
    chosen: bool,
}

/// `choice`: None to show the zone; Some(None) to follow the system's; Some(Some(zone)) to choose one.
pub fn run(
    workspace: &mut Workspace,
    choice: Option<Option<Zone>>,
    json: bool,
) -> Result<ExitCode> {
    match choice {
        Some(zone) => {
            workspace.choose_zone(zone.as_ref())?;
        }
        None => {
            workspace.count_days_in_its_zone()?;
        }
    }
    let out = Output {
        time_zone: workspace.zone()?.to_string(),
        chosen: workspace.chosen_zone()?.is_some(),
    };
    if json {
        super::print_json(&out)?;
    } else {
        let whose = if out.chosen {
            "chosen for this ledger"
        } else {
            "the system's"
        };
        println!("days are counted in {} ({whose})", out.time_zone);
    }
    Ok(ExitCode::SUCCESS)
}
