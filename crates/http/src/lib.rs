//! The HTTP client every connector uses, knowing no platform and no SQL: connect and read timeouts,
//! retries with exponential backoff and full jitter on the failures that waiting can fix, `Retry-After`
//! and `retry-after-ms` honoured, a per-connection rate limit so a sync does not cause the 429s it could
//! have avoided, a record of every request, and every failure given its `FailureClass`.

mod backoff;
mod client;
mod config;
mod error;
mod limiter;
mod record;
mod retry_after;

pub use client::{HttpClient, Response};
pub use config::{ClientConfig, RateLimit};
pub use error::HttpError;
pub use record::{redacted_target, RequestRecord};
pub use reqwest::{header, Method, StatusCode};
pub use retry_after::retry_after;
pub use url::Url;
