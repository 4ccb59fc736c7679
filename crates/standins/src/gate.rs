//! The gate every request to a platform route passes first, as the platform's edge would: it is
//! recorded, delayed by the configured latency, held to the rate limit, and handed to the next
//! pending fault before the platform's own handler (and its authentication) sees it. The admin
//! routes (`/__admin/…`) pass straight through, unrecorded.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::faults::FaultKind;
use crate::harness::Harness;
use crate::rate_limit::Verdict;
use crate::responses;

pub(crate) const ADMIN_PREFIX: &str = "/__admin";

pub(crate) async fn gate(
    State(harness): State<Arc<Harness>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path == ADMIN_PREFIX || path.starts_with("/__admin/") {
        return next.run(request).await;
    }
    let visit = harness.arrive(request.method().as_str(), &path, request.uri().query());
    // The limit counts arrivals; the latency is the time the answer takes to come back.
    let verdict = harness.admit();
    let latency = harness.latency();
    if !latency.is_zero() {
        harness.sleep(latency).await;
    }

    let (response, label) = match verdict {
        Some(Verdict::Refused { retry_after_secs }) => {
            (harness.throttled(retry_after_secs), Some("rate_limited"))
        }
        _ => {
            let fault = harness.take_fault(&path);
            let label = fault.as_ref().map(FaultKind::label);
            let mut response = match fault {
                None => next.run(request).await,
                Some(kind) => answer_with_fault(&harness, kind, request, next).await,
            };
            if let (Some(Verdict::Accepted { limit, remaining }), true) =
                (verdict, harness.rate_limit_headers())
            {
                if response.status().is_success() {
                    let headers = response.headers_mut();
                    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
                    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
                }
            }
            (response, label)
        }
    };
    visit.finish(response.status().as_u16(), label);
    response
}

async fn answer_with_fault(
    harness: &Harness,
    kind: FaultKind,
    request: Request,
    next: Next,
) -> Response {
    if let Some(change) = kind.data_change() {
        // The data changes just before this read, i.e. after the reads the fault let through.
        harness.apply_change(&change);
        return next.run(request).await;
    }
    match kind {
        FaultKind::TooManyRequests { retry_after_secs } => harness.throttled(retry_after_secs),
        FaultKind::ServerError { status } => responses::proxy_error(status),
        FaultKind::Slow { delay_ms } => {
            harness.sleep(Duration::from_millis(delay_ms)).await;
            next.run(request).await
        }
        FaultKind::MalformedJson => responses::malformed_json(),
        FaultKind::HtmlPage => responses::html_page(),
        FaultKind::InsertNewestSale | FaultKind::RefundSale { .. } => next.run(request).await,
    }
}
