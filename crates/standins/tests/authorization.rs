//! The authorization stand-in's own checks, through plain HTTP: what `GET /oauth/authorize` refuses
//! before consenting (a redirect URI that is not loopback, an unknown client) and what it redirects
//! with (no PKCE challenge, consent switches); what `POST /oauth/token` refuses (a code used twice,
//! a wrong verifier, a wrong client secret) and how refresh tokens rotate, a reused one revoking the
//! grant; access tokens checked, expired and revoked.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::blocking::{Client, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tributary_standins::authorization::DEFAULT_CLIENT_ID;
use tributary_standins::{AuthorizationConfig, AuthorizationStandIn, ConsentMode, Fault};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT: &str = "http://127.0.0.1:53682/callback";

fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn authorize(s: &AuthorizationStandIn, params: &[(&str, &str)]) -> Response {
    let query = encode(params);
    client()
        .get(format!("{}?{query}", s.authorize_url()))
        .send()
        .unwrap()
}

fn encode(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn post_form(s: &AuthorizationStandIn, form: &[(&str, &str)]) -> Response {
    client()
        .post(s.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(form))
        .send()
        .unwrap()
}

fn good_params(challenge: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", DEFAULT_CLIENT_ID.into()),
        ("redirect_uri", REDIRECT.into()),
        ("state", "st-123".into()),
        ("code_challenge", challenge.into()),
        ("code_challenge_method", "S256".into()),
        ("scope", "read payments".into()),
    ]
}

fn as_refs<'a>(p: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    p.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The query of the redirect's `Location`.
fn location(r: &Response) -> (String, HashMap<String, String>) {
    assert_eq!(r.status(), 302, "expected a redirect");
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let (base, query) = loc.split_once('?').unwrap();
    let params = url_params(query);
    (base.to_string(), params)
}

fn url_params(query: &str) -> HashMap<String, String> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn code(s: &AuthorizationStandIn) -> String {
    let p = good_params(&challenge(VERIFIER));
    let (base, q) = location(&authorize(s, &as_refs(&p)));
    assert_eq!(base, REDIRECT);
    assert_eq!(q["state"], "st-123");
    q["code"].clone()
}

fn token(s: &AuthorizationStandIn, form: &[(&str, &str)]) -> (u16, Value) {
    let r = post_form(s, form);
    let status = r.status().as_u16();
    assert_eq!(r.headers()["cache-control"], "no-store");
    (status, r.json().unwrap())
}

fn exchange(s: &AuthorizationStandIn, code: &str, verifier: &str) -> (u16, Value) {
    token(
        s,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("client_id", DEFAULT_CLIENT_ID),
            ("code_verifier", verifier),
        ],
    )
}

fn refresh(s: &AuthorizationStandIn, rt: &str) -> (u16, Value) {
    token(
        s,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", DEFAULT_CLIENT_ID),
        ],
    )
}

fn whop() -> AuthorizationStandIn {
    AuthorizationStandIn::spawn(AuthorizationConfig::whop()).unwrap()
}

#[test]
fn a_redirect_uri_that_is_not_loopback_or_an_unknown_client_gets_a_page_not_a_redirect() {
    let s = whop();
    let ch = challenge(VERIFIER);
    for bad in [
        "https://evil.example/callback",
        "http://localhost:5000/callback",
        "http://127.0.0.1:5000/elsewhere",
        "http://127.0.0.1.evil.example:5000/callback",
    ] {
        let mut p = good_params(&ch);
        p[2].1 = bad.into();
        let r = authorize(&s, &as_refs(&p));
        assert_eq!(r.status(), 400, "{bad}");
        assert!(r.headers().get("location").is_none());
        assert!(r.text().unwrap().contains("redirect_uri"));
    }
    let mut p = good_params(&ch);
    p[1].1 = "who-is-this".into();
    let r = authorize(&s, &as_refs(&p));
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    // Any port is fine (RFC 8252 §7.3).
    let mut p = good_params(&ch);
    p[2].1 = "http://127.0.0.1:1/callback".into();
    assert_eq!(authorize(&s, &as_refs(&p)).status(), 302);
    assert_eq!(s.authority().counters().codes_issued, 1);
}

#[test]
fn without_a_s256_challenge_the_request_is_refused_by_redirect() {
    let s = whop();
    let mut p = good_params(&challenge(VERIFIER));
    p.retain(|(k, _)| !k.starts_with("code_challenge"));
    let (_, q) = location(&authorize(&s, &as_refs(&p)));
    assert_eq!(q["error"], "invalid_request");
    assert_eq!(q["state"], "st-123");
    assert!(!q.contains_key("code"));
    let mut p = good_params(&challenge(VERIFIER));
    p[5].1 = "plain".into();
    let (_, q) = location(&authorize(&s, &as_refs(&p)));
    assert_eq!(q["error"], "invalid_request");
    let mut p = good_params(&challenge(VERIFIER));
    p[0].1 = "token".into();
    let (_, q) = location(&authorize(&s, &as_refs(&p)));
    assert_eq!(q["error"], "unsupported_response_type");
    assert_eq!(s.authority().counters().codes_issued, 0);
}

#[test]
fn the_consent_switches_deny_forge_the_state_or_never_answer() {
    let s = whop();
    let p = good_params(&challenge(VERIFIER));
    s.authority().set_consent(ConsentMode::Deny);
    let (_, q) = location(&authorize(&s, &as_refs(&p)));
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["state"], "st-123");
    s.authority().set_consent(ConsentMode::WrongState);
    let (_, q) = location(&authorize(&s, &as_refs(&p)));
    assert_ne!(q["state"], "st-123");
    assert!(q.contains_key("code"));
    s.authority().set_consent(ConsentMode::NoRedirect);
    let r = authorize(&s, &as_refs(&p));
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("location").is_none());
    // Over HTTP too.
    let r = client()
        .put(format!("{}/oauth/consent", s.admin_url()))
        .body(r#"{"mode":"approve"}"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(s.authority().consent(), ConsentMode::Approve);
}

#[test]
fn a_code_works_once_and_reusing_it_revokes_its_tokens() {
    let s = whop();
    let c = code(&s);
    let (status, body) = exchange(&s, &c, VERIFIER);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "read payments");
    let access = body["access_token"].as_str().unwrap().to_string();
    assert!(s.authority().token_is_valid(&access));
    assert_eq!(
        s.authority().token_scope(&access).as_deref(),
        Some("read payments")
    );

    let (status, body) = exchange(&s, &c, VERIFIER);
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        !s.authority().token_is_valid(&access),
        "a reused code revokes its grant"
    );
    let n = s.authority().counters();
    assert_eq!(
        (n.codes_exchanged, n.reuse_detected, n.grants_revoked),
        (1, 1, 1)
    );
}

#[test]
fn a_wrong_verifier_a_wrong_redirect_or_an_unknown_client_is_refused() {
    let s = whop();
    let c = code(&s);
    let (status, body) = exchange(&s, &c, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj");
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The failed attempt spent the code: the right verifier no longer helps.
    let (status, _) = exchange(&s, &c, VERIFIER);
    assert_eq!(status, 400);

    let c = code(&s);
    let (status, body) = token(
        &s,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", "http://127.0.0.1:1/callback"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let (status, body) = token(
        &s,
        &[
            ("grant_type", "authorization_code"),
            ("code", "x"),
            ("client_id", "nobody"),
        ],
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = token(
        &s,
        &[("grant_type", "password"), ("client_id", DEFAULT_CLIENT_ID)],
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
}

#[test]
fn an_expired_code_is_refused() {
    let s = AuthorizationStandIn::spawn(AuthorizationConfig {
        code_lifetime: std::time::Duration::from_millis(50),
        ..AuthorizationConfig::whop()
    })
    .unwrap();
    let c = code(&s);
    std::thread::sleep(std::time::Duration::from_millis(120));
    let (status, body) = exchange(&s, &c, VERIFIER);
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[test]
fn rotating_refresh_tokens_die_once_used_and_a_reuse_revokes_the_grant() {
    let s = whop();
    let (_, first) = exchange(&s, &code(&s), VERIFIER);
    let rt1 = first["refresh_token"].as_str().unwrap().to_string();
    let (status, second) = refresh(&s, &rt1);
    assert_eq!(status, 200, "{second}");
    let rt2 = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);
    let access2 = second["access_token"].as_str().unwrap().to_string();
    assert!(s.authority().token_is_valid(&access2));

    let (status, body) = refresh(&s, &rt1);
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The whole grant is gone: the new refresh token and the new access token too.
    assert!(!s.authority().token_is_valid(&access2));
    assert_eq!(s.authority().refresh_token_revoked(&rt2), Some(true));
    let (status, _) = refresh(&s, &rt2);
    assert_eq!(status, 400);
    let n = s.authority().counters();
    assert_eq!((n.refreshes, n.reuse_detected), (1, 1));
}

#[test]
fn a_confidential_client_without_rotation_keeps_its_refresh_token() {
    let s = AuthorizationStandIn::spawn(AuthorizationConfig::gumroad("sekrit")).unwrap();
    let c = code(&s);
    let form = |secret: &'static str| {
        vec![
            ("grant_type", "authorization_code"),
            ("code", c.as_str()),
            ("redirect_uri", REDIRECT),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", secret),
            ("code_verifier", VERIFIER),
        ]
    };
    let (status, body) = token(&s, &form("wrong"));
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    // A refused client did not spend the code.
    let (status, body) = token(&s, &form("sekrit"));
    assert_eq!(status, 200, "{body}");
    assert!(
        body.get("expires_in").is_none(),
        "Gumroad's tokens never expire"
    );
    let rt = body["refresh_token"].as_str().unwrap().to_string();
    for _ in 0..2 {
        let (status, again) = token(
            &s,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &rt),
                ("client_id", DEFAULT_CLIENT_ID),
                ("client_secret", "sekrit"),
            ],
        );
        assert_eq!(status, 200, "{again}");
        assert!(again.get("refresh_token").is_none());
    }
}

#[test]
fn access_tokens_expire_on_demand_and_revoke_all_ends_everything() {
    let s = whop();
    let (_, body) = exchange(&s, &code(&s), VERIFIER);
    let access = body["access_token"].as_str().unwrap().to_string();
    let rt = body["refresh_token"].as_str().unwrap().to_string();
    s.authority().expire_access_tokens();
    assert!(!s.authority().token_is_valid(&access));
    let (status, body) = refresh(&s, &rt);
    assert_eq!(status, 200);
    let access = body["access_token"].as_str().unwrap().to_string();
    assert!(s.authority().token_is_valid(&access));
    client()
        .post(format!("{}/oauth/revoke_all", s.admin_url()))
        .send()
        .unwrap();
    assert!(!s.authority().token_is_valid(&access));
    assert!(!s.authority().token_is_valid("sat_never_issued"));
}

#[test]
fn the_shared_faults_reach_the_token_endpoint() {
    let s = whop();
    s.push_fault(Fault::server_error(503).on_path("/oauth/token"));
    let r = post_form(&s, &[("grant_type", "refresh_token")]);
    assert_eq!(r.status(), 503);
    assert_eq!(s.stats().requests, 1);
}
