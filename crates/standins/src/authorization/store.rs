//! The authorization server's memory: codes, grants, access and refresh tokens, and the counters.
//! A grant is what one consent created; its tokens live and die with it (a reused code or a reused
//! spent refresh token revokes it whole, as RFC 6749 §4.1.2 and OAuth 2.1's rotation advise).

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::pkce;
use crate::rng::SplitMix64;

/// What the server has done, for the tests' assertions and `/__admin/oauth/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuthorizationCounters {
    /// `GET /oauth/authorize` requests that reached a verdict (an error page included).
    pub authorize_requests: u64,
    pub codes_issued: u64,
    /// Codes exchanged for tokens.
    pub codes_exchanged: u64,
    /// Refreshes that succeeded.
    pub refreshes: u64,
    /// A used code or a spent refresh token sent again (each revokes its grant).
    pub reuse_detected: u64,
    pub grants_revoked: u64,
    /// Token requests refused with an RFC 6749 error.
    pub token_errors: u64,
}

/// An RFC 6749 §5.2 error: the status (400, or 401 for `invalid_client`), the code, the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

impl TokenError {
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        let status = if error == "invalid_client" { 401 } else { 400 };
        TokenError {
            status,
            error,
            description: description.into(),
        }
    }
}

/// The tokens a successful token request hands out.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub access_token: String,
    pub expires_in: Option<u64>,
    /// `None`: no refresh token in the answer (none issued, or an unrotated one kept).
    pub refresh_token: Option<String>,
    pub scope: String,
}

/// How tokens are made, from the configuration.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub access_lifetime: Option<Duration>,
    pub code_lifetime: Duration,
    pub issue_refresh_tokens: bool,
    pub rotate_refresh_tokens: bool,
}

struct Code {
    client_id: String,
    redirect_uri: String,
    challenge: Option<String>,
    scope: String,
    issued: Instant,
    /// Set by the first exchange attempt: the grant it created, if it succeeded.
    used: Option<Option<usize>>,
}

struct Grant {
    client_id: String,
    scope: String,
    revoked: bool,
}

struct Access {
    grant: usize,
    expires: Option<Instant>,
}

struct Refresh {
    grant: usize,
    spent: bool,
}

pub(crate) struct Store {
    policy: Policy,
    rng: SplitMix64,
    codes: HashMap<String, Code>,
    grants: Vec<Grant>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    pub counters: AuthorizationCounters,
}

impl Store {
    pub fn new(policy: Policy) -> Self {
        // Unpredictable across runs (a stand-in, not a vault: SplitMix64 from a random seed).
        let seed = RandomState::new().hash_one(Instant::now());
        Store {
            policy,
            rng: SplitMix64::new(seed),
            codes: HashMap::new(),
            grants: Vec::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            counters: AuthorizationCounters::default(),
        }
    }

    fn secret(&mut self, prefix: &str) -> String {
        format!(
            "{prefix}{:016x}{:016x}",
            self.rng.next_u64(),
            self.rng.next_u64()
        )
    }

    pub fn issue_code(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        challenge: Option<&str>,
        scope: &str,
    ) -> String {
        let code = self.secret("sac_");
        self.codes.insert(
            code.clone(),
            Code {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                challenge: challenge.map(str::to_owned),
                scope: scope.to_owned(),
                issued: Instant::now(),
                used: None,
            },
        );
        self.counters.codes_issued += 1;
        code
    }

    /// `grant_type=authorization_code`, the client already authenticated. Any attempt spends the
    /// code; a second one revokes what the first created.
    pub fn exchange_code(
        &mut self,
        client_id: &str,
        code: &str,
        redirect_uri: Option<&str>,
        verifier: Option<&str>,
    ) -> Result<Issued, TokenError> {
        let invalid = |why: &str| TokenError::new("invalid_grant", why);
        let lifetime = self.policy.code_lifetime;
        let Some(entry) = self.codes.get_mut(code) else {
            return Err(invalid("The authorization code is not known."));
        };
        if let Some(created) = entry.used {
            if let Some(grant) = created {
                self.revoke(grant);
            }
            self.counters.reuse_detected += 1;
            return Err(invalid(
                "The authorization code was already used; the tokens it gave are revoked.",
            ));
        }
        entry.used = Some(None);
        if entry.client_id != client_id {
            return Err(invalid(
                "The authorization code was issued to another client.",
            ));
        }
        if entry.issued.elapsed() > lifetime {
            return Err(invalid("The authorization code has expired."));
        }
        if redirect_uri != Some(entry.redirect_uri.as_str()) {
            return Err(invalid(
                "The redirect_uri does not match the one of the authorization request.",
            ));
        }
        match (&entry.challenge, verifier) {
            (Some(_), None) => {
                return Err(TokenError::new(
                    "invalid_request",
                    "The code_verifier is missing.",
                ))
            }
            (Some(challenge), Some(v)) if !pkce::verifies(v, challenge) => {
                return Err(invalid(
                    "The code_verifier does not match the code_challenge.",
                ))
            }
            _ => {}
        }
        let scope = entry.scope.clone();
        let grant = self.grants.len();
        self.grants.push(Grant {
            client_id: client_id.to_owned(),
            scope: scope.clone(),
            revoked: false,
        });
        if let Some(entry) = self.codes.get_mut(code) {
            entry.used = Some(Some(grant));
        }
        self.counters.codes_exchanged += 1;
        let refresh = self
            .policy
            .issue_refresh_tokens
            .then(|| self.new_refresh(grant));
        Ok(self.issue(grant, scope, refresh))
    }

    /// `grant_type=refresh_token`, the client already authenticated.
    pub fn refresh(&mut self, client_id: &str, token: &str) -> Result<Issued, TokenError> {
        let invalid = |why: &str| TokenError::new("invalid_grant", why);
        let Some(entry) = self.refresh.get(token) else {
            return Err(invalid("The refresh token is not known."));
        };
        let (grant, spent) = (entry.grant, entry.spent);
        let Some(g) = self.grants.get(grant) else {
            return Err(invalid("The refresh token is not known."));
        };
        if g.client_id != client_id {
            return Err(invalid("The refresh token was issued to another client."));
        }
        if g.revoked {
            return Err(invalid("The refresh token was revoked."));
        }
        if spent {
            self.counters.reuse_detected += 1;
            self.revoke(grant);
            return Err(invalid(
                "The refresh token was already used; the authorization is revoked.",
            ));
        }
        let scope = g.scope.clone();
        let next = if self.policy.rotate_refresh_tokens {
            if let Some(old) = self.refresh.get_mut(token) {
                old.spent = true;
            }
            Some(self.new_refresh(grant))
        } else {
            None
        };
        self.counters.refreshes += 1;
        Ok(self.issue(grant, scope, next))
    }

    fn new_refresh(&mut self, grant: usize) -> String {
        let token = self.secret("srt_");
        self.refresh.insert(
            token.clone(),
            Refresh {
                grant,
                spent: false,
            },
        );
        token
    }

    fn issue(&mut self, grant: usize, scope: String, refresh_token: Option<String>) -> Issued {
        let access_token = self.secret("sat_");
        let lifetime = self.policy.access_lifetime;
        self.access.insert(
            access_token.clone(),
            Access {
                grant,
                expires: lifetime.map(|d| Instant::now() + d),
            },
        );
        Issued {
            access_token,
            expires_in: lifetime.map(|d| d.as_secs().max(1)),
            refresh_token,
            scope,
        }
    }

    fn revoke(&mut self, grant: usize) {
        if let Some(g) = self.grants.get_mut(grant) {
            if !g.revoked {
                g.revoked = true;
                self.counters.grants_revoked += 1;
            }
        }
    }

    /// The scope of a live access token: issued here, not expired, its grant not revoked.
    pub fn access_scope(&self, token: &str) -> Option<&str> {
        let access = self.access.get(token)?;
        if access.expires.is_some_and(|at| at <= Instant::now()) {
            return None;
        }
        let grant = self.grants.get(access.grant)?;
        (!grant.revoked).then_some(grant.scope.as_str())
    }

    /// Every access token issued so far expires now (their refresh tokens still work).
    pub fn expire_access_tokens(&mut self) {
        let now = Instant::now();
        for access in self.access.values_mut() {
            access.expires = Some(now);
        }
    }

    /// Every grant is revoked: access and refresh tokens alike stop working.
    pub fn revoke_all(&mut self) {
        for grant in 0..self.grants.len() {
            self.revoke(grant);
        }
    }

    /// Whether the grant a refresh token belongs to is revoked (`None`: not a token issued here).
    pub fn refresh_grant_revoked(&self, token: &str) -> Option<bool> {
        let entry = self.refresh.get(token)?;
        self.grants.get(entry.grant).map(|g| g.revoked)
    }
}
