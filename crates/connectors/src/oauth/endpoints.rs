//! Where a platform's OAuth 2 server is and who Tributary is to it: the authorize and token
//! endpoints, the client id (and secret, for a confidential client), the scopes and any extra
//! parameters, from the platform's defaults or from `TRIBUTARY_<PLATFORM>_AUTHORIZE_URL`, `_TOKEN_URL`,
//! `_CLIENT_ID`, `_CLIENT_SECRET`. No real client ids exist: the client id always comes from the
//! environment (or the caller).

use super::error::OAuthError;
use tributary_model::Sensitive;
use url::Url;

/// One platform's OAuth 2 server, as the flow and the refresh use it.
#[derive(Clone, Debug)]
pub struct OAuthEndpoints {
    /// The platform's name for sentences (`Whop`).
    pub platform: String,
    pub authorize_url: Url,
    pub token_url: Url,
    pub client_id: String,
    /// `None` for a public client (Whop's native-app client): the client id goes in the body and
    /// PKCE is the proof. `Some` for a confidential one (Gumroad's Doorkeeper apps).
    pub client_secret: Option<Sensitive<String>>,
    pub scopes: Vec<String>,
    /// Added to the authorization URL (Whop's `company_id`, Google's `access_type=offline`).
    pub extra_authorize_params: Vec<(String, String)>,
    /// Added to every token request, code exchange and refresh alike (Whop wants the same
    /// `company_id` on refresh as at authorize).
    pub extra_token_params: Vec<(String, String)>,
}

/// A platform's published OAuth endpoints and scopes, before the environment has its say.
#[derive(Clone, Copy, Debug)]
pub struct OAuthDefaults {
    pub platform: &'static str,
    pub authorize_url: &'static str,
    pub token_url: &'static str,
    pub scopes: &'static [&'static str],
}

/// Whop's OAuth 2.1 (contract §2.1): a public client with PKCE, 1-hour access tokens, a refresh
/// token that rotates on every use. The scopes depend on the Whop app's settings, so none are
/// asked by default.
pub const WHOP: OAuthDefaults = OAuthDefaults {
    platform: "Whop",
    authorize_url: "https://api.whop.com/oauth/authorize",
    token_url: "https://api.whop.com/oauth/token",
    scopes: &[],
};

/// Gumroad's Doorkeeper (contract §1.1): a confidential client, access tokens that never expire.
pub const GUMROAD: OAuthDefaults = OAuthDefaults {
    platform: "Gumroad",
    authorize_url: "https://gumroad.com/oauth/authorize",
    token_url: "https://api.gumroad.com/oauth/token",
    scopes: &["view_sales", "view_payouts"],
};

/// The endpoints for `platform_env` (`WHOP` in `TRIBUTARY_WHOP_CLIENT_ID`): each URL from its
/// variable when set, else from `defaults`; the client id from `TRIBUTARY_<PLATFORM>_CLIENT_ID`
/// (required: a configuration error naming the variable when missing); the secret from
/// `TRIBUTARY_<PLATFORM>_CLIENT_SECRET` when set and not empty.
pub fn endpoints_from_env(
    platform_env: &str,
    defaults: &OAuthDefaults,
) -> Result<OAuthEndpoints, OAuthError> {
    endpoints_from_lookup(platform_env, defaults, |name| std::env::var(name).ok())
}

/// `endpoints_from_env` over any lookup (the tests' maps).
pub(crate) fn endpoints_from_lookup(
    platform_env: &str,
    defaults: &OAuthDefaults,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<OAuthEndpoints, OAuthError> {
    let var = |suffix: &str| format!("TRIBUTARY_{platform_env}_{suffix}");
    let set = |name: &str| {
        lookup(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let platform = defaults.platform;
    let url = |suffix: &str, default: &str| -> Result<Url, OAuthError> {
        let name = var(suffix);
        match set(&name) {
            Some(text) => parse_endpoint(&text).map_err(|why| {
                OAuthError::configuration(platform, format!("{name} is not usable: {why}"))
            }),
            None => parse_endpoint(default).map_err(|why| {
                OAuthError::configuration(platform, format!("the default endpoint {why}"))
            }),
        }
    };
    let authorize_url = url("AUTHORIZE_URL", defaults.authorize_url)?;
    let token_url = url("TOKEN_URL", defaults.token_url)?;
    let id_var = var("CLIENT_ID");
    let client_id = set(&id_var).ok_or_else(|| {
        OAuthError::configuration(
            platform,
            format!(
                "no OAuth client id is configured: set {id_var} to the client id of a {platform} app \
                 that allows the redirect http://127.0.0.1/callback (any port)"
            ),
        )
    })?;
    let client_secret = set(&var("CLIENT_SECRET")).map(Sensitive::new);
    Ok(OAuthEndpoints {
        platform: platform.to_string(),
        authorize_url,
        token_url,
        client_id,
        client_secret,
        scopes: defaults.scopes.iter().map(|s| s.to_string()).collect(),
        extra_authorize_params: Vec::new(),
        extra_token_params: Vec::new(),
    })
}

/// An endpoint must be https, or plain http to this machine (a stand-in, a test): a token sent in
/// clear over the network is refused before anything is sent.
pub(crate) fn parse_endpoint(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|_| "it is not an address".to_string())?;
    check_endpoint(&url)?;
    Ok(url)
}

pub(crate) fn check_endpoint(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => {
            Err("it is plain http to another machine (only https, or http to 127.0.0.1)".into())
        }
        _ => Err("it is not an http(s) address".into()),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn a_missing_client_id_names_the_variable_to_set() {
        let e = endpoints_from_lookup("WHOP", &WHOP, lookup(&[])).unwrap_err();
        assert_eq!(e.kind, super::super::OAuthErrorKind::Configuration);
        assert!(e.to_string().contains("TRIBUTARY_WHOP_CLIENT_ID"), "{e}");
        assert!(e.to_string().starts_with("Whop"), "{e}");
    }

    #[test]
    fn the_environment_points_the_endpoints_elsewhere() {
        let e = endpoints_from_lookup(
            "WHOP",
            &WHOP,
            lookup(&[
                ("TRIBUTARY_WHOP_CLIENT_ID", " app_123 "),
                (
                    "TRIBUTARY_WHOP_AUTHORIZE_URL",
                    "http://127.0.0.1:4000/oauth/authorize",
                ),
                (
                    "TRIBUTARY_WHOP_TOKEN_URL",
                    "http://127.0.0.1:4000/oauth/token",
                ),
                ("TRIBUTARY_WHOP_CLIENT_SECRET", ""),
            ]),
        )
        .unwrap();
        assert_eq!(e.client_id, "app_123");
        assert_eq!(e.token_url.as_str(), "http://127.0.0.1:4000/oauth/token");
        assert!(e.client_secret.is_none());
        let d = endpoints_from_lookup(
            "GUMROAD",
            &GUMROAD,
            lookup(&[
                ("TRIBUTARY_GUMROAD_CLIENT_ID", "id"),
                ("TRIBUTARY_GUMROAD_CLIENT_SECRET", "s3cret"),
            ]),
        )
        .unwrap();
        assert_eq!(d.authorize_url.as_str(), GUMROAD.authorize_url);
        assert_eq!(
            d.client_secret.as_ref().map(|s| s.expose().as_str()),
            Some("s3cret")
        );
        assert_eq!(d.scopes, ["view_sales", "view_payouts"]);
    }

    #[test]
    fn plain_http_is_only_for_this_machine() {
        let e = endpoints_from_lookup(
            "WHOP",
            &WHOP,
            lookup(&[
                ("TRIBUTARY_WHOP_CLIENT_ID", "x"),
                ("TRIBUTARY_WHOP_TOKEN_URL", "http://example.com/oauth/token"),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("TRIBUTARY_WHOP_TOKEN_URL"), "{e}");
        assert!(parse_endpoint("http://localhost:9/t").is_ok());
        assert!(parse_endpoint("ftp://127.0.0.1/t").is_err());
    }
}
