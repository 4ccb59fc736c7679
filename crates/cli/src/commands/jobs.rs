//! `tributary jobs [--json]` (the queue, newest first, with its counts by state) and
//! `tributary jobs retry ID` (a dead job queued again).

use crate::table::Table;
use anyhow::Result;
use std::process::ExitCode;
use tributary_engine::Workspace;

pub fn list(workspace: &Workspace, limit: u32, json: bool) -> Result<ExitCode> {
    let jobs = workspace.jobs(limit)?;
    let counts = workspace.job_counts()?;
    if json {
        let by_state: serde_json::Map<String, serde_json::Value> = counts
            .iter()
            .map(|(state, n)| (state.clone(), (*n).into()))
            .collect();
        super::print_json(&serde_json::json!({ "counts": by_state, "jobs": jobs }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let said: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    println!("{}", said.join(", "));
    if jobs.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&[
        ("id", true),
        ("kind", false),
        ("state", false),
        ("attempts", true),
        ("runs at", false),
        ("last error", false),
    ]);
    for j in &jobs {
        table.row(vec![
            j.id.to_string(),
            j.kind.clone(),
            j.status.clone(),
            format!("{}/{}", j.attempts, j.max_attempts),
            j.run_at.clone(),
            j.last_error.clone().unwrap_or_else(|| "—".into()),
        ]);
    }
    print!("{}", table.render());
    Ok(ExitCode::SUCCESS)
}

pub fn retry(workspace: &mut Workspace, id: i64, json: bool) -> Result<ExitCode> {
    let job = workspace.retry_job(id)?;
    if json {
        super::print_json(&serde_json::json!({ "job": job }))?;
    } else {
        println!(
            "job {} ({}) is queued again, with {} attempts",
            job.id, job.kind, job.max_attempts
        );
    }
    Ok(ExitCode::SUCCESS)
}
