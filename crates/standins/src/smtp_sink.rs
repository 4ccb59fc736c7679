//! An SMTP sink on 127.0.0.1: it speaks enough SMTP (RFC 5321: EHLO/HELO, AUTH PLAIN and LOGIN, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT) for a mail client to deliver to it, keeps every message it was given
//! (envelope and raw text), and can refuse: the next messages with a 4xx ("try again later") or a 5xx
//! ("no"), or every login. Plain text only: TLS is the mail library's and is not what the tests check.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::harness::lock;

/// One message as delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SunkMessage {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, as sent (dot-stuffing undone).
    pub data: String,
    /// The login used, if any.
    pub user: Option<String>,
}

#[derive(Default)]
struct SinkState {
    messages: Vec<SunkMessage>,
    /// Answers for the next MAIL commands instead of 250 (e.g. "451 4.3.0 Try again later").
    refusals: Vec<String>,
    /// (user, password) a login must match; none: any login, or none, is taken.
    login: Option<(String, String)>,
}

pub struct SmtpSink {
    addr: SocketAddr,
    state: Arc<Mutex<SinkState>>,
}

impl SmtpSink {
    /// Listens on a free port; each connection is served on a thread of its own.
    pub fn spawn() -> io::Result<SmtpSink> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(SinkState::default()));
        let shared = Arc::clone(&state);
        thread::Builder::new()
            .name("standin-smtp".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let state = Arc::clone(&shared);
                    let _ = thread::Builder::new()
                        .name("standin-smtp-session".into())
                        .spawn(move || {
                            let _ = session(stream, &state);
                        });
                }
            })?;
        Ok(SmtpSink { addr, state })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn messages(&self) -> Vec<SunkMessage> {
        lock(&self.state).messages.clone()
    }

    /// Answers the next MAIL command with `reply` (e.g. `451 4.3.0 Try again later`).
    pub fn refuse_next(&self, reply: &str) {
        lock(&self.state).refusals.push(reply.to_string());
    }

    /// Takes logins only with this user and password (535 otherwise, and 530 without one).
    pub fn require_login(&self, user: &str, password: &str) {
        lock(&self.state).login = Some((user.to_string(), password.to_string()));
    }
}

fn session(stream: TcpStream, state: &Mutex<SinkState>) -> io::Result<()> {
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    let mut say = |text: &str| out.write_all(format!("{text}\r\n").as_bytes());
    say("220 standin-smtp ESMTP ready")?;
    let (mut from, mut to, mut user): (Option<String>, Vec<String>, Option<String>) =
        (None, Vec::new(), None);
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                say("250-standin-smtp\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8")?
            }
            "HELO" => say("250 standin-smtp")?,
            "AUTH" => {
                let mut parts = command.split_whitespace().skip(1);
                let (who, password) = match (parts.next(), parts.next()) {
                    (Some(m), Some(initial)) if m.eq_ignore_ascii_case("PLAIN") => plain(initial),
                    (Some(m), None) if m.eq_ignore_ascii_case("PLAIN") => {
                        say("334 ")?;
                        plain(&read(&mut lines)?)
                    }
                    (Some(m), _) if m.eq_ignore_ascii_case("LOGIN") => {
                        say("334 VXNlcm5hbWU6")?;
                        let who = decode(&read(&mut lines)?);
                        say("334 UGFzc3dvcmQ6")?;
                        (who, decode(&read(&mut lines)?))
                    }
                    _ => {
                        say("504 5.5.4 Unrecognized authentication type")?;
                        continue;
                    }
                };
                let wanted = lock(state).login.clone();
                if wanted.is_some_and(|(u, p)| u != who || p != password) {
                    say("535 5.7.8 Authentication credentials invalid")?;
                } else {
                    user = Some(who);
                    say("235 2.7.0 Authentication successful")?;
                }
            }
            "MAIL" => {
                let mut st = lock(state);
                if st.login.is_some() && user.is_none() {
                    say("530 5.7.0 Authentication required")?;
                } else if !st.refusals.is_empty() {
                    let reply = st.refusals.remove(0);
                    say(&reply)?;
                } else {
                    from = Some(address(&command));
                    to.clear();
                    say("250 2.1.0 Ok")?;
                }
            }
            "RCPT" => {
                to.push(address(&command));
                say("250 2.1.5 Ok")?;
            }
            "DATA" => {
                say("354 End data with <CR><LF>.<CR><LF>")?;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if lines.read_line(&mut l)? == 0 {
                        return Ok(());
                    }
                    if l == ".\r\n" || l == ".\n" {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                }
                let mut st = lock(state);
                st.messages.push(SunkMessage {
                    from: from.take().unwrap_or_default(),
                    to: std::mem::take(&mut to),
                    data,
                    user: user.clone(),
                });
                let n = st.messages.len();
                drop(st);
                say(&format!("250 2.0.0 Ok: queued as SINK{n}"))?;
            }
            "RSET" => {
                from = None;
                to.clear();
                say("250 2.0.0 Ok")?;
            }
            "NOOP" => say("250 2.0.0 Ok")?,
            "QUIT" => {
                say("221 2.0.0 Bye")?;
                return Ok(());
            }
            _ => say("502 5.5.2 Command not recognized")?,
        }
    }
}

fn read(lines: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut l = String::new();
    lines.read_line(&mut l)?;
    Ok(l.trim_end().to_string())
}

/// `MAIL FROM:<a@b>` → `a@b`.
fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..]
        .find('>')
        .map_or(command.len(), |i| start + i);
    command[start..end].to_string()
}

/// AUTH PLAIN's base64 of `authzid\0user\0password`.
fn plain(b64: &str) -> (String, String) {
    let text = decode(b64);
    let mut parts = text.split('\0').skip(1);
    (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
    )
}

fn decode(b64: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}
