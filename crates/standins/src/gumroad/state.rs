//! What the Gumroad stand-in's handlers share: the sales, the tokens and the seller's profile.
//! Behind an `Arc`; each part behind its own mutex, held only briefly.

use std::sync::Mutex;

use chrono::{FixedOffset, Utc};

use super::auth::Tokens;
use super::json::Seller;
use super::store::SaleStore;

/// The account the token belongs to, as `GET /v2/user` shows it.
#[derive(Debug, Clone)]
pub struct GumroadUser {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub profile_url: String,
}

impl Default for GumroadUser {
    fn default() -> Self {
        Self {
            user_id: "G_-mnBf9b1j9A7a4ub4nFQ==".into(),
            name: "Stand-in Creator".into(),
            email: "creator@example.com".into(),
            profile_url: "https://standin-creator.gumroad.com".into(),
        }
    }
}

pub(crate) struct GumroadState {
    pub store: Mutex<SaleStore>,
    pub tokens: Mutex<Tokens>,
    pub user: GumroadUser,
    pub seller_id: String,
    pub offset: FixedOffset,
    pub thousands: bool,
}

impl GumroadState {
    pub fn seller(&self) -> Seller<'_> {
        Seller {
            seller_id: &self.seller_id,
            offset: self.offset,
            thousands: self.thousands,
            now: Utc::now(),
        }
    }
}
