//! Embedded schema migrations: `migrations/NNNN_name.sql`, applied in order, each in its own transaction
//! and recorded in `schema_migrations`. A file from a newer build is refused; an existing file is copied
//! with `VACUUM INTO` before it is changed.

use crate::error::{LedgerError, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    /// Whether the rollups are recounted from the events after `sql`, in the same transaction: for a
    /// migration that changes what the rollups sum, which SQL alone cannot recount (days are counted in
    /// the ledger's time zone, and estimates by settlement's rule).
    pub recount: bool,
}

/// Every migration, in order. Never edit one that has landed: add the next.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../../../migrations/0001_initial.sql"),
        recount: false,
    },
    Migration {
        version: 2,
        name: "settlements",
        sql: include_str!("../../../migrations/0002_settlements.sql"),
        recount: false,
    },
    Migration {
        version: 3,
        name: "deliveries",
        sql: include_str!("../../../migrations/0003_deliveries.sql"),
        recount: false,
    },
    Migration {
        version: 4,
        name: "rollup_keys",
        sql: include_str!("../../../migrations/0004_rollup_keys.sql"),
        recount: false,
    },
    Migration {
        version: 5,
        name: "time_zone",
        sql: include_str!("../../../migrations/0005_time_zone.sql"),
        recount: false,
    },
    Migration {
        version: 6,
        name: "figures",
        sql: include_str!("../../../migrations/0006_figures.sql"),
        recount: true,
    },
    Migration {
        version: 7,
        name: "replaced_estimates",
        sql: include_str!("../../../migrations/0007_replaced_estimates.sql"),
        recount: false,
    },
    Migration {
        version: 8,
        name: "connections",
        sql: include_str!("../../../migrations/0008_connections.sql"),
        recount: false,
    },
    Migration {
        version: 9,
        name: "lookback",
        sql: include_str!("../../../migrations/0009_lookback.sql"),
        recount: false,
    },
    Migration {
        version: 10,
        name: "job_queue",
        sql: include_str!("../../../migrations/0010_job_queue.sql"),
        recount: false,
    },
    Migration {
        version: 11,
        name: "cache_and_rate_counters",
        sql: include_str!("../../../migrations/0011_cache_and_rate_counters.sql"),
        recount: false,
    },
    Migration {
        version: 12,
        name: "schedules",
        sql: include_str!("../../../migrations/0012_schedules.sql"),
        recount: false,
    },
    Migration {
        version: 13,
        name: "runner_lease",
        sql: include_str!("../../../migrations/0013_runner_lease.sql"),
        recount: false,
    },
    Migration {
        version: 14,
        name: "alert_marks",
        sql: include_str!("../../../migrations/0014_alert_marks.sql"),
        recount: false,
    },
];

/// The page cache while a file is backed up and migrated (negative: KiB).
const MIGRATION_CACHE_KIB: i64 = -4096;

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// What `migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub from_version: i64,
    pub to_version: i64,
    pub backup: Option<PathBuf>,
}

fn ensure_table(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at INTEGER NOT NULL
         )",
    )
}

/// The highest migration recorded in the database (0 for a new file).
pub fn current_version(conn: &Connection) -> Result<i64> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(0);
    }
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?)
}

/// Brings the database at `path` (or in memory when `path` is None) up to `target`.
pub fn migrate_to(
    conn: &mut Connection,
    path: Option<&Path>,
    target: i64,
) -> Result<MigrationReport> {
    apply(conn, path, MIGRATIONS, target)
}

/// Applies `migrations` (in order) up to `target`. Public so that tests can run the mechanism on a list
/// with one more migration than this build has.
pub fn apply(
    conn: &mut Connection,
    path: Option<&Path>,
    migrations: &[Migration],
    target: i64,
) -> Result<MigrationReport> {
    let from_version = current_version(conn)?;
    let supported = migrations.last().map_or(0, |m| m.version);
    if from_version > supported {
        return Err(LedgerError::NewerSchema {
            path: path.map(Path::to_path_buf).unwrap_or_default(),
            found: from_version,
            supported,
        });
    }
    let pending: Vec<&Migration> = migrations
        .iter()
        .filter(|m| m.version > from_version && m.version <= target)
        .collect();
    if pending.is_empty() {
        return Ok(MigrationReport {
            from_version,
            to_version: from_version,
            backup: None,
        });
    }
    // The backup (`VACUUM INTO` gives its copy the connection's cache size) and the migrations rewrite
    // whole tables once, in order: a small cache costs them little, and a large one cost a 1,000,000-event
    // ledger's upgrade 209 MB. Sorts go to disk for the same reason.
    let cache_size: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", MIGRATION_CACHE_KIB)?;
    conn.pragma_update(None, "temp_store", "FILE")?;
    let backup = match path {
        Some(path) if from_version > 0 => Some(backup(conn, path, from_version)?),
        _ => None,
    };
    ensure_table(conn)?;
    let mut to_version = from_version;
    for migration in pending {
        let fail = |reason| LedgerError::Migration {
            version: migration.version,
            name: migration.name,
            reason,
        };
        let tx = conn.transaction().map_err(fail)?;
        tx.execute_batch(migration.sql).map_err(fail)?;
        if migration.recount {
            let zone = crate::rollup_zone::stored(&tx)?;
            crate::rollup_zone::rebuild(&tx, &zone).map_err(|e| match e {
                LedgerError::Sqlite(reason) => fail(reason),
                other => other,
            })?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                migration.version,
                migration.name,
                tributary_model::UtcInstant::now().millis()
            ],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        to_version = migration.version;
    }
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", cache_size)?;
    Ok(MigrationReport {
        from_version,
        to_version,
        backup,
    })
}

/// Copies the database beside itself as `<name>.v<version>.bak`, consistent even under WAL.
fn backup(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{version}.bak"));
    let target = path.with_file_name(name);
    let fail = |reason: String| LedgerError::Backup {
        path: path.to_path_buf(),
        reason,
    };
    // VACUUM INTO refuses to overwrite: an older backup of the same version is replaced.
    if target.exists() {
        std::fs::remove_file(&target).map_err(|e| fail(e.to_string()))?;
    }
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])
        .map_err(|e| fail(e.to_string()))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_increasing_and_named_like_their_files() {
        let mut previous = 0;
        for m in MIGRATIONS {
            assert!(
                m.version > previous,
                "migration {} is out of order",
                m.version
            );
            previous = m.version;
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{:04}_{}.sql", m.version, m.name))
            .collect();
        assert_eq!(
            files, listed,
            "every file in migrations/ must be listed in MIGRATIONS, in order"
        );
    }
}
