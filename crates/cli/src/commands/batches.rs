//! `tributary batches [--json]` and `tributary batches undo ID`

use crate::args::BatchesAction;
use crate::table::Table;
use anyhow::Result;
use std::process::ExitCode;
use tributary_engine::Workspace;

pub fn run(
    workspace: &mut Workspace,
    action: Option<BatchesAction>,
    json: bool,
) -> Result<ExitCode> {
    match action {
        Some(BatchesAction::Undo { id }) => {
            let undo = workspace.undo_batch(id)?;
            if json {
                super::print_json(&undo)?;
            } else {
                println!(
                    "undid batch {} ({}): {} events removed, {} restored to their earlier version, \
                     {} kept because another import or sync still has them",
                    undo.batch.id,
                    undo.batch.file_name,
                    undo.counts.removed,
                    undo.counts.restored,
                    undo.counts.kept
                );
                for f in &undo.changed {
                    println!("  changed {}", super::figures_sentence(f));
                }
            }
        }
        None => {
            let batches = workspace.batches()?;
            if json {
                super::print_json(&serde_json::json!({ "batches": batches }))?;
            } else if batches.is_empty() {
                println!("No imports yet. Add one with: tributary import FILE");
            } else {
                let mut table = Table::new(&[
                    ("id", true),
                    ("file", false),
                    ("sha-256", false),
                    ("format", false),
                    ("imported at", false),
                    ("status", false),
                    ("covers", false),
                    ("net added", true),
                    ("rows", true),
                    ("new", true),
                    ("updated", true),
                    ("duplicates", true),
                    ("rejected", true),
                    ("skipped", true),
                ]);
                for b in &batches {
                    table.row(vec![
                        b.id.to_string(),
                        b.file_name.clone(),
                        // Enough of the hash to tell two files apart at a glance; --json has it whole.
                        b.file_hash
                            .as_deref()
                            .map_or(String::new(), |h| h.chars().take(12).collect()),
                        b.format.clone(),
                        b.finished_at
                            .clone()
                            .unwrap_or_else(|| b.started_at.clone()),
                        b.status.clone(),
                        covers(b),
                        b.added
                            .iter()
                            .map(|f| {
                                format!("{} {}", f.currency, super::money(f.net_minor, &f.currency))
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        b.rows_read.to_string(),
                        b.inserted.to_string(),
                        b.updated.to_string(),
                        b.duplicates.to_string(),
                        b.rejected.to_string(),
                        b.skipped.to_string(),
                    ]);
                }
                print!("{}", table.render());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The days a batch's rows cover ("2026-03-01 – 2026-03-31"), from its first and last instants.
fn covers(b: &tributary_engine::BatchRecord) -> String {
    let day = |instant: &String| instant.get(..10).unwrap_or(instant).to_string();
    match (&b.first_event_at, &b.last_event_at) {
        (Some(first), Some(last)) if day(first) == day(last) => day(first),
        (Some(first), Some(last)) => format!("{} – {}", day(first), day(last)),
        _ => String::new(),
    }
}
