//! `tributary report [--from DATE] [--to DATE] [--by …] [--json]`

use crate::args::By;
use crate::table::Table;
use anyhow::{Context, Result};
use std::process::ExitCode;
use tributary_engine::{figures_shown, Day, FigureName, Figures, GroupBy, ReportQuery, Workspace};

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
    let pages = report.totals.iter().any(|f| f.kenp_pages != 0);
    let shown = figures_shown(&report.totals);
    let mut totals = figures_table("", &shown, pages);
    for f in &report.totals {
        totals.row(figures_row("total".to_string(), f, &shown, pages));
    }
    print!("{}", totals.render());
    if let Some(by) = by {
        let label = format!("{by:?}").to_lowercase();
        let mut groups = figures_table(&label, &shown, pages);
        for g in &report.groups {
            let key = match (&g.platform, &g.name) {
                (Some(platform), Some(name)) => format!("{name} ({platform} {})", g.key),
                (Some(platform), None) => format!("{} ({platform})", display_key(&g.key)),
                _ => display_key(&g.key),
            };
            groups.row(figures_row(key, &g.figures, &shown, pages));
        }
        println!();
        print!("{}", groups.render());
    }
    let estimated: i64 = report.totals.iter().map(|f| f.estimated_events).sum();
    if estimated > 0 {
        println!(
            "\n* includes {estimated} estimated events: KDP's daily royalties for months whose final \
             royalties are not imported yet (importing a Prior Months' Royalties report replaces them)"
        );
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

/// The columns: the money figures shown (their names from the engine, deductions with their minus
/// sign, so that each row adds up to its net), units, and KENP pages only when some figure has pages.
fn figures_table(first: &str, shown: &[FigureName], pages: bool) -> Table {
    let labels: Vec<String> = shown.iter().map(|f| f.label.to_lowercase()).collect();
    let mut columns = vec![(first, false), ("currency", false)];
    columns.extend(labels.iter().map(|l| (l.as_str(), true)));
    columns.push(("units", true));
    if pages {
        columns.push(("KENP pages", true));
    }
    columns.push(("events", true));
    Table::new(&columns)
}

/// A row; a key whose figures hold estimates is marked `*`.
fn figures_row(key: String, f: &Figures, shown: &[FigureName], pages: bool) -> Vec<String> {
    let mut row = vec![
        if f.estimated_events > 0 {
            format!("{key} *")
        } else {
            key
        },
        f.currency.clone(),
    ];
    row.extend(shown.iter().map(|n| super::money(n.shown(f), &f.currency)));
    row.push(f.units.to_string());
    if pages {
        row.push(f.kenp_pages.to_string());
    }
    row.push(f.events.to_string());
    row
}
