//! What the Lemon Squeezy stand-in's handlers share: the orders, the API keys, the address.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};

use super::store::OrderStore;

pub(crate) struct LemonSqueezyState {
    pub store: Mutex<OrderStore>,
    /// API key → still valid (false once revoked).
    pub keys: Mutex<HashMap<String, bool>>,
    /// API key → the user it belongs to, for keys of another account than user 1 (a benchmark's ten
    /// connections to one stand-in).
    pub users: Mutex<HashMap<String, u64>>,
    /// Set once the socket is bound: the links in the answers point back at it.
    pub addr: OnceLock<SocketAddr>,
}

impl LemonSqueezyState {
    /// `http://127.0.0.1:PORT/v1`.
    pub fn api_base(&self) -> String {
        match self.addr.get() {
            Some(addr) => format!("http://{addr}/v1"),
            None => "/v1".into(),
        }
    }
}

impl crate::api_keys::HasApiKeys for LemonSqueezyState {
    fn api_keys(&self) -> &crate::api_keys::ApiKeys {
        &self.keys
    }
}
