//! Memory and CPU of a process and everything it started (a Tauri app is three processes: the app,
//! WebKit's web process and its network process), read from `/proc`: proportional set size (shared
//! pages split between the processes sharing them, so the tree's sum is what it really costs) and CPU
//! time in clock ticks. Linux only, like the desktop app's benchmark.

use anyhow::{Context, Result};
use std::collections::BTreeMap;

/// `pid` and its descendants, as they are now.
pub fn tree(pid: u32) -> Vec<u32> {
    let mut parents: BTreeMap<u32, u32> = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.filter_map(Result::ok) {
            let Some(child) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(parent) = stat_fields(child).and_then(|f| f.get(1)?.parse().ok()) {
                parents.insert(child, parent);
            }
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, &p)| p == parent)
                .map(|(&c, _)| c),
        );
        i += 1;
    }
    found
}

/// The fields of `/proc/PID/stat` after the command name (which may hold spaces): state, ppid, ….
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = stat.get(stat.rfind(')')? + 2..)?;
    Some(after_name.split(' ').map(str::to_string).collect())
}

/// The summed PSS of the processes, in KiB.
pub fn pss_kib(pids: &[u32]) -> Result<u64> {
    rollup_kib(pids, "Pss:")
}

/// The summed RSS of the processes, in KiB: every page they map counted in full, shared or not
/// (where PSS splits a page shared by two processes between them).
pub fn rss_kib(pids: &[u32]) -> Result<u64> {
    rollup_kib(pids, "Rss:")
}

/// One field of `/proc/PID/smaps_rollup` (`Pss:`, `Rss:`), summed over the processes, in KiB.
fn rollup_kib(pids: &[u32], field: &str) -> Result<u64> {
    let mut total = 0;
    for pid in pids {
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue; // gone meanwhile
        };
        let line = rollup
            .lines()
            .find(|l| l.starts_with(field))
            .with_context(|| format!("no {field} in /proc/{pid}/smaps_rollup"))?;
        total += line
            .split_whitespace()
            .nth(1)
            .and_then(|v| v.parse::<u64>().ok())
            .with_context(|| format!("unreadable {field} line '{line}'"))?;
    }
    Ok(total)
}

/// User plus system CPU time of the processes so far, in clock ticks.
pub fn cpu_ticks(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|&pid| {
            let fields = stat_fields(pid)?;
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .sum()
}

pub fn ticks_per_second() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_and_a_tree_with_its_child() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let me = std::process::id();
        let found = tree(me);
        assert_eq!(found[0], me);
        assert!(found.contains(&child.id()), "{found:?}");
        assert!(pss_kib(&[me]).unwrap() > 100);
        let _ = child.kill();
        let _ = child.wait();
    }
}
