//! `tributary mappings [--json]`, `tributary mappings save FILE`, `tributary mappings rename NAME TITLE`,
//! `tributary mappings remove NAME`:
//! column mappings kept in the data folder for `import --mapping NAME` and for detection.

use crate::args::MappingsAction;
use crate::table::Table;
use anyhow::Result;
use std::process::ExitCode;
use tributary_engine::Workspace;

pub fn run(workspace: &Workspace, action: Option<MappingsAction>, json: bool) -> Result<ExitCode> {
    match action {
        Some(MappingsAction::Save { file }) => {
            let mapping = workspace.save_mapping(&file)?;
            if json {
                super::print_json(&serde_json::json!({ "saved": mapping.name }))?;
            } else {
                println!(
                    "saved mapping '{}'; import with: tributary import FILE --mapping {}",
                    mapping.name, mapping.name
                );
            }
        }
        Some(MappingsAction::Rename { name, title }) => {
            let mapping = workspace.retitle_mapping(&name, &title)?;
            if json {
                super::print_json(
                    &serde_json::json!({ "name": mapping.name, "title": mapping.title }),
                )?;
            } else {
                println!(
                    "mapping '{}' is now shown as '{}'",
                    mapping.name, mapping.title
                );
            }
        }
        Some(MappingsAction::Remove { name }) => {
            workspace.remove_mapping(&name)?;
            if json {
                super::print_json(&serde_json::json!({ "removed": name }))?;
            } else {
                println!("removed mapping '{name}'");
            }
        }
        None => {
            let saved = workspace.saved_mappings()?;
            if json {
                let list: Vec<_> = saved
                    .mappings
                    .iter()
                    .map(|m| {
                        serde_json::json!({
                            "name": m.name, "title": m.title, "platform": m.platform,
                            "detects": !m.detect.is_empty(),
                        })
                    })
                    .collect();
                super::print_json(
                    &serde_json::json!({ "mappings": list, "broken": saved.broken }),
                )?;
            } else if saved.mappings.is_empty() && saved.broken.is_empty() {
                println!("No saved mappings. Save one with: tributary mappings save mapping.toml");
            } else {
                let mut table = Table::new(&[
                    ("name", false),
                    ("platform", false),
                    ("detected by header", false),
                    ("title", false),
                ]);
                for m in &saved.mappings {
                    table.row(vec![
                        m.name.clone(),
                        m.platform.clone(),
                        if m.detect.is_empty() { "no" } else { "yes" }.into(),
                        m.title.clone(),
                    ]);
                }
                if !saved.mappings.is_empty() {
                    print!("{}", table.render());
                }
                for broken in &saved.broken {
                    println!(
                        "{} (broken): {} — fix the file, or remove it with: tributary mappings remove {}",
                        broken.name, broken.reason, broken.name
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
