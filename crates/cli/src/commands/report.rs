//! `tributary report [--from DATE] [--to DATE] [--by …] [--json]`

use crate::args::By;
use crate::table::Table;
use anyhow::{Context, Result};
use std::process::ExitCode;
use tributary_engine::{Day, Figures, GroupBy, ReportQuery, Workspace};

pub fn run(
    workspace: &Workspace,
    from: Option<String>,
    to: Option<String>,
    by: Option<By>,
    json: bool,
) -> Result<ExitCode> {
    let day = |flag: &str, text: Option<String>| -> Result<Option<Day>> {
        text.map(|t| Day::parse(&t).with_context(|| format!("--{flag}")))
            .transpose()
    };
    let query = ReportQuery {
        from: day("from", from)?,
        to: day("to", to)?,
        by: by.map(|b| match b {
            By::Day => GroupBy::Day,
            By::Month => GroupBy::Month,
            By::Platform => GroupBy::Platform,
            By::Product => GroupBy::Product,
            By::Currency => GroupBy::Currency,
            By::Country => GroupBy::Country,
        }),
    };
    if let (Some(from), Some(to)) = (query.from, query.to) {
        anyhow::ensure!(from <= to, "--from {from} is after --to {to}");
    }
    let report = workspace.report(&query)?;
    if json {
        super::print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    if report.totals.is_empty() {
        println!("No revenue events in this period.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut totals = figures_table("");
    for f in &report.totals {
        totals.row(figures_row("total".to_string(), f));
    }
    print!("{}", totals.render());
    if let Some(by) = by {
        let label = format!("{by:?}").to_lowercase();
        let mut groups = figures_table(&label);
        for g in &report.groups {
            let key = match (&g.platform, &g.name) {
                (Some(platform), Some(name)) => format!("{name} ({platform} {})", g.key),
                (Some(platform), None) => format!("{} ({platform})", display_key(&g.key)),
                _ => display_key(&g.key),
            };
            groups.row(figures_row(key, &g.figures));
        }
        println!();
        print!("{}", groups.render());
    }
    Ok(ExitCode::SUCCESS)
}

fn display_key(key: &str) -> String {
    if key.is_empty() {
        "(unknown)".to_string()
    } else {
        key.to_string()
    }
}

fn figures_table(first: &str) -> Table {
    Table::new(&[
        (first, false),
        ("currency", false),
        ("gross", true),
        ("fees", true),
        ("net", true),
        ("refunds", true),
        ("units", true),
        ("events", true),
    ])
}

fn figures_row(key: String, f: &Figures) -> Vec<String> {
    let m = |v| super::money(v, &f.currency);
    vec![
        key,
        f.currency.clone(),
        m(f.gross_minor),
        m(f.fees_minor),
        m(f.net_minor),
        m(f.refunds_minor),
        f.units.to_string(),
        f.events.to_string(),
    ]
}
