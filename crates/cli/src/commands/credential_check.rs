//! `tributary connections check NAME [--json]`: asks the platform whether the connection's saved
//! credential still works, with one cheap call and no sync. Exits 1 when it does not.

use anyhow::Result;
use std::process::ExitCode;
use tributary_engine::Workspace;

pub fn check(workspace: &mut Workspace, name: &str, json: bool) -> Result<ExitCode> {
    let platform = workspace.connection(name)?.platform;
    let check = workspace.check_connection(name)?;
    if json {
        super::print_json(&serde_json::json!({ "check": check }))?;
    } else if let Some(f) = &check.failure {
        eprintln!("tributary: {}: {}", check.connection, f.message);
        if check.needs_reconnect {
            eprintln!("tributary: {}: it now needs reconnecting", check.connection);
        }
        eprintln!(
            "tributary: {}: {}",
            check.connection,
            super::sync::next_step(f, &platform)
        );
    } else {
        println!(
            "{}: the platform accepts its credential, for {} ({} ms)",
            check.connection,
            check.account.as_deref().unwrap_or("its account"),
            check.duration_ms
        );
    }
    Ok(match check.accepted {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    })
}
