//! Email alerts through `tributary alerts` and the daemon, against a Resend stand-in and an SMTP sink:
//! set up with the key on standard input (and the key nowhere but the secret store); a test email at
//! once, both parts; a refused key at Lemon Squeezy becomes one "needs reconnecting" email, queued by
//! the scheduler and sent by the next tick, with an idempotency key, and never twice; a Resend outage
//! is retried by the queue and sends once; the digest of yesterday names its income as the report
//! does and what needs the person, once a day; SMTP with a login delivers, a wrong password or a
//! refusal says why, naming the server.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::{Command, Output};
use tributary_standins::lemonsqueezy::{StandInOrder, DEFAULT_KEY};
use tributary_standins::resend::DEFAULT_KEY as RESEND_KEY;
use tributary_standins::{Fault, LemonSqueezyStandIn, ResendStandIn, SmtpSink};

fn command(data: &Path, s: &LemonSqueezyStandIn, r: &ResendStandIn) -> Command {
    let mut c = common::tributary_on_lemonsqueezy(data, s);
    c.env("TRIBUTARY_RESEND_BASE_URL", r.base_url());
    c
}

fn run(data: &Path, s: &LemonSqueezyStandIn, r: &ResendStandIn, args: &[&str]) -> Output {
    with_input(command(data, s, r).args(args), None)
}

fn ok(data: &Path, s: &LemonSqueezyStandIn, r: &ResendStandIn, args: &[&str]) -> String {
    let out = run(data, s, r, args);
    assert!(
        out.status.success(),
        "tributary {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn set_up_resend(data: &Path, s: &LemonSqueezyStandIn, r: &ResendStandIn, extra: &[&str]) {
    let mut args = vec![
        "alerts",
        "email",
        "--to",
        "maker@example.com",
        "--from",
        "Tributary <alerts@example.com>",
        "--resend",
        "--secret-stdin",
    ];
    args.extend_from_slice(extra);
    let out = with_input(
        command(data, s, r).args(&args),
        Some(&format!("{RESEND_KEY}\n")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Moves every email job's time to now (its backoff waited out).
fn emails_due(data: &Path) {
    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    conn.execute(
        "UPDATE jobs SET run_at = 0 WHERE kind = 'email' AND status = 'queued'",
        [],
    )
    .unwrap();
}

fn holds(dir: &Path, needle: &str) -> bool {
    walk(dir).iter().any(|f| {
        std::fs::read(f).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
    })
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn resend_alerts_are_sent_once_and_the_key_stays_secret() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(30, 8);
    let r = ResendStandIn::spawn().unwrap();
    let said = ok(&data, &s, &r, &["alerts"]);
    assert!(said.contains("Email alerts are off"), "{said}");

    set_up_resend(&data, &s, &r, &[]);
    let v = json(&run(&data, &s, &r, &["alerts", "--json"]));
    assert_eq!(v["email"]["to"], "maker@example.com");
    assert_eq!(v["email"]["via"]["kind"], "resend");
    assert_eq!(v["email"]["alerts"], true);
    assert!(!v.to_string().contains(RESEND_KEY));
    assert!(
        !holds(&data, RESEND_KEY),
        "the key is in a file of the data folder"
    );

    // The test email, at once, both parts.
    let said = ok(&data, &s, &r, &["alerts", "test"]);
    assert!(said.starts_with("Sent the test email (00000000-"), "{said}");
    let sent = r.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].subject, "Tributary's test email");
    assert_eq!(sent[0].to, ["maker@example.com"]);
    assert!(sent[0]
        .text
        .as_deref()
        .unwrap()
        .contains("sent through Resend"));
    assert!(sent[0]
        .html
        .as_deref()
        .unwrap()
        .contains("<p>This is the test email"));

    // Synced fine (a first look: nothing to tell), then the key revoked at Lemon Squeezy.
    ok(&data, &s, &r, &["daemon", "--once"]);
    ok(&data, &s, &r, &["daemon", "--once"]);
    assert_eq!(r.sent().len(), 1, "nothing to tell");
    assert!(s.revoke_key(DEFAULT_KEY));
    assert!(!run(&data, &s, &r, &["sync", "lemonsqueezy"])
        .status
        .success());
    // The scheduler queues the alert; its next tick sends it.
    ok(&data, &s, &r, &["daemon", "--once"]);
    let said = ok(&data, &s, &r, &["daemon", "--once"]);
    assert!(
        said.contains("emailed \"Lemon Squeezy needs reconnecting\""),
        "{said}"
    );
    let sent = r.sent();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[1].subject, "Lemon Squeezy needs reconnecting");
    assert!(sent[1]
        .idempotency_key
        .as_deref()
        .is_some_and(|k| k.starts_with("alert-")));
    assert!(sent[1]
        .text
        .as_deref()
        .unwrap()
        .contains("Reconnect it under Integrations"));
    ok(&data, &s, &r, &["daemon", "--once"]);
    ok(&data, &s, &r, &["daemon", "--once"]);
    assert_eq!(r.sent().len(), 2, "told once");

    // Reconnected and synced, during a Resend outage: the queue retries, and it goes once.
    s.add_key("key-2");
    let out = with_input(
        command(&data, &s, &r).args(["connect", "lemonsqueezy", "--token-stdin"]),
        Some("key-2\n"),
    );
    assert!(out.status.success());
    assert!(run(&data, &s, &r, &["sync", "lemonsqueezy"])
        .status
        .success());
    r.set_fault(Fault::server_error(503).forever());
    ok(&data, &s, &r, &["daemon", "--once"]);
    let said = ok(&data, &s, &r, &["daemon", "--once"]);
    assert!(
        said.contains("could not email \"Lemon Squeezy syncs again\"")
            && said.contains("(retrying at "),
        "{said}"
    );
    r.clear_faults();
    emails_due(&data);
    let said = ok(&data, &s, &r, &["daemon", "--once"]);
    assert!(
        said.contains("emailed \"Lemon Squeezy syncs again\""),
        "{said}"
    );
    let subjects: Vec<String> = r.sent().into_iter().map(|e| e.subject).collect();
    assert_eq!(
        subjects
            .iter()
            .filter(|s| *s == "Lemon Squeezy syncs again")
            .count(),
        1,
        "{subjects:?}"
    );

    // Off: the key is forgotten, and a test says there is nothing set up.
    ok(&data, &s, &r, &["alerts", "off"]);
    let out = run(&data, &s, &r, &["alerts", "test"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("email alerts are not set up"));
}

#[test]
fn the_digest_says_yesterday_as_the_report_does_once_a_day() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(10, 9);
    let r = ResendStandIn::spawn().unwrap();
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    s.add_orders([
        StandInOrder::new(yesterday, "Zine", 1_500),
        StandInOrder::new(yesterday, "Print", 2_250),
    ])
    .unwrap();
    ok(&data, &s, &r, &["daemon", "--once"]);
    set_up_resend(
        &data,
        &s,
        &r,
        &["--digest", "00:00", "--connection-alerts", "off"],
    );
    let said = ok(&data, &s, &r, &["alerts"]);
    assert!(
        said.contains("A digest of yesterday each day at 00:00."),
        "{said}"
    );
    assert!(said.contains("Connection alerts: off."), "{said}");

    assert!(s.revoke_key(DEFAULT_KEY));
    assert!(!run(&data, &s, &r, &["sync", "lemonsqueezy"])
        .status
        .success());
    ok(&data, &s, &r, &["daemon", "--once"]);
    ok(&data, &s, &r, &["daemon", "--once"]);
    let day = yesterday.format("%Y-%m-%d").to_string();
    let report = json(&run(
        &data,
        &s,
        &r,
        &["report", "--from", &day, "--to", &day, "--json"],
    ));
    let usd = report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["currency"] == "USD")
        .expect("yesterday's USD")
        .clone();
    let net = usd["net_minor"].as_i64().unwrap();
    let sent = r.sent();
    assert_eq!(
        sent.len(),
        1,
        "the digest only: connection alerts are off: {sent:?}"
    );
    assert_eq!(
        sent[0].subject,
        format!(
            "Yesterday: {}.{:02} USD from Lemon Squeezy; Lemon Squeezy needs reconnecting",
            net / 100,
            net % 100
        )
    );
    let text = sent[0].text.as_deref().unwrap();
    assert!(text.contains("(UTC), net of fees and refunds:"), "{text}");
    assert!(
        text.contains(&format!(
            "Lemon Squeezy: {}.{:02} USD",
            net / 100,
            net % 100
        )),
        "{text}"
    );
    assert_eq!(
        sent[0].idempotency_key.as_deref(),
        Some(format!("digest-{day}").as_str())
    );
    ok(&data, &s, &r, &["daemon", "--once"]);
    ok(&data, &s, &r, &["daemon", "--once"]);
    assert_eq!(r.sent().len(), 1, "one digest a day");
}

#[test]
fn smtp_delivers_with_a_login_and_says_why_it_did_not() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(1, 2);
    let r = ResendStandIn::spawn().unwrap();
    let sink = SmtpSink::spawn().unwrap();
    sink.require_login("maker", "sink-password");
    let server = format!("127.0.0.1:{}", sink.port());
    let set_up = |password: &str| {
        let out = with_input(
            command(&data, &s, &r).args([
                "alerts",
                "email",
                "--to",
                "maker@example.com",
                "--from",
                "alerts@example.com",
                "--smtp",
                &server,
                "--security",
                "none",
                "--username",
                "maker",
                "--secret-stdin",
            ]),
            Some(&format!("{password}\n")),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    set_up("sink-password");
    let said = ok(&data, &s, &r, &["alerts", "test"]);
    assert!(said.contains("queued as SINK1"), "{said}");
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.user.as_deref(), Some("maker"));
    assert_eq!(
        (m.from.as_str(), m.to.as_slice()),
        ("alerts@example.com", &["maker@example.com".to_string()][..])
    );
    assert!(
        m.data.contains("Subject: Tributary's test email"),
        "{}",
        m.data
    );
    assert!(
        m.data.contains("multipart/alternative")
            && m.data.contains("text/plain")
            && m.data.contains("text/html"),
        "{}",
        m.data
    );
    assert!(!holds(&data, "sink-password"));

    set_up("wrong-password");
    let out = run(&data, &s, &r, &["alerts", "test"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("SMTP {server}")) && err.contains("535"),
        "{err}"
    );
    assert!(!err.contains("wrong-password"), "{err}");

    set_up("sink-password");
    sink.refuse_next("451 4.3.0 Try again later");
    let out = run(&data, &s, &r, &["alerts", "test"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("451"), "{err}");
    assert_eq!(sink.messages().len(), 1);

    // Bad settings are refused with the reason, nothing saved.
    let out = run(
        &data,
        &s,
        &r,
        &["alerts", "email", "--to", "not an address"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an email address"));
    let out = run(&data, &s, &r, &["alerts", "email", "--digest", "25:00"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a time of day"));
    let v = json(&run(&data, &s, &r, &["alerts", "--json"]));
    assert_eq!(v["email"]["to"], "maker@example.com");
}
