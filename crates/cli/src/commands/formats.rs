//! `tributary formats [--json]`: every format `import` reads, built in or saved by the user.

use crate::table::Table;
use anyhow::Result;
use serde::Serialize;
use std::process::ExitCode;
use tributary_engine::{BrokenMapping, FormatInfo, Workspace};

#[derive(Serialize)]
struct Output {
    formats: Vec<FormatInfo>,
    saved_mappings: Vec<FormatInfo>,
    /// Files in the mappings folder that are left out, and why.
    broken_mappings: Vec<BrokenMapping>,
}

pub fn run(workspace: &Workspace, json: bool) -> Result<ExitCode> {
    let saved = workspace.saved_mappings()?;
    let out = Output {
        formats: tributary_engine::formats(),
        saved_mappings: saved.mappings.into_iter().map(FormatInfo::from).collect(),
        broken_mappings: saved.broken,
    };
    if json {
        super::print_json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(&[
        ("name", false),
        ("platform", false),
        ("what it reads", false),
    ]);
    for f in out.formats.iter().chain(&out.saved_mappings) {
        table.row(vec![
            f.name.clone(),
            f.platform.clone().unwrap_or_else(|| "any".into()),
            f.title.clone(),
        ]);
    }
    print!("{}", table.render());
    for broken in &out.broken_mappings {
        println!("\nNote: {}", broken.sentence());
    }
    if out.saved_mappings.is_empty() {
        println!(
            "\nAny other CSV: tributary import FILE --map mapping.toml (docs/formats/mapping.md)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
