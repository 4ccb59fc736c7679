//! What Tributary runs, shared by the desktop app, the `tributary` CLI and (later) the daemon: the
//! workspace (a data folder holding the ledger file), file imports streamed into one transaction per
//! file, exports, and reports. Neither the app nor the CLI holds business logic; both call this.

mod error;
mod export;
mod import;
mod mappings;
mod workspace;

pub use error::EngineError;
pub use import::{FileImport, ImportOptions};
pub use mappings::{read_mapping, MAPPINGS_DIR};
pub use workspace::{default_data_dir, Workspace, APP_IDENTIFIER, LEDGER_FILE_NAME};

pub use tributary_imports::formats::{list as formats, Format, FormatInfo};
pub use tributary_imports::mapping::Mapping;
pub use tributary_imports::source::Reading;
pub use tributary_ledger::{
    BatchRecord, Figures, GroupBy, GroupFigures, LedgerStatus, Report, ReportQuery, RowError,
    UndoReport,
};
pub use tributary_model::{Currency, Day, Money};
