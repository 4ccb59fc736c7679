//! The HTTP function `oauth2` sends its token requests through, on the project's reqwest 0.13
//! (oauth2's own reqwest feature is on 0.12). Redirects are not followed (the oauth2 docs warn of
//! request forgery otherwise: a redirect is an answer like any other), the connect and whole-request
//! times are bounded, and errors say what failed without the URL or the body.

use oauth2::{HttpRequest, HttpResponse};
use std::fmt;
use std::sync::Once;
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A token response is a few hundred bytes; anything past this is not one.
const MAX_BODY: usize = 1 << 20;

/// Why a token request got no usable answer, in words without the URL: no answer at all, or a
/// status that says the server failed or is throttling (5xx, 429), whose body is not read.
#[derive(Debug)]
pub(crate) struct TransportError {
    pub status: Option<u16>,
    pub reason: String,
}

impl TransportError {
    fn new(reason: impl Into<String>) -> Self {
        TransportError {
            status: None,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for TransportError {}

/// The client for token requests: no redirects, bounded times, rustls with ring.
pub(crate) fn client() -> Result<reqwest::Client, TransportError> {
    static PROVIDER: Once = Once::new();
    // reqwest is built without a crypto provider of its own (as in tributary-http): ring, once. An
    // Err means another part of the process installed one already.
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Tributary/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|_| TransportError::new("the HTTP client could not be set up"))
}

/// One token request, as `oauth2` builds it, and the answer whatever its status (oauth2 reads the
/// error body of a 400 for `invalid_grant`). The client is taken by value (a cheap handle), so the
/// future borrows nothing and the flow's future stays `Send` for any runtime's `spawn`.
pub(crate) async fn send(
    client: reqwest::Client,
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    let request = reqwest::Request::try_from(request)
        .map_err(|_| TransportError::new("the token request could not be built"))?;
    let mut response = client.execute(request).await.map_err(|e| network(&e))?;
    let status = response.status();
    if status.is_server_error() || status.as_u16() == 429 {
        return Err(TransportError {
            status: Some(status.as_u16()),
            reason: format!(
                "it answered {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_string(),
        });
    }
    let mut builder = oauth2::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        TransportError::new(format!("the answer broke off ({})", network(&e).reason))
    })? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(TransportError::new(
                "the answer was far larger than a token response",
            ));
        }
        body.extend_from_slice(&chunk);
    }
    builder
        .body(body)
        .map_err(|_| TransportError::new("the answer could not be read"))
}

fn network(e: &reqwest::Error) -> TransportError {
    let what = if e.is_timeout() {
        "no answer in time (timed out)".to_string()
    } else if e.is_connect() {
        "could not connect to the server".to_string()
    } else {
        // reqwest's own Display includes the URL: keep only the innermost cause.
        let mut cause = std::error::Error::source(e);
        let mut last = None;
        while let Some(c) = cause {
            last = Some(c.to_string());
            cause = c.source();
        }
        format!(
            "the connection failed ({})",
            last.unwrap_or_else(|| "no detail".into())
        )
    };
    TransportError::new(what)
}
