//! Opening the system browser on the authorization URL, as `xdg-open` does: `$BROWSER` first, a
//! colon-separated list of commands tried in turn, each split into words, with `%s` replaced by the
//! URL (and `%%` by `%`) or, without `%s`, the URL appended; then the platform's opener (`xdg-open`,
//! `open` on macOS, `cmd /c start` on Windows). Whether anything was launched is returned, so the
//! caller can say "open this address" when nothing was. Nothing here logs the URL.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a launched command gets to fail before it counts as launched: an opener (`xdg-open`)
/// returns at once, a browser started in the foreground (`firefox URL`) runs on.
const GRACE: Duration = Duration::from_millis(1500);

/// One command to try: the program and its arguments (the URL among them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Launch {
    pub program: String,
    pub args: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Os {
    Mac,
    Windows,
    /// Linux and the other Unixes: `xdg-open`.
    Other,
}

impl Os {
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::Mac
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Other
        }
    }
}

/// The commands to try, in order, for `url` with `browser_env` (`$BROWSER`) on `os`.
pub(crate) fn launch_commands(browser_env: Option<&str>, url: &str, os: Os) -> Vec<Launch> {
    let mut commands: Vec<Launch> = browser_env
        .unwrap_or("")
        .split(':')
        .filter_map(|entry| from_entry(entry, url))
        .collect();
    commands.push(match os {
        Os::Mac => Launch {
            program: "open".into(),
            args: vec![url.into()],
        },
        // `start` takes its first quoted argument as a window title, hence the empty one; the URL
        // is quoted when the command line is written (see `run`) so that cmd does not read its `&`.
        Os::Windows => Launch {
            program: "cmd".into(),
            args: vec!["/c".into(), "start".into(), String::new(), url.into()],
        },
        Os::Other => Launch {
            program: "xdg-open".into(),
            args: vec![url.into()],
        },
    });
    commands
}

fn from_entry(entry: &str, url: &str) -> Option<Launch> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    let (program, rest) = words.split_first()?;
    let substitutes = words.iter().any(|w| w.contains("%s"));
    let fill = |w: &str| {
        w.replace("%%", "\u{0}")
            .replace("%s", url)
            .replace('\u{0}', "%")
    };
    let mut args: Vec<String> = rest.iter().map(|w| fill(w)).collect();
    if !substitutes {
        args.push(url.to_string());
    }
    Some(Launch {
        program: fill(program),
        args,
    })
}

/// Tries each command until one starts and does not fail within the grace period. Blocking: call
/// it on a blocking thread.
pub(crate) fn open(url: &str) -> bool {
    let browser = std::env::var("BROWSER").ok();
    launch_commands(browser.as_deref(), url, Os::current())
        .iter()
        .any(run)
}

fn run(launch: &Launch) -> bool {
    let mut command = Command::new(&launch.program);
    add_args(&mut command, launch);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let Ok(mut child) = command.spawn() else {
        return false;
    };
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if started.elapsed() >= GRACE => {
                // Still running (a browser in the foreground): launched. Reap it when it ends.
                let _ = std::thread::Builder::new()
                    .name("browser-reaper".into())
                    .spawn(move || {
                        let _ = child.wait();
                    });
                return true;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => return false,
        }
    }
}

#[cfg(windows)]
fn add_args(command: &mut Command, launch: &Launch) {
    use std::os::windows::process::CommandExt;
    if launch.program != "cmd" {
        command.args(&launch.args);
        return;
    }
    // cmd.exe parses its own command line: the title and the URL quoted whole, so an `&` in the URL
    // stays in it (an encoded URL holds no `"`); `/c start` bare, so cmd strips no quotes.
    for arg in &launch.args {
        if arg.starts_with('/') || arg == "start" {
            command.raw_arg(arg);
        } else {
            command.raw_arg(format!("\"{arg}\""));
        }
    }
}

#[cfg(not(windows))]
fn add_args(command: &mut Command, launch: &Launch) {
    command.args(&launch.args);
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://auth.example/authorize?a=1&b=%20";

    fn line(l: &Launch) -> Vec<String> {
        std::iter::once(l.program.clone())
            .chain(l.args.clone())
            .collect()
    }

    #[test]
    fn without_browser_the_platform_opener_is_used() {
        let linux = launch_commands(None, URL, Os::Other);
        assert_eq!(linux.len(), 1);
        assert_eq!(line(&linux[0]), ["xdg-open", URL]);
        assert_eq!(
            line(&launch_commands(Some(""), URL, Os::Mac)[0]),
            ["open", URL]
        );
        assert_eq!(
            line(&launch_commands(None, URL, Os::Windows)[0]),
            ["cmd", "/c", "start", "", URL]
        );
    }

    #[test]
    fn browser_is_a_colon_separated_list_with_percent_s() {
        let cmds = launch_commands(
            Some("firefox --new-window:  :w3m -o x=%s:my-open '%s' --x=100%%"),
            URL,
            Os::Other,
        );
        let lines: Vec<Vec<String>> = cmds.iter().map(line).collect();
        assert_eq!(lines[0], ["firefox", "--new-window", URL]);
        assert_eq!(lines[1], ["w3m", "-o", &format!("x={URL}")]);
        // Quotes are not shell-parsed (xdg-open does not either); `%%` is a literal `%`.
        assert_eq!(lines[2], ["my-open", &format!("'{URL}'"), "--x=100%"]);
        assert_eq!(lines[3], ["xdg-open", URL]);
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn a_percent_in_the_url_is_not_read_as_a_placeholder() {
        let cmds = launch_commands(Some("b %s"), "http://x/?q=%s%%", Os::Other);
        assert_eq!(line(&cmds[0]), ["b", "http://x/?q=%s%%"]);
    }
}
