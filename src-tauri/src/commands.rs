//! The commands the window may invoke. Each one is a thin wrapper: a plain function does the work
//! through `tributary-engine` (so tests call it without a window), and the command runs that function
//! off the UI thread and turns engine errors into `{ code, message }` for the front end.

use serde::Serialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use tributary_engine::{default_data_dir, Currency, EngineError, Figures, ReportQuery, Workspace};

/// Overrides the data folder, for the app exactly as for the CLI (`tributary --data-dir`).
pub const DATA_DIR_ENV: &str = "TRIBUTARY_DATA_DIR";

/// An error as the front end receives it: a stable `code` to switch on and a one-line `message` to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl From<EngineError> for CommandError {
    fn from(error: EngineError) -> Self {
        CommandError {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

/// Totals for one currency, with the digits of its minor unit so the front end can turn minor units
/// into amounts exactly as the ledger turned amounts into minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrencyTotals {
    #[serde(flatten)]
    pub figures: Figures,
    /// ISO 4217 minor-unit digits (2 for USD, 0 for JPY, 3 for KWD); `None` for a code the engine does
    /// not know, where the front end falls back to its own.
    pub exponent: Option<u8>,
}

/// What the window shows: where the ledger is, how much it holds, and the all-time totals per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerSummary {
    pub data_dir: String,
    pub schema_version: i64,
    pub events: i64,
    pub totals: Vec<CurrencyTotals>,
}

/// The data folder: `$TRIBUTARY_DATA_DIR` when set, else the engine's default (which the CLI uses too).
/// Never Tauri's path resolver, so that the app and the CLI always open the same ledger.
pub fn data_dir() -> Result<PathBuf, EngineError> {
    resolve_data_dir(std::env::var_os(DATA_DIR_ENV))
}

fn resolve_data_dir(from_env: Option<OsString>) -> Result<PathBuf, EngineError> {
    match from_env {
        // The CLI rejects an empty value too, rather than opening a ledger in the working directory.
        Some(value) if value.is_empty() => Err(EngineError::DataDir {
            path: PathBuf::from(format!("${DATA_DIR_ENV}")),
            reason: "it is set but empty".to_string(),
        }),
        Some(value) => Ok(PathBuf::from(value)),
        None => default_data_dir(),
    }
}

/// Opens (creating or migrating if needed) the ledger in `dir` and summarises it. Blocking.
pub fn summary(dir: &Path) -> Result<LedgerSummary, EngineError> {
    let workspace = Workspace::open(dir)?;
    let status = workspace.status()?;
    let report = workspace.report(&ReportQuery::default())?;
    let totals = report
        .totals
        .into_iter()
        .map(|figures| CurrencyTotals {
            exponent: Currency::from_code(&figures.currency)
                .ok()
                .map(|c| c.exponent()),
            figures,
        })
        .collect();
    Ok(LedgerSummary {
        data_dir: workspace.dir().display().to_string(),
        schema_version: status.schema_version,
        events: status.events,
        totals,
    })
}

/// `invoke('ledger_summary')`: the summary of the ledger in the data folder. The engine call blocks on
/// SQLite, so it runs on the blocking pool, never on the main (UI) thread.
#[tauri::command]
pub async fn ledger_summary() -> Result<LedgerSummary, CommandError> {
    tauri::async_runtime::spawn_blocking(|| summary(&data_dir()?))
        .await
        .map_err(|e| CommandError {
            code: "internal",
            message: format!("reading the ledger stopped unexpectedly: {e}"),
        })?
        .map_err(CommandError::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary_engine::{ImportOptions, APP_IDENTIFIER};

    fn read_json(relative: &str) -> serde_json::Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn config_identifier_is_the_engines() {
        let config = read_json("tauri.conf.json");
        assert_eq!(config["identifier"].as_str(), Some(APP_IDENTIFIER));
    }

    #[test]
    fn config_is_locked_down() {
        let config = read_json("tauri.conf.json");
        let csp = config["app"]["security"]["csp"]
            .as_str()
            .expect("a CSP is set");
        assert!(!csp.contains("unsafe-"), "{csp}");
        assert!(!csp.contains("http"), "no remote sources: {csp}");
        assert_eq!(config["build"]["frontendDist"].as_str(), Some("./ui"));
        for icon in config["bundle"]["icon"]
            .as_array()
            .expect("icons are listed")
        {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(icon.as_str().unwrap());
            assert!(path.is_file(), "{} is missing", path.display());
        }
        let capability = read_json("capabilities/default.json");
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        assert_eq!(
            capability["permissions"],
            serde_json::json!(["core:default"])
        );
    }

    #[test]
    fn data_dir_follows_the_cli_rule() {
        assert_eq!(
            resolve_data_dir(Some("/tmp/somewhere".into())).unwrap(),
            PathBuf::from("/tmp/somewhere")
        );
        assert_eq!(
            resolve_data_dir(Some(OsString::new())).unwrap_err().code(),
            "data_dir"
        );
        if let Ok(default) = default_data_dir() {
            assert_eq!(resolve_data_dir(None).unwrap(), default);
        }
    }

    #[test]
    fn summary_of_a_new_data_folder_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let summary = summary(&dir.path().join("data")).unwrap();
        assert_eq!(summary.events, 0);
        assert!(summary.schema_version > 0);
        assert!(summary.totals.is_empty());
    }

    #[test]
    fn summary_totals_an_imported_file_per_currency() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let csv = dir.path().join("sales.csv");
        std::fs::write(
            &csv,
            "platform,account,external_id,kind,occurred_at,product_id,product_name,quantity,currency,gross,fees,net,buyer_email,country\n\
             gumroad,main,g1,sale,2024-03-05T20:38:56+01:00,p1,Book,1,USD,49.99,5.00,44.99,,DE\n\
             gumroad,main,g2,sale,2024-03-06T10:00:00Z,p1,Book,1,USD,10.00,1.00,9.00,,US\n\
             kdp,main,k1,royalty,2024-03-06T00:00:00Z,B0ABC,Novel,3,JPY,1200,,,,\n",
        )
        .unwrap();
        let import = Workspace::open(&data)
            .unwrap()
            .import_file(&csv, &ImportOptions::default())
            .unwrap();
        assert_eq!((import.inserted, import.rejected), (3, 0));

        let summary = summary(&data).unwrap();
        assert_eq!(summary.data_dir, data.display().to_string());
        assert_eq!(summary.events, 3);
        let by_code = |code: &str| {
            summary
                .totals
                .iter()
                .find(|t| t.figures.currency == code)
                .unwrap_or_else(|| panic!("no {code} totals in {:?}", summary.totals))
        };
        let usd = by_code("USD");
        assert_eq!(usd.exponent, Some(2));
        assert_eq!(
            (
                usd.figures.gross_minor,
                usd.figures.fees_minor,
                usd.figures.net_minor,
                usd.figures.events
            ),
            (5999, 600, 5399, 2)
        );
        let jpy = by_code("JPY");
        assert_eq!(jpy.exponent, Some(0));
        assert_eq!(
            (
                jpy.figures.gross_minor,
                jpy.figures.net_minor,
                jpy.figures.events
            ),
            (1200, 1200, 1)
        );
        assert_eq!(summary.totals.len(), 2);

        // The front end reads these field names.
        let json = serde_json::to_value(&summary).unwrap();
        for field in ["data_dir", "schema_version", "events", "totals"] {
            assert!(json.get(field).is_some(), "{field} missing from {json}");
        }
        let first = &json["totals"][0];
        for field in [
            "currency",
            "gross_minor",
            "fees_minor",
            "net_minor",
            "events",
            "exponent",
        ] {
            assert!(first.get(field).is_some(), "{field} missing from {first}");
        }
    }

    #[test]
    fn engine_errors_cross_ipc_as_code_and_message() {
        let error = CommandError::from(EngineError::NoDefaultDataDir);
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "data_dir");
        assert_eq!(json["message"], EngineError::NoDefaultDataDir.to_string());
        assert_eq!(json.as_object().unwrap().len(), 2);
    }
}
