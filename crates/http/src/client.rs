//! `HttpClient`: one per connection (its limiter is the connection's budget). A request is tried,
//! and retried with full-jitter backoff while the failure is one waiting can fix (no answer, a timeout,
//! 408, 429, 5xx) and the server's `Retry-After` is within reason; then it is recorded, and a final
//! failure carries its class.

use crate::backoff::FullJitter;
use crate::error::{class_of_status, status_is_retryable};
use crate::limiter::Limiter;
use crate::{redacted_target, retry_after, ClientConfig, HttpError, RequestRecord};
use backon::Retryable;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant, SystemTime};
use tributary_model::{FailureClass, Sensitive};
use url::Url;

pub struct HttpClient {
    client: reqwest::Client,
    config: ClientConfig,
    limiter: Limiter,
    records: Mutex<Vec<RequestRecord>>,
}

/// A successful (2xx) answer, read whole: pages are small, and a page is only written once all of
/// it has arrived and parsed.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The request as `HttpError::request` names it, for errors found in the body.
    pub request: String,
}

impl Response {
    /// The body as `T`; anything else is unexpected data, said with where the parser stopped.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let what = if looks_like_html(&self.body) {
                "an HTML page instead of JSON".to_string()
            } else {
                format!("a body that is not the JSON expected ({e})")
            };
            HttpError::unexpected(&self.request, format!("the server answered {what}"))
                .with_status(self.status)
        })
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&body[..body.len().min(256)]).to_ascii_lowercase();
    let start = start.trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// One attempt's failure, and whether another attempt could help.
struct Failed {
    error: HttpError,
    retryable: bool,
    retry_after: Option<Duration>,
}

impl HttpClient {
    pub fn new(config: ClientConfig) -> Result<Self, HttpError> {
        static PROVIDER: Once = Once::new();
        // reqwest is built without a crypto provider of its own (ring instead of aws-lc-rs); install
        // ring as the process default once. An Err means another part of the process already did.
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect could carry the Authorization header elsewhere, and OAuth token requests
            // must not follow them (request forgery): a redirect is an answer like any other.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| {
                HttpError::new(
                    FailureClass::Configuration,
                    "HTTP client",
                    format!("could not be set up: {e}"),
                )
            })?;
        Ok(HttpClient {
            limiter: Limiter::new(config.rate_limit),
            client,
            config,
            records: Mutex::new(Vec::new()),
        })
    }

    /// `GET url` with a bearer token in the header (never in the URL).
    pub async fn get(
        &self,
        url: Url,
        bearer: Option<&Sensitive<String>>,
        extra: &[(&'static str, &str)],
    ) -> Result<Response, HttpError> {
        let mut headers = HeaderMap::new();
        if let Some(token) = bearer {
            headers.insert(AUTHORIZATION, bearer_header(token)?);
        }
        for (name, value) in extra {
            let value = HeaderValue::from_str(value).map_err(|_| {
                HttpError::new(
                    FailureClass::Configuration,
                    format!("GET {}", redacted_target(&url)),
                    format!("the header {name} has a value that cannot be sent"),
                )
            })?;
            headers.insert(*name, value);
        }
        self.send(Method::GET, url, headers, None).await
    }

    /// Any request. `body` is the content type and the bytes. Retried only when the method is
    /// idempotent (GET, HEAD, PUT, DELETE) or the body is a form (OAuth token requests, which a
    /// server that failed before answering did not act on... unless it did: callers that cannot
    /// repeat a POST pass `retry = false`).
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        headers: HeaderMap,
        body: Option<(&'static str, Vec<u8>)>,
    ) -> Result<Response, HttpError> {
        let retry = method.is_idempotent();
        self.send_with(method, url, headers, body, retry).await
    }

    pub async fn send_with(
        &self,
        method: Method,
        url: Url,
        headers: HeaderMap,
        body: Option<(&'static str, Vec<u8>)>,
        retry: bool,
    ) -> Result<Response, HttpError> {
        let target = redacted_target(&url);
        let request = format!("{method} {target}");
        let started = Instant::now();
        let retries = Mutex::new(0u32);
        let max_wait = self.config.max_retry_after;
        let times = if retry { self.config.retries } else { 0 };
        let result = (|| self.attempt(&method, &url, &headers, body.as_ref(), &request))
            .retry(FullJitter::new(self.config.min_delay, self.config.max_delay, times))
            .sleep(tokio::time::sleep)
            .when(|f: &Failed| f.retryable && f.retry_after.is_none_or(|d| d <= max_wait))
            // backon hands `None` once the retries are spent; answering `Some` then would retry
            // forever, so only a planned retry's delay is replaced by the server's.
            .adjust(|f: &Failed, planned| planned.map(|d| f.retry_after.unwrap_or(d)))
            .notify(|f: &Failed, wait| {
                tracing::debug!(request = %f.error.request, reason = %f.error.reason, ?wait, "retrying");
                if let Ok(mut n) = retries.lock() {
                    *n += 1;
                }
            })
            .await;
        let retries = retries.into_inner().unwrap_or(0);
        let status = match &result {
            Ok(r) => Some(r.status),
            Err(f) => f.error.status,
        };
        if let Ok(mut records) = self.records.lock() {
            records.push(RequestRecord {
                method: method.to_string(),
                target,
                status,
                duration: started.elapsed(),
                retries,
            });
        }
        result.map_err(|f| HttpError {
            retries,
            retry_after: f
                .retry_after
                .filter(|_| f.error.class == FailureClass::RateLimit),
            ..f.error
        })
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        headers: &HeaderMap,
        body: Option<&(&'static str, Vec<u8>)>,
        request: &str,
    ) -> Result<Response, Failed> {
        self.limiter.ready().await;
        let mut builder = self
            .client
            .request(method.clone(), url.clone())
            .headers(headers.clone());
        if let Some((content_type, bytes)) = body {
            builder = builder
                .header(CONTENT_TYPE, *content_type)
                .body(bytes.clone());
        }
        let response = builder.send().await.map_err(|e| Failed {
            error: HttpError::new(FailureClass::Transient, request, network_reason(&e)),
            retryable: true,
            retry_after: None,
        })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        self.limiter.remaining(
            headers
                .get("x-ratelimit-remaining")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok()),
        );
        let body = response.bytes().await.map_err(|e| Failed {
            error: HttpError::new(
                FailureClass::Transient,
                request,
                format!("the answer broke off: {}", network_reason(&e)),
            )
            .with_status(status),
            retryable: true,
            retry_after: None,
        })?;
        if (200..300).contains(&status) {
            return Ok(Response {
                status,
                headers,
                body: body.to_vec(),
                request: request.to_string(),
            });
        }
        let wait = retry_after(&headers, SystemTime::now());
        Err(Failed {
            error: HttpError {
                retry_after: wait,
                ..HttpError::new(
                    class_of_status(status),
                    request,
                    status_reason(status, &body),
                )
                .with_status(status)
            },
            retryable: status_is_retryable(status),
            retry_after: wait,
        })
    }

    /// The requests made so far, oldest first, and forgets them.
    pub fn take_records(&self) -> Vec<RequestRecord> {
        self.records
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }
}

fn bearer_header(token: &Sensitive<String>) -> Result<HeaderValue, HttpError> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
        HttpError::new(
            FailureClass::Authentication,
            "the token",
            "has characters a header cannot carry (was it pasted whole?)",
        )
    })?;
    // Kept out of reqwest's and hyper's debug output.
    value.set_sensitive(true);
    Ok(value)
}

fn network_reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time (timed out)".into()
    } else if e.is_connect() {
        "could not connect to the server".into()
    } else {
        // reqwest's Display includes the URL, which may hold a query: keep only the cause.
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
    }
}

/// A sentence for a non-2xx status, with the server's own message when it sent a short JSON one.
fn status_reason(status: u16, body: &[u8]) -> String {
    let name = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let said = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| server_message(&v))
        .map(|m| format!(": \"{}\"", truncate(&m, 200)))
        .unwrap_or_default();
    let what = match status {
        401 => "the server refused the credentials",
        403 => "the credentials may not do this",
        404 => "the server does not know this address",
        429 => "the server asked to slow down",
        500..=599 => "the server failed",
        _ => "the server refused the request",
    };
    format!("{what} ({status} {name}){said}").replace(" )", ")")
}

fn server_message(v: &serde_json::Value) -> Option<String> {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    v.get("message")
        .and_then(text)
        .or_else(|| {
            v.get("error")
                .and_then(|e| text(e).or_else(|| e.get("message").and_then(text)))
        })
        .or_else(|| v.get("errors")?.get(0)?.get("detail").and_then(text))
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
