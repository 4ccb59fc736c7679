//! Resend against its stand-in: a send answers the id and the email arrives with both parts; the same
//! idempotency key sends once (the same id again), and with another payload is refused (409, not
//! retried); a revoked key is refused as needing the person; a 429 is a rate limit worth waiting out
//! (a spent quota is not: `resend.rs`'s unit test); a 503 streak is worth retrying.

use tributary_email::{send_resend, Email};
use tributary_http::{ClientConfig, HttpClient, Url};
use tributary_model::{FailureClass, Sensitive};
use tributary_standins::resend::DEFAULT_KEY;
use tributary_standins::{Fault, ResendStandIn};

fn email(subject: &str, key: &str) -> Email {
    Email::of(
        "Tributary <alerts@example.com>",
        "maker@example.com",
        subject,
        &["Whop needs reconnecting.".into()],
        key,
    )
}

fn client() -> HttpClient {
    HttpClient::new(ClientConfig {
        retries: 1,
        min_delay: std::time::Duration::from_millis(10),
        max_delay: std::time::Duration::from_millis(20),
        ..ClientConfig::default()
    })
    .unwrap()
}

#[tokio::test]
async fn idempotent_sends_and_errors_that_say_whether_to_retry() {
    let r = ResendStandIn::spawn().unwrap();
    let base = Url::parse(&format!("{}/", r.base_url())).unwrap();
    let key = Sensitive::new(DEFAULT_KEY.to_string());
    let c = client();

    let id = send_resend(&c, &base, &key, &email("One", "k-1"))
        .await
        .unwrap();
    let again = send_resend(&c, &base, &key, &email("One", "k-1"))
        .await
        .unwrap();
    assert_eq!(id, again, "the same key answers the first send");
    let sent = r.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].subject, "One");
    assert_eq!(sent[0].idempotency_key.as_deref(), Some("k-1"));
    assert!(sent[0]
        .html
        .as_deref()
        .unwrap()
        .contains("<p>Whop needs reconnecting.</p>"));
    assert_eq!(sent[0].text.as_deref(), Some("Whop needs reconnecting.\n"));

    let e = send_resend(&c, &base, &key, &email("Other", "k-1"))
        .await
        .unwrap_err();
    assert_eq!(e.class, FailureClass::Configuration, "{e}");
    assert!(e.reason.contains("409"), "{e}");
    assert!(!e.is_worth_retrying());

    r.set_fault(Fault::server_error(503).forever());
    let e = send_resend(&c, &base, &key, &email("Two", "k-2"))
        .await
        .unwrap_err();
    assert!(e.is_worth_retrying(), "{e}");
    r.clear_faults();

    r.set_fault(Fault::too_many_requests(1).forever());
    let e = send_resend(&c, &base, &key, &email("Two", "k-2"))
        .await
        .unwrap_err();
    assert_eq!(e.class, FailureClass::RateLimit, "{e}");
    assert!(e.is_worth_retrying());
    r.clear_faults();
    assert_eq!(r.sent().len(), 1, "nothing went out while refused");

    assert!(r.revoke_key(DEFAULT_KEY));
    let e = send_resend(&c, &base, &key, &email("Three", "k-3"))
        .await
        .unwrap_err();
    assert_eq!(e.class, FailureClass::Configuration, "{e}");
    assert!(e.to_string().starts_with("Resend (POST /emails): "), "{e}");
    assert!(!e.to_string().contains(DEFAULT_KEY));
}
