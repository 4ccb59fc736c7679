//! What Tributary runs, shared by the desktop app, the `tributary` CLI and (later) the daemon: the
//! workspace (a data folder holding the ledger file), file imports streamed into one transaction per
//! file, exports, and reports. Neither the app nor the CLI holds business logic; both call this.

mod alerts;
mod connected_accounts;
mod connections;
mod credential_check;
mod dashboard;
mod data_dir;
mod demo;
mod email_alerts;
mod email_delivery;
mod email_settings;
mod error;
mod error_code;
mod error_words;
mod export;
mod figure_names;
mod health;
mod health_summary;
mod import;
mod job_backoff;
mod job_queue;
mod mapping_draft;
mod mappings;
mod oauth_sign_in;
mod platforms_held;
mod scheduler;
mod schedules;
mod settings;
mod stop_signal;
mod sync;
mod sync_soon;
mod time_zone;
#[cfg(unix)]
mod tray_badge;
mod tray_lock;
mod tray_menu;
mod workspace;
mod write_loop;

pub use alerts::{Alert, AlertKind, ALERT_AFTER_FAILURES, DESKTOP as DESKTOP_ALERTS};
pub use connections::{connectable_platforms, ConnectRequest, ConnectablePlatform};
pub use credential_check::CredentialCheck;
pub use dashboard::{span, Dashboard, DashboardQuery, Period, Span};
pub use data_dir::{config_dir_from_env, data_dir_from_env, CONFIG_DIR_ENV, DATA_DIR_ENV};
pub use demo::{demo_active, demo_dir, leave_demo, load_demo, DEMO_DIR_NAME};
pub use email_delivery::RESEND_BASE_URL_ENV;
pub use email_settings::{parse_time_of_day, EmailSettings, EmailVia, EMAIL as EMAIL_ALERTS};
pub use error::EngineError;
pub use error_code::ErrorCode;
pub use error_words::{error_words, ErrorWords, ERROR_WORDS};
pub use export::export_table_csv;
pub use figure_names::{figure_names_typescript, figures_shown, FigureName, MONEY_FIGURES};
pub use health::{
    health_of, health_on, ConnectionHealth, HealthFix, HealthState, RecentRun,
    PAUSE_AFTER_FAILURES, RECENT_RUNS, WARN_AFTER_FAILURES,
};
pub use health_summary::{summarize as summarize_health, HealthLevel, HealthSummary, HealthView};
pub use import::{FileImport, ImportOptions, ImportProgress, ProgressSink};
pub use job_backoff::{job_retry_at, job_retry_delay, JOB_RETRY_BASE, JOB_RETRY_CAP};
pub use mapping_draft::MappingDraft;
pub use mappings::{read_mapping, BrokenMapping, MappingList, SavedMappings, MAPPINGS_DIR};
pub use oauth_sign_in::OAuthSignIn;
pub use platforms_held::PlatformHeld;
pub use scheduler::{
    Scheduler, SchedulerEvent, SchedulerHost, SchedulerThread, SchedulerWaker, SCHEDULER_POLL,
};
pub use schedules::parse_interval;
pub use settings::{Settings, Theme, SETTINGS_FILE_NAME};
pub use stop_signal::stop_on_termination;
pub use sync::{SyncFailure, SyncProgress, SyncReport, SyncRequest};
pub use time_zone::TimeZoneInfo;
pub use tray_badge::draw_level_badge;
#[cfg(unix)]
pub use tray_lock::{
    acquire as acquire_tray_lock, acquire_within as acquire_tray_lock_within, TrayLock,
    TRAY_PID_FILE,
};
pub use tray_menu::{status_line_of, tray_status_of, TrayItem, TrayStatus};
pub use tributary_connectors::oauth::CancellationToken;
pub use tributary_ledger::{AfterFailure, Runner, Schedule};
pub use workspace::{default_data_dir, Workspace, APP_IDENTIFIER, LEDGER_FILE_NAME};

pub use tributary_connectors::{platforms, PlatformInfo};
pub use tributary_email::{SmtpSecurity, SmtpServer};
pub use tributary_imports::amount::DecimalMark;
pub use tributary_imports::dates::DateOrder;
pub use tributary_imports::formats::{list as formats, Format, FormatInfo};
pub use tributary_imports::mapping::Mapping;
pub use tributary_imports::sample::{csv_sample, CsvSample};
pub use tributary_imports::source::Reading;
pub use tributary_ledger::{
    BatchRecord, Bucket, ChangeProbe, EstimatedPeriod, Figures, GroupBy, GroupFigures,
    LedgerStatus, PlatformCoverage, RemovedCounts, Report, ReportQuery, RowError, SeriesPoint,
    UndoReport, WaitHook, Waiting,
};
pub use tributary_ledger::{Connected, ConnectionRecord, JobRecord, SyncRunRecord, SyncUndoReport};
pub use tributary_model::{
    Currency, Day, FailureClass, Money, Sensitive, UnknownZone, UtcInstant, Zone,
};
