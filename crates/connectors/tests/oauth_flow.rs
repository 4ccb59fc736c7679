//! The OAuth 2 native-app flow end to end against the authorization stand-in, with a "browser"
//! that is a test task: it gets the URL through `on_url`, GETs it, follows the stand-in's redirect
//! to the loopback listener, and keeps the page it was shown. Consent, denial, a forged state, a
//! timeout, a cancel, an intercepted or replayed code, rotating and non-rotating refreshes, and no
//! secret in any error's words.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tributary_connectors::oauth::{
    self, AuthorizeOptions, CancellationToken, OAuthEndpoints, OAuthError, OAuthErrorKind,
    OAuthTokens,
};
use tributary_model::{FailureClass, Sensitive, UtcInstant};
use tributary_standins::authorization::DEFAULT_CLIENT_ID;
use tributary_standins::{AuthorizationConfig, AuthorizationStandIn, ConsentMode, Fault};

fn endpoints(s: &AuthorizationStandIn, secret: Option<&str>) -> OAuthEndpoints {
    OAuthEndpoints {
        platform: "Whop".into(),
        authorize_url: s.authorize_url().parse().unwrap(),
        token_url: s.token_url().parse().unwrap(),
        client_id: DEFAULT_CLIENT_ID.into(),
        client_secret: secret.map(|s| Sensitive::new(s.to_string())),
        scopes: vec!["read".into(), "payments".into()],
        extra_authorize_params: vec![("company_id".into(), "biz_1".into())],
        extra_token_params: vec![],
    }
}

fn http(follow: bool) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let policy = if follow {
        reqwest::redirect::Policy::limited(5)
    } else {
        reqwest::redirect::Policy::none()
    };
    reqwest::Client::builder()
        .redirect(policy)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// What the simulated browser saw: the URL it was given, and the last page (status, text).
struct Browser {
    url: Arc<Mutex<Option<String>>>,
    page: oneshot::Receiver<(u16, String)>,
}

impl Browser {
    fn url(&self) -> String {
        self.url.lock().unwrap().clone().expect("on_url was called")
    }

    async fn page(self) -> (u16, String) {
        tokio::time::timeout(Duration::from_secs(10), self.page)
            .await
            .expect("the browser finished")
            .expect("the browser reported")
    }
}

/// Options whose `on_url` hands the URL to a browser task that follows redirects.
fn with_browser(timeout: Duration) -> (AuthorizeOptions, Browser) {
    let (tx, rx) = oneshot::channel();
    let seen = Arc::new(Mutex::new(None));
    let keep = Arc::clone(&seen);
    let mut options = AuthorizeOptions::new(move |prompt| {
        assert!(!prompt.browser_opened);
        let url = prompt.url.to_string();
        *keep.lock().unwrap() = Some(url.clone());
        tokio::spawn(async move {
            let page = match http(true).get(&url).send().await {
                Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
                Err(e) => (0, e.to_string()),
            };
            let _ = tx.send(page);
        });
    });
    options.open_browser = false;
    options.timeout = timeout;
    (
        options,
        Browser {
            url: seen,
            page: rx,
        },
    )
}

fn param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Nothing secret in the error's words (Display and Debug alike).
fn assert_clean(e: &OAuthError, secrets: &[&str]) {
    let shown = format!("{e} {e:?}");
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(!shown.contains(s), "{shown} shows a secret");
    }
    for prefix in ["sat_", "srt_", "sac_", "http://127.0.0.1"] {
        assert!(!shown.contains(prefix), "{shown}");
    }
    assert!(shown.starts_with("Whop: "), "{shown}");
}

fn whop() -> AuthorizationStandIn {
    AuthorizationStandIn::spawn(AuthorizationConfig::whop()).unwrap()
}

async fn connect(s: &AuthorizationStandIn) -> OAuthTokens {
    let (options, _browser) = with_browser(Duration::from_secs(10));
    oauth::authorize(&endpoints(s, None), options)
        .await
        .unwrap()
}

#[tokio::test]
async fn consent_gives_tokens_and_the_browser_is_told_to_close_the_tab() {
    let s = whop();
    let (options, browser) = with_browser(Duration::from_secs(10));
    let before = UtcInstant::now();
    let tokens = oauth::authorize(&endpoints(&s, None), options)
        .await
        .unwrap();
    let url = browser.url();
    let (status, page) = browser.page().await;
    assert_eq!(status, 200);
    assert!(
        page.contains("You can close this tab and go back to Tributary"),
        "{page}"
    );

    assert!(s.authority().token_is_valid(tokens.access_token.expose()));
    assert!(tokens.refresh_token.is_some());
    assert_eq!(tokens.scopes, ["read", "payments"]);
    let expires = tokens.expires_at.unwrap().millis() - before.millis();
    assert!((3_590_000..=3_610_000).contains(&expires), "{expires}");
    // The URL: code + S256 + state, a loopback redirect at the literal 127.0.0.1, extra params.
    assert_eq!(param(&url, "response_type"), "code");
    assert_eq!(param(&url, "code_challenge_method"), "S256");
    assert_eq!(param(&url, "code_challenge").len(), 43);
    assert!(param(&url, "state").len() >= 16);
    assert_eq!(param(&url, "company_id"), "biz_1");
    let redirect = param(&url, "redirect_uri");
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));
    // Served only during the flow.
    let closed = http(false).get(&redirect).send().await;
    assert!(closed.is_err(), "the listener is still up");
    assert_eq!(s.authority().counters().codes_exchanged, 1);
    assert!(!format!("{tokens:?}").contains("sat_"));
}

#[tokio::test]
async fn a_denial_is_its_own_error_and_nothing_is_exchanged() {
    let s = whop();
    s.authority().set_consent(ConsentMode::Deny);
    let (options, browser) = with_browser(Duration::from_secs(10));
    let e = oauth::authorize(&endpoints(&s, None), options)
        .await
        .unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::Denied);
    assert_eq!(e.class, FailureClass::Authentication);
    let url = browser.url();
    let (_, page) = browser.page().await;
    assert!(page.contains("declined"), "{page}");
    assert!(page.contains("close this tab"), "{page}");
    assert_clean(&e, &[&param(&url, "state"), &param(&url, "code_challenge")]);
    assert_eq!(s.authority().counters().codes_exchanged, 0);
}

#[tokio::test]
async fn a_wrong_state_ends_the_flow_and_the_code_is_never_exchanged() {
    let s = whop();
    s.authority().set_consent(ConsentMode::WrongState);
    let (options, browser) = with_browser(Duration::from_secs(10));
    let e = oauth::authorize(&endpoints(&s, None), options)
        .await
        .unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::StateMismatch);
    let url = browser.url();
    let (_, page) = browser.page().await;
    assert!(page.contains("could not finish"), "{page}");
    assert_clean(&e, &[&param(&url, "state")]);
    let c = s.authority().counters();
    assert_eq!((c.codes_issued, c.codes_exchanged), (1, 0));
    // The listener is gone.
    assert!(http(false)
        .get(param(&url, "redirect_uri"))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn no_answer_times_out() {
    let s = whop();
    s.authority().set_consent(ConsentMode::NoRedirect);
    let (options, browser) = with_browser(Duration::from_millis(400));
    let e = oauth::authorize(&endpoints(&s, None), options)
        .await
        .unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::TimedOut);
    assert_eq!(e.class, FailureClass::Transient);
    assert!(e.to_string().contains("400 ms"), "{e}");
    let url = browser.url();
    assert_clean(&e, &[&param(&url, "state")]);
    assert!(http(false)
        .get(param(&url, "redirect_uri"))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn a_cancel_ends_the_flow_and_other_paths_get_404_meanwhile() {
    let s = whop();
    s.authority().set_consent(ConsentMode::NoRedirect);
    let (options, browser) = with_browser(Duration::from_secs(30));
    let cancel: CancellationToken = options.cancel.clone();
    let flow = tokio::spawn({
        let e = endpoints(&s, None);
        async move { oauth::authorize(&e, options).await }
    });
    let (_, page) = browser.page.await.unwrap();
    assert!(page.contains("Waiting"));
    let url = browser.url.lock().unwrap().clone().unwrap();
    let redirect = param(&url, "redirect_uri");
    let origin = redirect.trim_end_matches("/callback");
    let client = http(false);
    let favicon = client
        .get(format!("{origin}/favicon.ico"))
        .send()
        .await
        .unwrap();
    assert_eq!(favicon.status(), 404);
    let bare = client.get(&redirect).send().await.unwrap();
    assert_eq!(
        bare.status(),
        400,
        "a callback without an answer is not one"
    );
    let post = client.post(&redirect).send().await.unwrap();
    assert_eq!(post.status(), 405);
    // A connection that never sends anything does not hold the listener up.
    let _idle = tokio::net::TcpStream::connect(origin.trim_start_matches("http://"))
        .await
        .unwrap();
    cancel.cancel();
    let e = flow.await.unwrap().unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::Cancelled);
    assert_clean(&e, &[&param(&url, "state")]);
}

#[tokio::test]
async fn an_intercepted_code_is_useless_without_the_verifier() {
    let s = whop();
    let (tx, rx) = oneshot::channel::<u16>();
    let token_url = s.token_url();
    let mut options = AuthorizeOptions::new(move |prompt| {
        let url = prompt.url.to_string();
        tokio::spawn(async move {
            // Another app on the machine sees the redirect and tries the code first.
            let r = http(false).get(&url).send().await.unwrap();
            let location = r.headers()["location"].to_str().unwrap().to_string();
            let code = param(&location, "code");
            let stolen = http(false)
                .post(&token_url)
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", code.as_str()),
                    ("redirect_uri", param(&url, "redirect_uri").as_str()),
                    ("client_id", DEFAULT_CLIENT_ID),
                    (
                        "code_verifier",
                        "a-guess-that-is-long-enough-to-be-a-pkce-verifier",
                    ),
                ])
                .send()
                .await
                .unwrap();
            let _ = tx.send(stolen.status().as_u16());
            // Then the real callback arrives.
            let _ = http(true).get(&location).send().await;
        });
    });
    options.open_browser = false;
    let e = oauth::authorize(&endpoints(&s, None), options)
        .await
        .unwrap_err();
    assert_eq!(
        rx.await.unwrap(),
        400,
        "the stand-in refused the wrong verifier"
    );
    assert_eq!(e.kind, OAuthErrorKind::InvalidGrant);
    assert!(e.to_string().contains("authorization code"), "{e}");
    assert_clean(&e, &[]);
    assert_eq!(s.authority().counters().codes_exchanged, 0);
}

#[tokio::test]
async fn a_replayed_code_revokes_what_it_gave() {
    let s = whop();
    let (tx, rx) = oneshot::channel::<String>();
    let mut options = AuthorizeOptions::new(move |prompt| {
        let url = prompt.url.to_string();
        tokio::spawn(async move {
            let r = http(false).get(&url).send().await.unwrap();
            let location = r.headers()["location"].to_str().unwrap().to_string();
            let _ = http(true).get(&location).send().await;
            let _ = tx.send(location);
        });
    });
    options.open_browser = false;
    let endpoints = endpoints(&s, None);
    let tokens = oauth::authorize(&endpoints, options).await.unwrap();
    let location = rx.await.unwrap();
    assert!(s.authority().token_is_valid(tokens.access_token.expose()));
    let replay = http(false)
        .post(s.token_url())
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", param(&location, "code").as_str()),
            ("client_id", DEFAULT_CLIENT_ID),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 400);
    assert!(!s.authority().token_is_valid(tokens.access_token.expose()));
    let e = oauth::refresh(&endpoints, tokens.refresh_token.as_ref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::InvalidGrant);
}

#[tokio::test]
async fn a_rotating_refresh_spends_the_old_token_and_reusing_it_kills_the_grant() {
    let s = whop();
    let endpoints = endpoints(&s, None);
    let first = connect(&s).await;
    let rt1 = first.refresh_token.clone().unwrap();
    s.authority().expire_access_tokens();
    assert!(!s.authority().token_is_valid(first.access_token.expose()));

    let second = oauth::refresh(&endpoints, &rt1).await.unwrap();
    let rt2 = second.refresh_token.clone().unwrap();
    assert_ne!(rt1, rt2, "Whop rotates on every use");
    assert!(s.authority().token_is_valid(second.access_token.expose()));
    assert!(second.expires_at.is_some());

    let e = oauth::refresh(&endpoints, &rt1).await.unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::InvalidGrant);
    assert_eq!(e.class, FailureClass::Authentication);
    assert!(e.to_string().contains("connect Whop again"), "{e}");
    assert_clean(&e, &[rt1.expose(), rt2.expose()]);
    // The spent token's reuse revoked the grant: the newest tokens are dead too.
    assert_eq!(
        s.authority().refresh_token_revoked(rt2.expose()),
        Some(true)
    );
    assert!(!s.authority().token_is_valid(second.access_token.expose()));
    let e = oauth::refresh(&endpoints, &rt2).await.unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::InvalidGrant);
    assert_eq!(s.authority().counters().reuse_detected, 1);
}

#[tokio::test]
async fn a_non_rotating_server_keeps_the_old_refresh_token() {
    let s = AuthorizationStandIn::spawn(AuthorizationConfig::gumroad("sekrit")).unwrap();
    let confidential = endpoints(&s, Some("sekrit"));
    let (options, _browser) = with_browser(Duration::from_secs(10));
    let first = oauth::authorize(&confidential, options).await.unwrap();
    assert!(first.expires_at.is_none(), "Gumroad's tokens never expire");
    let rt = first.refresh_token.clone().unwrap();
    let second = oauth::refresh(&confidential, &rt).await.unwrap();
    assert_eq!(second.refresh_token.as_ref(), Some(&rt));
    assert_ne!(second.access_token, first.access_token);
    let third = oauth::refresh(&confidential, &rt).await.unwrap();
    assert_eq!(third.refresh_token.as_ref(), Some(&rt));
    // The wrong secret is the client's configuration, not the grant.
    let e = oauth::refresh(&endpoints(&s, Some("wrong")), &rt)
        .await
        .unwrap_err();
    assert_eq!(e.kind, OAuthErrorKind::Configuration);
    assert!(e.to_string().contains("invalid_client"), "{e}");
    assert_clean(&e, &[rt.expose(), "sekrit", "wrong"]);
}

#[tokio::test]
async fn a_failing_or_unreachable_token_endpoint_is_transient() {
    let s = whop();
    let endpoints = endpoints(&s, None);
    let tokens = connect(&s).await;
    let rt = tokens.refresh_token.unwrap();
    s.push_fault(Fault::server_error(502).on_path("/oauth/token"));
    let e = oauth::refresh(&endpoints, &rt).await.unwrap_err();
    assert_eq!(
        (e.kind, e.class),
        (OAuthErrorKind::Server, FailureClass::Transient)
    );
    assert!(e.to_string().contains("502"), "{e}");
    assert_clean(&e, &[rt.expose()]);
    // The 502 never reached the server's logic: the token is unspent and still works.
    assert!(oauth::refresh(&endpoints, &rt).await.is_ok());

    let mut gone = endpoints.clone();
    gone.token_url = "http://127.0.0.1:9/oauth/token".parse().unwrap();
    let e = oauth::refresh(&gone, &rt).await.unwrap_err();
    assert_eq!(
        (e.kind, e.class),
        (OAuthErrorKind::Transport, FailureClass::Transient)
    );
}

#[tokio::test]
async fn tokens_survive_the_secret_store_round_trip() {
    let s = whop();
    let tokens = connect(&s).await;
    let json = tokens.to_json();
    assert!(!format!("{json:?} {json}").contains("sat_"));
    let back = OAuthTokens::from_json("Whop", json.expose()).unwrap();
    assert_eq!(back, tokens);
}
