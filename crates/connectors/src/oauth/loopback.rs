//! The one-shot redirect listener of RFC 8252 §7.3: a tokio listener on the literal `127.0.0.1`
//! (§8.3, not `localhost`) at a port the system picks, whose redirect URI is
//! `http://127.0.0.1:PORT/callback`. It answers only `GET /callback`, and 404 for anything else
//! (`/favicon.ico` included); it compares `state` in constant time; it stops at the first callback
//! that settles the flow (a code, a denial, an error, a wrong state) and is closed when `wait`
//! returns, so it is served only during the flow. Connections that send nothing (a browser's
//! speculative preconnect) are served side by side and do not hold it up.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tributary_model::{FailureClass, Sensitive};
use url::Url;

use super::error::{error_code, scrubbed, OAuthError, OAuthErrorKind};
use super::pages::Page;

const CALLBACK_PATH: &str = "/callback";
/// The most a request head may be: a callback URL is well under a kilobyte.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection gets to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct Loopback {
    listener: TcpListener,
    port: u16,
}

/// What one callback settled.
type Settled = Result<Sensitive<String>, OAuthError>;

impl Loopback {
    pub async fn bind(platform: &str) -> Result<Loopback, OAuthError> {
        let cannot = |_| {
            OAuthError::configuration(
                platform,
                "Tributary could not listen on 127.0.0.1 for the browser's answer",
            )
        };
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(cannot)?;
        let port = listener.local_addr().map_err(cannot)?.port();
        Ok(Loopback { listener, port })
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Serves until a callback settles the flow, `timeout` passes or `cancel` fires; the listener
    /// and every connection still open are closed on return.
    pub async fn wait(
        self,
        platform: &str,
        state: &Sensitive<String>,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Settled {
        let expected: Arc<Sensitive<String>> = Arc::new(state.clone());
        let name: Arc<str> = Arc::from(platform);
        let mut connections: JoinSet<Option<Settled>> = JoinSet::new();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return Err(OAuthError::cancelled(platform)),
                _ = &mut deadline => return Err(OAuthError::timed_out(platform, timeout)),
                accepted = self.listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        connections.spawn(serve(stream, Arc::clone(&expected), Arc::clone(&name)));
                    }
                }
                Some(done) = connections.join_next() => {
                    if let Ok(Some(settled)) = done {
                        return settled;
                    }
                }
            }
        }
    }
}

/// Reads one request, answers it, and says whether it settled the flow.
async fn serve(
    mut stream: TcpStream,
    expected: Arc<Sensitive<String>>,
    platform: Arc<str>,
) -> Option<Settled> {
    let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
        Ok(Some(head)) => head,
        _ => return None,
    };
    let (page, settled) = judge(&head, expected.expose(), &platform);
    let body = page.html(&platform);
    let answer = format!(
        "HTTP/1.1 {}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        page.status_line(),
        body.len()
    );
    let _ = tokio::time::timeout(READ_TIMEOUT, async {
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.flush().await;
        let _ = stream.shutdown().await;
    })
    .await;
    settled
}

/// The request head, up to the blank line; `None` when the connection closes first or sends
/// more than a head can be.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            return String::from_utf8(head).ok();
        }
        if head.len() > MAX_HEAD {
            return None;
        }
    }
}

/// The page to answer and what the request settled, from its head.
fn judge(head: &str, expected: &str, platform: &str) -> (Page, Option<Settled>) {
    let mut parts = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Ok(url) = Url::parse(&format!("http://127.0.0.1{target}")) else {
        return (Page::BadRequest, None);
    };
    if url.path() != CALLBACK_PATH || !target.starts_with('/') {
        return (Page::NotFound, None);
    }
    if method != "GET" {
        return (Page::MethodNotAllowed, None);
    }
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let (state, code, error) = (param("state"), param("code"), param("error"));
    if state.is_none() && code.is_none() && error.is_none() {
        // Not an authorization answer at all (someone opened the address): the flow goes on.
        return (Page::BadRequest, None);
    }
    let state_matches = state
        .as_deref()
        .is_some_and(|s| constant_time_eq(s.as_bytes(), expected.as_bytes()));
    // A denial or error may come without a state (it gives nothing away); a code never may.
    if !state_matches && (state.is_some() || code.is_some()) {
        return (
            Page::Failed,
            Some(Err(OAuthError::state_mismatch(platform))),
        );
    }
    if let Some(error) = error {
        if error == "access_denied" {
            return (Page::Declined, Some(Err(OAuthError::denied(platform))));
        }
        let said = param("error_description")
            .map(|d| format!(": \"{}\"", scrubbed(&d, &[expected])))
            .unwrap_or_default();
        let code = error_code(&error);
        let (kind, class) = match error.as_str() {
            "server_error" | "temporarily_unavailable" => {
                (OAuthErrorKind::Server, FailureClass::Transient)
            }
            _ => (OAuthErrorKind::Configuration, FailureClass::Configuration),
        };
        let e = OAuthError::new(
            kind,
            class,
            platform,
            format!(
                "{platform} refused the authorization ({code}){said}, so nothing was connected"
            ),
        );
        return (Page::Failed, Some(Err(e)));
    }
    match code.filter(|c| !c.is_empty()) {
        Some(code) => (Page::Received, Some(Ok(Sensitive::new(code)))),
        None => (
            Page::Failed,
            Some(Err(OAuthError::server(
                platform,
                FailureClass::UnexpectedData,
                "the browser came back without an authorization code, so nothing was connected",
            ))),
        ),
    }
}

/// Equal bytes, in a time that depends on the lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(target: &str) -> String {
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    }

    fn kind(settled: Option<Settled>) -> Option<Result<String, OAuthErrorKind>> {
        settled.map(|s| s.map(|c| c.into_inner()).map_err(|e| e.kind))
    }

    #[test]
    fn only_a_callback_with_this_flows_state_settles_it() {
        let j = |t: &str| kind(judge(&get(t), "st4te", "Whop").1);
        assert_eq!(j("/callback?code=abc&state=st4te"), Some(Ok("abc".into())));
        assert_eq!(
            j("/callback?code=abc&state=other"),
            Some(Err(OAuthErrorKind::StateMismatch))
        );
        assert_eq!(
            j("/callback?code=abc"),
            Some(Err(OAuthErrorKind::StateMismatch))
        );
        assert_eq!(
            j("/callback?error=access_denied&state=st4te"),
            Some(Err(OAuthErrorKind::Denied))
        );
        assert_eq!(
            j("/callback?error=access_denied"),
            Some(Err(OAuthErrorKind::Denied))
        );
        assert_eq!(
            j("/callback?error=invalid_scope&state=st4te"),
            Some(Err(OAuthErrorKind::Configuration))
        );
        assert_eq!(
            j("/callback?state=st4te"),
            Some(Err(OAuthErrorKind::Server))
        );
        assert_eq!(j("/callback"), None);
        assert_eq!(j("/favicon.ico"), None);
        assert_eq!(j("/callback/x?code=abc&state=st4te"), None);
        assert!(matches!(
            judge(&get("/favicon.ico"), "s", "W").0,
            Page::NotFound
        ));
        let post = "POST /callback?code=a&state=s HTTP/1.1\r\n\r\n";
        assert!(matches!(
            judge(post, "s", "W"),
            (Page::MethodNotAllowed, None)
        ));
        assert!(matches!(
            judge("garbage", "s", "W"),
            (Page::NotFound | Page::BadRequest, None)
        ));
    }

    #[test]
    fn an_error_description_is_shown_without_secrets() {
        let head =
            get("/callback?error=invalid_request&error_description=bad%20st4te%0A&state=st4te");
        let (_, settled) = judge(&head, "st4te", "Whop");
        let e = settled.unwrap().unwrap_err();
        assert!(e.to_string().contains("invalid_request"), "{e}");
        assert!(!e.to_string().contains("st4te"), "{e}");
    }

    #[test]
    fn states_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
