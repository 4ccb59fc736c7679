//! The command line, as clap types.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "tributary",
    version,
    about = "One ledger of a creator's income from every platform, kept on this machine."
)]
pub struct Cli {
    /// The data folder holding the ledger (default: the same folder the desktop app uses).
    #[arg(long, global = true, env = "TRIBUTARY_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Count days, weeks and months in this time zone (an IANA name: Europe/Berlin, America/Los_Angeles,
    /// UTC) instead of the system's. The ledger's rollups are counted again when the zone changes.
    #[arg(long, global = true, value_name = "ZONE")]
    pub tz: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Import report files into the ledger; each file is all or nothing.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Refuse a file if any of its rows is rejected.
        #[arg(long)]
        strict: bool,
        /// Read the files as this format instead of detecting it (`tributary formats` lists them).
        #[arg(long, value_name = "NAME", conflicts_with_all = ["map", "mapping"])]
        format: Option<String>,
        /// Read the files through this column mapping (docs/formats/mapping.md).
        #[arg(long, value_name = "FILE", conflicts_with = "mapping")]
        map: Option<PathBuf>,
        /// Read the files through the saved mapping of this name (`tributary mappings`).
        #[arg(long, value_name = "NAME")]
        mapping: Option<String>,
        /// Show what would be imported, without writing anything.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// The file formats Tributary reads, built in and saved.
    Formats {
        #[arg(long)]
        json: bool,
    },
    /// Saved column mappings: list them, save one, remove one.
    Mappings {
        #[command(subcommand)]
        action: Option<MappingsAction>,
        #[arg(long, global = true)]
        json: bool,
    },
    /// Totals and breakdowns, net of refunds, per currency.
    Report {
        /// First day included (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day included (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_enum)]
        by: Option<By>,
        #[arg(long)]
        json: bool,
    },
    /// Write the whole ledger in Tributary's ledger CSV format.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List import batches, or undo one.
    Batches {
        #[command(subcommand)]
        action: Option<BatchesAction>,
        #[arg(long, global = true)]
        json: bool,
    },
    /// Where the data is and what it holds.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The time zone whose days, weeks and months the ledger counts in; with a zone, choose it for this
    /// ledger (the days are counted again in it).
    Zone {
        /// An IANA name: Europe/Berlin, America/Los_Angeles, UTC.
        #[arg(value_name = "ZONE", conflicts_with = "system")]
        zone: Option<String>,
        /// Follow the system's zone again (the default).
        #[arg(long)]
        system: bool,
        #[arg(long)]
        json: bool,
    },
    /// Connect a platform account with its personal token or API key, read from standard input
    /// (never an argument: those end up in the shell's history), or by signing in through the
    /// browser (--oauth). Checked with the platform first.
    Connect {
        /// gumroad
        #[arg(value_name = "PLATFORM")]
        platform: String,
        /// Read the token from standard input (`tributary connect gumroad --token-stdin < token.txt`).
        #[arg(long, conflicts_with = "oauth")]
        token_stdin: bool,
        /// Sign in through the browser instead (OAuth 2 with PKCE; Whop, Gumroad): the address is
        /// printed too, for a terminal without a browser.
        #[arg(long)]
        oauth: bool,
        /// With --oauth: do not open a browser, only print the address.
        #[arg(long, requires = "oauth")]
        no_browser: bool,
        /// The connection's name (default: the platform's, then `-2`, `-3`…).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// The ledger account its events are booked under (default `main`, as file imports use, so a
        /// sale both imported from a file and synced counts once).
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// How many days before the last sync's newest sale each later sync reads again, for refunds
        /// and disputes of older sales (default 30; a reconnect keeps the connection's unless given).
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=3650))]
        lookback: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Keep every connection synced on its schedule, on a machine without a desktop: one line per
    /// run; SIGTERM or Ctrl-C stops cleanly. Where the app or another daemon already runs the syncs
    /// for this data folder, waits and takes over when it stops.
    Daemon {
        /// Run what is due once, then exit (for cron); exits 1 when a sync failed.
        #[arg(long)]
        once: bool,
    },
    /// How each connection is doing: its state, success rates, durations, next sync, and the fix.
    Health {
        #[arg(long)]
        json: bool,
    },
    /// Alerts by email (connection alerts, a daily digest): show them, set them up, send a test, turn
    /// them off. Desktop notifications follow the app's Notifications setting.
    Alerts {
        #[command(subcommand)]
        action: Option<AlertsAction>,
        #[arg(long)]
        json: bool,
    },
    /// The job queue: what is queued, running, done and dead, newest first.
    Jobs {
        #[command(subcommand)]
        action: Option<JobsAction>,
        /// How many to list.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The connected platform accounts, their state and last sync.
    Connections {
        #[command(subcommand)]
        action: Option<ConnectionsAction>,
        #[arg(long)]
        json: bool,
    },
    /// Bring the ledger up to date from a connection (or every active one), a page at a time; a sync
    /// that stops keeps its whole pages and the next one goes on from there.
    #[command(args_conflicts_with_subcommands = true)]
    Sync {
        #[command(subcommand)]
        action: Option<SyncAction>,
        /// The connection (`tributary connections` lists them).
        #[arg(value_name = "NAME", required_unless_present = "all")]
        name: Option<String>,
        /// Every active connection, one after the other.
        #[arg(long, conflicts_with = "name")]
        all: bool,
        /// Read everything the platform has, not only what changed since the last sync.
        #[arg(long)]
        full: bool,
        /// For this sync, how many days before the last sync's newest sale it reads again (default:
        /// the connection's, set at connect; 30 unless chosen).
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=3650))]
        lookback: Option<u32>,
        /// Read and check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// With --all: queue the syncs for whichever process runs the schedules (the app, the tray,
        /// `tributary daemon`) instead of running them here, as the tray's "Sync now" does.
        #[arg(long, conflicts_with_all = ["full", "lookback", "dry_run"])]
        queue: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a connection's token from the keyring; its events and sync history stay.
    Disconnect {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AlertsAction {
    /// Set up (or change) email alerts; what is not given keeps its saved value.
    Email {
        /// The address alerts go to.
        #[arg(long)]
        to: Option<String>,
        /// The sender ("Tributary <alerts@your-domain.example>"; with Resend, on a domain it verified).
        #[arg(long)]
        from: Option<String>,
        /// Send through Resend's API; its key (re_…) on standard input with --secret-stdin.
        #[arg(long, conflicts_with = "smtp")]
        resend: bool,
        /// Send through this SMTP server (HOST:PORT); its password, if it wants a login, with
        /// --username and --secret-stdin.
        #[arg(long, value_name = "HOST:PORT")]
        smtp: Option<String>,
        /// How the SMTP connection is protected (default: tls on port 465, else starttls).
        #[arg(long, value_enum, requires = "smtp")]
        security: Option<SecurityArg>,
        /// The SMTP login.
        #[arg(long, requires = "smtp")]
        username: Option<String>,
        /// Read the Resend API key or the SMTP password from standard input (never an argument,
        /// which the shell's history would keep).
        #[arg(long)]
        secret_stdin: bool,
        /// A daily digest of yesterday at this time (HH:MM, in the ledger's time zone), or `off`.
        #[arg(long, value_name = "HH:MM|off")]
        digest: Option<String>,
        /// Connection alerts (failing, needs reconnecting, paused itself, syncs again): on or off.
        #[arg(long, value_name = "on|off")]
        connection_alerts: Option<OnOff>,
    },
    /// Send a test email now, the way alerts go.
    Test,
    /// Turn email alerts off and forget their key or password.
    Off,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SecurityArg {
    Tls,
    Starttls,
    None,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Subcommand, Debug)]
pub enum JobsAction {
    /// Queue a dead job again, with fresh attempts.
    Retry {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConnectionsAction {
    /// Ask the platform whether the connection's saved credential still works (one call, no sync).
    Check {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// How often a connection syncs on its own: 15m to 1d (hourly unless set).
    Schedule {
        #[arg(value_name = "NAME")]
        name: String,
        /// 15m, 30m, 1h, 6h, 1d…
        #[arg(long, value_name = "INTERVAL")]
        every: String,
        #[arg(long)]
        json: bool,
    },
    /// Stop a connection's (or, with --all, every connection's) syncing on its own until resumed.
    Pause {
        #[arg(
            value_name = "NAME",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        name: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Let a paused connection (or, with --all, syncing as a whole) go on.
    Resume {
        #[arg(
            value_name = "NAME",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        name: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Give a connection another name; its history, sync position and key stay with it.
    Rename {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(value_name = "NEW_NAME")]
        new_name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SyncAction {
    /// A connection's sync runs, newest first.
    Runs {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove exactly this sync run's rows (keeping what a file or another run also delivered).
    Undo {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum BatchesAction {
    /// Remove exactly this batch's rows (putting back what they replaced).
    Undo { id: i64 },
}

#[derive(Subcommand, Debug)]
pub enum MappingsAction {
    /// Check a mapping file and save it under its name, for `--mapping NAME` and detection.
    Save { file: PathBuf },
    /// Forget a saved mapping.
    Remove { name: String },
    /// Show a saved mapping by another title (its name stays, for --mapping NAME); "" for none.
    Rename { name: String, title: String },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum By {
    Day,
    Month,
    Platform,
    Product,
    Currency,
    Country,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    Csv,
}
