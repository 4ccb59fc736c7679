//! `tributary status [--json]`

use anyhow::Result;
use serde::Serialize;
use std::process::ExitCode;
use tributary_engine::{LedgerStatus, Workspace};

#[derive(Serialize)]
struct Output {
    data_dir: String,
    ledger_file: String,
    ledger_bytes: u64,
    /// The time zone whose days reports count in.
    time_zone: String,
    #[serde(flatten)]
    ledger: LedgerStatus,
}

pub fn run(workspace: &Workspace, json: bool) -> Result<ExitCode> {
    let path = workspace.ledger_path();
    let out = Output {
        data_dir: super::display(workspace.dir()),
        ledger_file: super::display(&path),
        ledger_bytes: std::fs::metadata(&path).map_or(0, |m| m.len()),
        time_zone: workspace.zone()?.to_string(),
        ledger: workspace.status()?,
    };
    if json {
        super::print_json(&out)?;
    } else {
        println!("data folder     {}", out.data_dir);
        println!(
            "ledger          {} ({} bytes)",
            out.ledger_file, out.ledger_bytes
        );
        println!("schema version  {}", out.ledger.schema_version);
        println!("days counted in {}", out.time_zone);
        println!("events          {}", out.ledger.events);
        println!("sources         {}", out.ledger.sources);
        println!(
            "batches         {} imported, {} undone",
            out.ledger.batches_imported, out.ledger.batches_undone
        );
        println!("connections     {}", out.ledger.connections);
    }
    Ok(ExitCode::SUCCESS)
}
