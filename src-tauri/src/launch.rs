//! What the app was started with: `--hidden` (started at login: tray only) and files to preview
//! (`tributary-app report.csv`, or "Open with" from a file manager), made absolute against the
//! directory the launch came from, since a second launch's files are handed to the first process.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub const HIDDEN_FLAG: &str = "--hidden";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Launch {
    pub hidden: bool,
    pub files: Vec<String>,
}

impl Launch {
    pub fn from_args(args: impl IntoIterator<Item = OsString>, cwd: Option<PathBuf>) -> Launch {
        let mut launch = Launch::default();
        for arg in args {
            if arg == HIDDEN_FLAG {
                launch.hidden = true;
                continue;
            }
            // Other flags (the WebDriver's, a desktop environment's) are not files.
            if arg.to_string_lossy().starts_with('-') {
                continue;
            }
            let path = Path::new(&arg);
            let path = match (&cwd, path.is_absolute()) {
                (Some(cwd), false) => cwd.join(path),
                _ => path.to_path_buf(),
            };
            if path.is_file() {
                launch.files.push(path.display().to_string());
            }
        }
        launch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_files_relative_to_where_the_launch_came_from() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sales.csv"), "x").unwrap();
        let launch = Launch::from_args(
            ["--hidden", "sales.csv", "missing.csv", "--other"].map(OsString::from),
            Some(dir.path().to_path_buf()),
        );
        assert!(launch.hidden);
        assert_eq!(
            launch.files,
            [dir.path().join("sales.csv").display().to_string()]
        );
        assert_eq!(Launch::from_args([], None), Launch::default());
    }
}
