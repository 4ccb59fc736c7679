//! What the Whop stand-in's handlers share: the payments, the API keys, the company they belong to.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use super::store::PaymentStore;

/// The business account the keys belong to (`biz_…`), as payments and `GET /accounts/me` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: String,
    pub title: String,
    pub route: String,
    pub email: String,
}

impl Default for Company {
    fn default() -> Self {
        Self {
            id: "biz_Zz11Yy22Xx33Ww".into(),
            title: "Stand-in Creator Co".into(),
            route: "standin-creator".into(),
            email: "creator@standin.example".into(),
        }
    }
}

pub(crate) struct WhopState {
    pub store: Mutex<PaymentStore>,
    /// API key → still valid (false once revoked).
    pub keys: Mutex<HashMap<String, bool>>,
    pub company: Company,
    /// Every `Api-Version-Date` requests have sent (the stand-in answers the same whatever it is).
    pub versions_seen: Mutex<BTreeSet<String>>,
    /// Whop's OAuth server (`/oauth/authorize`, `/oauth/token`) on the same port: its access tokens
    /// are accepted beside the API keys.
    pub oauth: Option<crate::authorization::AuthorizationServer>,
}

impl crate::api_keys::HasApiKeys for WhopState {
    fn api_keys(&self) -> &crate::api_keys::ApiKeys {
        &self.keys
    }
}
